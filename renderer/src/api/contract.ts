import { z } from 'zod';
import {
  AnyEnvelopeSchema,
  type ApiErrorShape,
  type ChannelName,
  CHANNELS,
  type Envelope,
  type EventMessage,
  type EventName,
  EVENTS,
  FindingsPageSchema,
  parseEventMessage,
} from '../../../shared/api';
import { SEVERITIES, STATUSES } from '../../../shared/constants';
import { ReportSchema } from '../../../shared/report';

// The contract's zod schemas, on the page's side. Building them takes tens of milliseconds, so this module is loaded
// apart from the UI's own (client.ts imports it dynamically): the page renders its shell while they are built.

const SEVERITY_SET = new Set<unknown>(SEVERITIES);
const STATUS_SET = new Set<unknown>(STATUSES);

/** What the UI indexes and sorts a finding by. */
function hasFindingShape(value: unknown): boolean {
  const f = value as {
    id?: unknown;
    checkId?: unknown;
    severity?: unknown;
    result?: { status?: unknown; message?: unknown; evidence?: unknown };
  } | null;
  return (
    typeof f?.id === 'string' &&
    typeof f.checkId === 'string' &&
    SEVERITY_SET.has(f.severity) &&
    STATUS_SET.has(f.result?.status) &&
    typeof f.result?.message === 'string' &&
    Array.isArray(f.result.evidence)
  );
}

/**
 * Findings as this side checks them: only for what the UI indexes and sorts by (a plain loop). The main process has
 * validated them against the contract before sending; checking ten thousand findings in full again here blocked the
 * page for ~90 ms on every load.
 */
const FindingsShapeSchema = z
  .array(z.unknown())
  .refine((all) => all.every(hasFindingShape), 'a finding without its id, severity, status, message or evidence');
const ReportShapeSchema = ReportSchema.extend({ findings: FindingsShapeSchema });
const OUTPUT_CHECKS: { [C in ChannelName]?: z.ZodType } = {
  'audit.run': ReportShapeSchema,
  'report.last': ReportShapeSchema.nullable(),
  'report.findings': FindingsPageSchema.extend({ findings: FindingsShapeSchema }).nullable(),
};

/** A channel's answer checked against this UI's contract: a mismatch (an older main process) is an error, not garbage on screen. */
export function checkOutput(channel: ChannelName, result: unknown): { ok: true; value: unknown } | { ok: false; error: ApiErrorShape } {
  const checked = (OUTPUT_CHECKS[channel] ?? CHANNELS[channel].output).safeParse(result);
  return checked.success
    ? { ok: true, value: checked.data }
    : { ok: false, error: { code: 'invalid-output', message: `${channel}: the answer does not match this UI's contract` } };
}

/** An event's payload checked against the contract; null when it does not match (dropped, not acted on). */
export function checkEvent(event: EventName, payload: unknown): { value: unknown } | null {
  const checked = EVENTS[event].safeParse(payload);
  return checked.success ? { value: checked.data } : null;
}

/** An envelope read off the wire (its result is checked per channel by checkOutput), or null when it is not one. */
export function readEnvelope(body: unknown): Envelope<unknown> | null {
  const envelope = AnyEnvelopeSchema.safeParse(body);
  return envelope.success ? (envelope.data as Envelope<unknown>) : null;
}

export function readEventMessage(raw: unknown): EventMessage | null {
  return parseEventMessage(raw);
}
