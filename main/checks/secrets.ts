import type { Check } from '../../shared/check';
import type { ContainerFact, Facts } from '../../shared/facts';
import type { ImageFact } from '../../shared/facts/images';
// Types only: the schemas' module would load zod into every audit's start-up.
import type { EnvSecret, EnvSecretKind } from '../../shared/facts/secrets';
import type { CheckResult, Evidence } from '../../shared/finding';
import type { Source } from '../../shared/source';
import { ALL_PLATFORMS, inspected, LIST } from './container-helpers';
import { imageName } from './images';
import { cis, docs } from './references';
import { fail, need, pass, skipped, warn } from '../check-kit/result';

/**
 * Credentials in plain sight: container environment variables and image ENV that look like credentials, as the
 * collector classified and masked them (main/collect/env-secrets.ts has the rules). An image's ENV is inherited by
 * every container from it, so it is reported once, on the image; a container is reported for what it set itself.
 */

const KIND_WORDS: Record<EnvSecretKind, string> = {
  'private-key': 'a private key',
  'gcp-service-account': 'a GCP service-account key',
  'aws-access-key-id': 'an AWS access key id',
  'aws-secret-access-key': 'an AWS secret access key',
  'github-token': 'a GitHub token',
  'gitlab-token': 'a GitLab token',
  'slack-token': 'a Slack token',
  'slack-webhook': 'a Slack webhook URL',
  'google-api-key': 'a Google API key',
  'stripe-key': 'a Stripe live key',
  'npm-token': 'an npm token',
  'url-credentials': 'a URL with credentials',
  name: 'a credential by its name',
};

/** Names in a message, and entries in the evidence, before "and N more". */
const NAMED = 5;
const LISTED = 50;

const OLD_SNAPSHOT = 'this facts snapshot was saved by a Dockhand that did not classify environment variables; collect the facts again';

const REMEDIATION =
  'Take the value out of the environment and give it to the process as a file: a Docker secret (`secrets:` in Compose, or `docker secret create` and `--secret` for a swarm service), mounted at /run/secrets/NAME, or a bind mount of a root-owned file with mode 0400, read-only (`-v /etc/app/db_password:/run/secrets/db_password:ro`). Point the application at the file with its `*_FILE` variable (`POSTGRES_PASSWORD_FILE=/run/secrets/db_password`; the official postgres, mysql and mariadb images read these) or its own configuration option, then rotate the credential: everyone who could read the container or image configuration has seen it. `--env-file` is not a fix: its values land in Config.Env all the same.';

const KINDS_RULE =
  'A value of a known credential shape (a private key, service-account JSON, an AWS key, a GitHub, GitLab, Slack, Google, Stripe or npm token, a URL with a password) fails; a name alone (…_PASSWORD, …_SECRET, …_TOKEN, API_KEY) warns, as its value may be a placeholder, and only failures count for --fail-on. Not flagged: `*_FILE` variables, empty values, switches (=yes), paths, ${VAR} and GPG_KEY (a public fingerprint). Values are masked when collected: no report or facts snapshot holds them.';

const entryOf = (s: EnvSecret, note = '') => `${s.name}=${s.masked} (${KIND_WORDS[s.kind]}${note})`;

function listed(entries: string[]): string[] {
  return entries.length > LISTED ? [...entries.slice(0, LISTED), `… and ${entries.length - LISTED} more`] : entries;
}

function named(secrets: EnvSecret[]): string {
  const names = secrets.slice(0, NAMED).map((s) => `${s.name} (${KIND_WORDS[s.kind]})`);
  return secrets.length > NAMED ? `${names.join(', ')} and ${secrets.length - NAMED} more` : names.join(', ');
}

/** Value-shaped credentials fail, name-only ones warn, whether the container runs or not: inspect shows them either way. */
/** A value of a recognised shape is a credential for certain (fail); a name alone may hold a placeholder (warn). */
const verdict = (secrets: EnvSecret[]) => (secrets.some((s) => s.kind !== 'name') ? fail : warn);

/** An older snapshot has no classification at all; one without containers or images has nothing to classify. */
const unclassified = (items: { envSecrets?: EnvSecret[] }[]) => items.length > 0 && items.every((i) => i.envSecrets === undefined);

const imageSource = (image: ImageFact): Source => ({
  kind: 'api',
  call: `GET /images/${image.id.replace(/^sha256:/, '').slice(0, 12)}/json`,
});

/** The container's image as collected, when its ENV was classified: what the container inherited from it. */
function imageOf(facts: Facts, c: ContainerFact): ImageFact | null {
  const image = facts.images.ok ? facts.images.value.find((i) => i.id === c.imageId) : undefined;
  return image?.envSecrets ? image : null;
}

