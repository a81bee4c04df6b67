import { z } from 'zod';

/** stat of a path the audit cares about (CIS 3.x ownership and permission checks, the Docker socket). */
export const FileStatFactSchema = z.object({
  path: z.string(),
  /** Why it was looked at, e.g. "docker.service unit", "daemon socket", "TLS CA certificate (--tlscacert)". */
  role: z.string(),
  exists: z.boolean(),
  kind: z.enum(['file', 'directory', 'socket', 'other']).nullable(),
  /** Permission bits only (mode & 0o7777). */
  mode: z.number().int().nullable(),
  uid: z.number().int().nullable(),
  gid: z.number().int().nullable(),
  owner: z.string().nullable(),
  group: z.string().nullable(),
  /** Why it could not be stat'ed, when it exists but could not be read. */
  error: z.string().nullable(),
});
export type FileStatFact = z.infer<typeof FileStatFactSchema>;

/** /etc/passwd and /etc/group, parsed (no secrets are in them). */
export const AccountsFactSchema = z.object({
  users: z.array(z.object({ name: z.string(), uid: z.number().int(), gid: z.number().int(), home: z.string(), shell: z.string() })),
  groups: z.array(z.object({ name: z.string(), gid: z.number().int(), members: z.array(z.string()), line: z.number().int() })),
});
export type AccountsFact = z.infer<typeof AccountsFactSchema>;

export const SubIdRangeSchema = z.object({ user: z.string(), start: z.number().int(), count: z.number().int(), line: z.number().int() });
/** /etc/subuid and /etc/subgid (userns-remap and rootless need ranges there). */
export const SubIdsFactSchema = z.object({
  subuid: z.array(SubIdRangeSchema),
  subgid: z.array(SubIdRangeSchema),
  /** Lines that did not parse, with their file and line number. */
  malformed: z.array(z.object({ path: z.string(), line: z.number().int(), text: z.string() })),
});
export type SubIdsFact = z.infer<typeof SubIdsFactSchema>;

/** ~/.docker/config.json, reduced to what checks need. Secrets are never stored: only whether they are present. */
export const ClientConfigFactSchema = z.object({
  path: z.string(),
  exists: z.boolean(),
  auths: z.array(
    z.object({
      registry: z.string(),
      /** An inline base64 user:password ("auth") is present: a plaintext credential. */
      hasInlineAuth: z.boolean(),
      hasIdentityToken: z.boolean(),
      line: z.number().int().nullable(),
    }),
  ),
  credsStore: z.string().nullable(),
  credHelpers: z.record(z.string(), z.string()),
  /** The "proxies" section for containers started by this client, URLs with credentials masked. */
  proxies: z.record(z.string(), z.record(z.string(), z.string())),
  currentContext: z.string().nullable(),
});
export type ClientConfigFact = z.infer<typeof ClientConfigFactSchema>;

/** Variables of Dockhand's own environment that matter to Docker (proxy URLs masked). */
export const ProcessEnvFactSchema = z.object({
  vars: z.array(z.object({ name: z.string(), value: z.string() })),
});
export type ProcessEnvFact = z.infer<typeof ProcessEnvFactSchema>;

/** auditd rules (CIS 1.1.x): the watched paths, from /etc/audit/audit.rules and /etc/audit/rules.d/*.rules. */
export const AuditRulesFactSchema = z.object({
  files: z.array(z.string()),
  watches: z.array(z.object({ path: z.string(), file: z.string(), line: z.number().int() })),
});
export type AuditRulesFact = z.infer<typeof AuditRulesFactSchema>;
