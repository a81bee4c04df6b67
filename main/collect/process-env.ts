import type { Fact } from '../../shared/fact';
import type { ProcessEnvFact } from '../../shared/facts/host-files';
import { maskSecretsInText } from '../../shared/mask';
import type { Source } from '../../shared/source';
import { HostError } from '../host/host';
import { type CollectContext, failure } from './context';

/** What the docker CLI (and Dockhand's endpoint discovery) read from the environment. */
const CLIENT_ENV_VARS = [
  'DOCKER_HOST',
  'DOCKER_TLS_VERIFY',
  'DOCKER_TLS',
  'DOCKER_CERT_PATH',
  'DOCKER_CONTEXT',
  'DOCKER_CONTENT_TRUST',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
] as const;

export async function collectProcessEnv(ctx: CollectContext): Promise<Fact<ProcessEnvFact>> {
  const { host } = ctx;
  if (host.kind === 'rootfs') {
    return failure(new HostError('unsupported', 'an offline root filesystem has no process environment to read'));
  }
  const vars: ProcessEnvFact['vars'] = [];
  const sources: Source[] = [];
  for (const name of CLIENT_ENV_VARS) {
    const value = host.env(name);
    if (value === undefined) continue;
    vars.push({ name, value: maskSecretsInText(value) });
    sources.push({ kind: 'env', name });
  }
  return { ok: true, value: { vars }, sources };
}