function containerResult(facts: Facts, c: ContainerFact): CheckResult | null {
  const all = c.envSecrets ?? [];
  if (all.length === 0) return null;
  const image = imageOf(facts, c);
  const inherited = new Set(image?.envSecrets?.map((s) => s.fingerprint));
  const imageNames = new Set(image?.envSecrets?.map((s) => s.name));
  const own = all.filter((s) => !inherited.has(s.fingerprint));
  if (own.length === 0) return null;
  const evidence: Evidence[] = [
    inspected(c, 'Config.Env', listed(own.map((s) => entryOf(s, imageNames.has(s.name) ? ", set over the image's value" : '')))),
    inspected(c, 'state', c.state.status),
  ];
  const fromImage = all.filter((s) => inherited.has(s.fingerprint));
  if (fromImage.length > 0)
    evidence.push(
      inspected(
        c,
        'inherited from the image (reported by image.env-secrets)',
        fromImage.map((s) => s.name),
      ),
    );
  if (!image) {
    const why = facts.images.ok
      ? `image ${c.imageId.slice(0, 19)} is not in the image list`
      : `the image list is unavailable (${facts.images.error.message})`;
    evidence.push({ label: 'image ENV', value: `not compared: ${why}; variables the image sets may be listed here too`, source: LIST });
  }
  const message = `Container ${c.name} holds credentials in its environment, readable by anyone who can inspect it: ${named(own)}.`;
  return verdict(own)(message, { target: c.name, evidence });
}

const containerEnvSecrets: Check = {
  id: 'container.env-secrets',
  title: "Containers' environment variables hold no credentials",
  category: 'container-runtime',
  severity: 'high',
  rationale: `A container's environment is part of its configuration: \`docker inspect\` and the Engine API show it to anyone who can reach the daemon (the docker group, monitoring agents, CI jobs), every process in the container inherits it and can read it from /proc/PID/environ, and it ends up in crash dumps, logs and support bundles. Only the variables the container set itself are reported here; those it inherited from its image are reported once, on the image. ${KINDS_RULE}`,
  remediation: `${REMEDIATION} Re-create the container without the variable.`,
  references: [
    docs('Manage sensitive data with Docker secrets', 'https://docs.docker.com/engine/swarm/secrets/'),
    docs('Secrets in Compose', 'https://docs.docker.com/compose/how-tos/use-secrets/'),
  ],
  cis: null,
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    const containers = need(facts.containers, 'the container list');
    if (unclassified(containers)) return skipped(OLD_SNAPSHOT);
    const results = containers.map((c) => containerResult(facts, c)).filter((r): r is CheckResult => r !== null);
    if (results.length > 0) return results;
    return pass(`None of the ${containers.length} containers sets a credential in its own environment.`, {
      evidence: [{ label: 'containers inspected', value: containers.length, source: LIST }],
    });
  },
};

function imageResult(image: ImageFact, containers: ContainerFact[] | null): CheckResult | null {
  const secrets = image.envSecrets ?? [];
  if (secrets.length === 0) return null;
  const name = imageName(image);
  const users = containers?.filter((c) => c.imageId === image.id).map((c) => c.name) ?? null;
  const evidence: Evidence[] = [
    { label: 'Config.Env', value: listed(secrets.map((s) => entryOf(s))), source: imageSource(image) },
    { label: 'image id', value: image.id, source: imageSource(image) },
    users
      ? { label: 'containers from it, which inherit these', value: users, source: LIST }
      : { label: 'containers from it', value: 'unknown: the container list is unavailable', source: LIST },
  ];
  const message = `Image ${name} has credentials in its ENV, readable by anyone who can pull or inspect it and inherited by every container from it: ${named(secrets)}.`;
  return verdict(secrets)(message, { target: name, evidence });
}

const imageEnvSecrets: Check = {
  id: 'image.env-secrets',
  title: "Images' ENV holds no credentials",
  category: 'images',
  severity: 'high',
  rationale: `An ENV instruction stores its value in the image configuration: \`docker image inspect\` and \`docker history\` show it, it travels with the image to every registry and host it is pushed or saved to, and every container from the image inherits it. Removing it in a later layer does not take it out of the history. Images are reported whether or not a container uses them: the credential is in the image either way. ${KINDS_RULE}`,
  remediation: `${REMEDIATION} In the Dockerfile, remove the ENV (and any ARG that carried the value, which \`docker history\` also shows); a credential the build itself needs is given with BuildKit's \`RUN --mount=type=secret,id=NAME\` and \`docker build --secret id=NAME,src=FILE\`, which keeps it out of every layer. Rebuild, delete the old image here and from every registry it was pushed to, and rotate the credential.`,
  references: [
    cis('4.10'),
    docs('Build secrets', 'https://docs.docker.com/build/building/secrets/'),
    docs('Manage sensitive data with Docker secrets', 'https://docs.docker.com/engine/swarm/secrets/'),
  ],
  cis: '4.10',
  platforms: ALL_PLATFORMS,
  fixId: null,
  evaluate(facts) {
    const images = need(facts.images, 'the image list');
    if (unclassified(images)) return skipped(OLD_SNAPSHOT);
    const containers = facts.containers.ok ? facts.containers.value : null;
    const results = images.map((i) => imageResult(i, containers)).filter((r): r is CheckResult => r !== null);
    if (results.length > 0) return results;
    return pass(`None of the ${images.length} images has a credential in its ENV.`, {
      evidence: [{ label: 'images inspected', value: images.length, source: { kind: 'api', call: 'GET /images/json' } }],
    });
  },
};

export const SECRET_CHECKS: readonly Check[] = [containerEnvSecrets, imageEnvSecrets];
