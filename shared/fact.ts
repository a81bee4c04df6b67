import { z } from 'zod';
import { SourceSchema } from './source';

/** Why a fact could not be collected. The code lets checks choose between `skipped` and `error`. */
export const FactErrorCodeSchema = z.enum([
  'timeout', // the source did not answer in time (hung or slow daemon)
  'unreachable', // nothing listens, connection refused, socket missing
  'permission-denied',
  'not-found', // the file or unit does not exist
  'too-large',
  'malformed', // something answered but not in the expected format (a non-Docker process on the socket)
  'unsupported', // not available on this platform / engine version / offline root
  'failed', // anything else, with the message
]);
export type FactErrorCode = z.infer<typeof FactErrorCodeSchema>;

export const FactErrorSchema = z.object({ code: FactErrorCodeSchema, message: z.string() });
export type FactError = z.infer<typeof FactErrorSchema>;

/**
 * A collected value, or the error met while collecting it: never a crash, never a silent default.
 * `sources` says where the value came from (or where Dockhand looked).
 */
export function factSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value, sources: z.array(SourceSchema) }),
    z.object({ ok: z.literal(false), error: FactErrorSchema, sources: z.array(SourceSchema) }),
  ]);
}

export type Fact<T> =
  | { ok: true; value: T; sources: z.infer<typeof SourceSchema>[] }
  | { ok: false; error: FactError; sources: z.infer<typeof SourceSchema>[] };
