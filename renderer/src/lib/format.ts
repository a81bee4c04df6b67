import type { JsonValue } from '../../../shared/json';

export { formatBytes, groupDigits } from '../../../shared/format';

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: [number, Intl.RelativeTimeFormatUnit][] = [
  [60, 'second'],
  [60, 'minute'],
  [24, 'hour'],
  [7, 'day'],
  [4.35, 'week'],
  [12, 'month'],
  [Infinity, 'year'],
];

/** "3 minutes ago", for the last audit time (the exact time goes in a title/tooltip next to it). */
export function relativeTime(iso: string, now: number = Date.now()): string {
  let value = (Date.parse(iso) - now) / 1000;
  if (Math.abs(value) < 10) return 'just now';
  for (const [size, unit] of STEPS) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return new Date(iso).toLocaleString();
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Evidence values as a person reads them: strings bare, the rest as compact JSON. */
export function formatValue(value: JsonValue): string {
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  if (value === null) return '(not set)';
  return JSON.stringify(value, null, typeof value === 'object' && JSON.stringify(value).length > 60 ? 2 : undefined);
}

/** The engines' messages read as clauses ("applied and verified: …", for the CLI's "OUTCOME  message"); on screen they start a sentence. */
export function asSentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
