import { z } from 'zod';

export const EndpointSchema = z.object({
  /** Normalised address: unix:///path, tcp://host:port, ssh://user@host, npipe:////./pipe/name */
  host: z.string(),
  transport: z.enum(['unix', 'tcp', 'ssh', 'npipe']),
  tls: z
    .object({
      verify: z.boolean(),
      certPath: z.string().nullable(),
    })
    .nullable(),
  /** The docker context the endpoint came from, when one did. */
  context: z.string().nullable(),
  /** How Dockhand chose it, in words: "DOCKER_HOST is set", "current context 'colima' in ~/.docker/config.json", ... */
  reason: z.string(),
  /** What kind of daemon this socket usually belongs to, from its location. */
  flavour: z.enum(['rootful', 'rootless', 'desktop', 'remote', 'unknown']),
});
export type Endpoint = z.infer<typeof EndpointSchema>;
