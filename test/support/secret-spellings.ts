import type { EnvSecretKind } from '../../shared/facts/secrets';

/**
 * Every way a credential is spelled in what Dockhand reads (proxy settings, registry mirrors, flags, environments),
 * with what masking must leave and the fragments that must never be shown. One table for the masking unit test
 * (shared/mask.test.ts) and for the end-to-end test that feeds them to a real dockerd and the real CLI
 * (test/security/secret-masking.test.ts). Every fragment is distinctive, so finding one anywhere is a leak.
 */
export interface SecretSpelling {
  name: string;
  value: string;
  masked: string;
  /** Every piece of the secret, as written and as decoded: none may appear in any output. */
  secrets: string[];
}

export const SECRET_SPELLINGS: readonly SecretSpelling[] = [
  {
    name: 'a token as the user name',
    value: 'https://ghp_Tok3nAsUser0001@github.example.com',
    masked: 'https://****@github.example.com',
    secrets: ['ghp_Tok3nAsUser0001'],
  },
  {
    name: '@ inside the password',
    value: 'http://alice:Pa55word0002a@AtSign0002b@proxy.example.com:3128',
    masked: 'http://****@proxy.example.com:3128',
    secrets: ['Pa55word0002a', 'AtSign0002b'],
  },
  {
    name: 'quotes inside the password',
    value: `http://bob:Quo"te0003a'Quo0003b@proxy.example.com:3128`,
    masked: 'http://****@proxy.example.com:3128',
    secrets: ['te0003a', 'Quo0003b'],
  },
  {
    name: 'an empty user name',
    value: 'http://:EmptyUser0004@proxy.example.com:3128',
    masked: 'http://****@proxy.example.com:3128',
    secrets: ['EmptyUser0004'],
  },
  {
    name: 'percent-encoded password',
    value: 'http://carol:Pct%40Enc0005%3Aend@proxy.example.com:3128',
    masked: 'http://****@proxy.example.com:3128',
    secrets: ['Enc0005'],
  },
  {
    name: 'several URLs in one list',
    value: 'http://dave:ListA0006@p1.example.com:3128,https://erin:ListB0006@p2.example.com,localhost',
    masked: 'http://****@p1.example.com:3128,https://****@p2.example.com,localhost',
    secrets: ['ListA0006', 'ListB0006'],
  },
  {
    name: 'user:pass@host without a scheme',
    value: 'frank:NoScheme0007@proxy.example.com:3128',
    masked: '****@proxy.example.com:3128',
    secrets: ['NoScheme0007'],
  },
  {
    name: 'flags on one line',
    value: '--http-proxy=http://gina:FlagA0008@proxy.example.com:3128 --https-proxy=hank:FlagB0008@proxy.example.com:3128',
    masked: '--http-proxy=http://****@proxy.example.com:3128 --https-proxy=****@proxy.example.com:3128',
    secrets: ['FlagA0008', 'FlagB0008'],
  },
  {
    name: 'a percent-encoded token as the user name',
    value: 'https://Tok%2DEnc0009@registry.example.com',
    masked: 'https://****@registry.example.com',
    secrets: ['Enc0009'],
  },
  {
    name: 'both quotes and @ together',
    value: `socks5://ivy:Sq'Dq"At@Both0010@socks.example.com:1080`,
    masked: 'socks5://****@socks.example.com:1080',
    secrets: ["Sq'Dq", 'Both0010'],
  },
];

/**
 * Environment variables that hold credentials, as `docker run -e` or an image's ENV gives them, with the kind and
 * masked form the collector must record and the fragments that must never be shown. One table for the classifier's
 * unit test (main/collect/env-secrets.test.ts) and for the end-to-end masking test, which sets them on a real
 * container (`in: 'container'`) or in a real image's ENV (`in: 'image'`, values `docker import --change` can carry).
 */
