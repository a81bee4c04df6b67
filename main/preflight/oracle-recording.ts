import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PreflightResult } from '../../shared/preflight';
import { decodeConfigBytes } from './decode';
import type { HostAnswers, HostFacts } from './host-facts';
import type { OracleVariant } from './oracle-variants';
import { preflight } from './preflight';

/** What one engine did with one variant: started or refused (or never answered), and whether a container then ran. */
export interface RecordedOutcome {
  started: boolean | 'timeout';
  exitCode?: number | null;
  containerRuns?: boolean;
  /** dockerd's refusal line, or the `docker run` error. */
  detail?: string;
}

export interface OracleRecording {
  engines: Record<string, { version: string; results: Record<string, RecordedOutcome & { digest: string }> }>;
  /** The recorder host's answers to every question the pre-flight's host rules asked about the variants. */
  host?: HostAnswers;
}

/** The recorder's own flags, as dockerd saw them (paths do not matter to the pre-flight, only which flags are set). */
const RECORDER_FLAGS = ['--data-root', '/d', '--exec-root', '/e', '--pidfile', '/p', '-H', 'unix:///s', '--config-file', '/c'];

/** The pre-flight's verdict on a variant for an engine version ("26.1.5"), with the given host facts. */
export function preflightVariant(variant: OracleVariant, engineVersion: string, host: HostFacts): PreflightResult {
  const decoded = decodeConfigBytes(Buffer.isBuffer(variant.text) ? variant.text : Buffer.from(variant.text, 'utf8'));
  return preflight({
    ...decoded,
    path: 'daemon.json',
    explicit: true,
    flags: [...RECORDER_FLAGS, ...(variant.flags ?? [])],
    engineVersion,
    platform: 'linux',
    host,
  });
}

/** The x.y.z of a `dockerd --version` line. */
export const engineVersionOf = (line: string): string => /version v?(\d+\.\d+\.\d+)/i.exec(line)?.[1] ?? line;

export const RECORDING_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oracle-recording.json');

/** Identifies a variant's content, so a recording made for different bytes or flags is detected as stale. */
export function variantDigest(variant: Pick<OracleVariant, 'text' | 'flags'>): string {
  const bytes = Buffer.isBuffer(variant.text) ? variant.text : Buffer.from(variant.text, 'utf8');
  return createHash('sha256')
    .update(bytes)
    .update(JSON.stringify(variant.flags ?? []))
    .digest('hex')
    .slice(0, 16);
}
