import { z } from 'zod';

/**
 * Where a value came from. Every fact and every piece of evidence carries one, so a user can go and look
 * (file and line, the command that was run, the Engine API call) instead of trusting Dockhand.
 */
export const SourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    path: z.string(),
    line: z.number().int().positive().optional(),
    column: z.number().int().positive().optional(),
  }),
  z.object({ kind: z.literal('command'), command: z.string() }),
  z.object({ kind: z.literal('api'), call: z.string().describe('Engine API call, e.g. "GET /info"') }),
  z.object({ kind: z.literal('env'), name: z.string() }),
  z.object({ kind: z.literal('process'), pid: z.number().int(), detail: z.string().optional() }),
  z.object({ kind: z.literal('default'), detail: z.string().describe('why the built-in default applies') }),
  z.object({ kind: z.literal('user'), detail: z.string().describe('given by the user, e.g. a CLI option') }),
]);
export type Source = z.infer<typeof SourceSchema>;
