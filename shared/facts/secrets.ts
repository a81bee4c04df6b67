import { z } from 'zod';

/**
 * What made an environment variable look like a credential. `name` is a match on the variable's name alone
 * (DB_PASSWORD, API_TOKEN) with a value of no known shape; every other kind is a value of a recognised shape, whatever
 * the variable is called.
 */
const ENV_SECRET_KINDS = [
  'private-key',
  'gcp-service-account',
  'aws-access-key-id',
  'aws-secret-access-key',
  'github-token',
  'gitlab-token',
  'slack-token',
  'slack-webhook',
  'google-api-key',
  'stripe-key',
  'npm-token',
  'url-credentials',
  'name',
] as const;
export const EnvSecretKindSchema = z.enum(ENV_SECRET_KINDS);
export type EnvSecretKind = z.infer<typeof EnvSecretKindSchema>;

/**
 * One variable of Config.Env (a container's or an image's) that looks like a credential, classified when it was
 * collected. The value itself is never kept: only a masked form that shows its shape, and a fingerprint that tells
 * whether two entries of one snapshot are the same (an HMAC of `NAME=value` under a key that exists only in the
 * collecting process, so it can be neither reversed nor guessed at).
 */
export const EnvSecretSchema = z.object({
  name: z.string(),
  kind: EnvSecretKindSchema,
  /** e.g. `****`, `AKIA****`, `postgres://****@db:5432/…`, `-----BEGIN RSA PRIVATE KEY-----****`. */
  masked: z.string(),
  fingerprint: z.string(),
});
export type EnvSecret = z.infer<typeof EnvSecretSchema>;

/**
 * The variables of a Config.Env that look like credentials, only those. Optional where it is used: snapshots saved
 * before it was collected have none, and checks then say so instead of passing.
 */
export const EnvSecretsSchema = z.array(EnvSecretSchema);