export interface EnvSecretSpelling {
  name: string;
  entry: string;
  in: 'container' | 'image';
  kind: EnvSecretKind;
  masked: string;
  secrets: string[];
}

export const ENV_SECRET_SPELLINGS: readonly EnvSecretSpelling[] = [
  {
    name: 'a password by its name',
    entry: 'DB_PASSWORD=hunter2Env0101',
    in: 'container',
    kind: 'name',
    masked: '****',
    secrets: ['hunter2Env0101'],
  },
  {
    name: 'an AWS access key id',
    entry: 'AWS_ACCESS_KEY_ID=AKIAENVSECRET0102XYZ',
    in: 'container',
    kind: 'aws-access-key-id',
    masked: 'AKIA****',
    secrets: ['ENVSECRET0102XYZ'],
  },
  {
    name: 'an AWS secret access key',
    entry: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEnv0103KEY',
    in: 'container',
    kind: 'aws-secret-access-key',
    masked: '****',
    secrets: ['wJalrXUtnFEMI', 'bPxRfiCYEnv0103KEY'],
  },
  {
    name: 'a private key block over several lines',
    entry: 'TLS_KEY=-----BEGIN RSA PRIVATE KEY-----\nMIIEpEnvKey0104Body\n-----END RSA PRIVATE KEY-----\n',
    in: 'container',
    kind: 'private-key',
    masked: '-----BEGIN RSA PRIVATE KEY-----****',
    secrets: ['MIIEpEnvKey0104Body'],
  },
  {
    name: 'a GCP service-account JSON',
    entry: `GOOGLE_CREDENTIALS=${JSON.stringify({ type: 'service_account', project_id: 'proj', private_key_id: 'Gcp0105KeyId', private_key: '-----BEGIN PRIVATE KEY-----\nGcp0105Body\n-----END PRIVATE KEY-----\n', client_email: 'svc@proj.iam.gserviceaccount.com' })}`,
    in: 'container',
    kind: 'gcp-service-account',
    masked: 'service_account svc@proj.iam.gserviceaccount.com ****',
    secrets: ['Gcp0105KeyId', 'Gcp0105Body'],
  },
  {
    name: 'a GitHub token under a plain name',
    entry: 'GH_AUTH=ghp_EnvTok3n0106abcdefghijklmnopqrstuvwx',
    in: 'container',
    kind: 'github-token',
    masked: 'ghp_****',
    secrets: ['EnvTok3n0106'],
  },
  {
    name: 'a GitLab token inside a command line',
    entry: 'DEPLOY_ARGS=--verbose --token glpat-EnvGitlab0107abcdefgh --retry 3',
    in: 'container',
    kind: 'gitlab-token',
    masked: 'glpat-****',
    secrets: ['EnvGitlab0107'],
  },
  {
    name: 'a Slack bot token',
    entry: 'SLACK_BOT=xoxb-1234-Env0108Slack-abc',
    in: 'container',
    kind: 'slack-token',
    masked: 'xoxb-****',
    secrets: ['Env0108Slack'],
  },
  {
    name: 'a database URL with a password',
    entry: 'DATABASE_URL=postgres://app:Env0109Pass@db.internal:5432/app?sslmode=require&password=Env0109Query',
    in: 'container',
    kind: 'url-credentials',
    masked: 'postgres://****@db.internal:5432/…',
    secrets: ['Env0109Pass', 'Env0109Query'],
  },
  {
    name: 'an API token by its name, in an image',
    entry: 'API_TOKEN=Env0110ImageToken',
    in: 'image',
    kind: 'name',
    masked: '****',
    secrets: ['Env0110ImageToken'],
  },
  {
    name: 'a Slack webhook, in an image',
    entry: 'NOTIFY_HOOK=https://hooks.slack.com/services/T0000/B0000/Env0111Webhook',
    in: 'image',
    kind: 'slack-webhook',
    masked: 'https://hooks.slack.com/services/****',
    secrets: ['Env0111Webhook'],
  },
];
