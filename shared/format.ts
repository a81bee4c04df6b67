// Number formatting for messages and evidence. Hand-rolled on purpose: the first toLocaleString/Intl call loads ICU
// data (~8 ms), paid on every CLI run; output must also not depend on the user's locale.

const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
const UNITS: [number, string][] = [
  [GiB * 1024, 'TiB'],
  [GiB, 'GiB'],
  [MiB, 'MiB'],
  [KiB, 'KiB'],
];

/** Binary units, as `docker system df` and `df -h` print them. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  const abs = Math.abs(bytes);
  for (const [size, unit] of UNITS) if (abs >= size) return `${sign}${(abs / size).toFixed(1)} ${unit}`;
  return `${bytes} B`;
}

/** An integer with thousands separators: 1234567 → "1,234,567". */
export function groupDigits(n: number): string {
  const [whole, fraction] = String(Math.abs(n)).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${n < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** A span of time as a person says it: "40 ms", "2.5 s", "42 s", "5 min", "3 h", "12 days". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 2 * 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}
