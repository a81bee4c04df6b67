import type { Facts } from '../../shared/facts';
import { NEWEST_KNOWN } from './engine-version';
import type { HostFacts } from './host-facts';
import type { PreflightInput } from './preflight';

/** The facts the pre-flight of an audited daemon is built from. */
export type DaemonFacts = Pick<Facts, 'engine' | 'info' | 'daemonConfig' | 'daemonFlags' | 'mode' | 'root'>;

/** The running engine's version; when it cannot be asked, the newest known, with why it was assumed. */
export function engineVersionOf(facts: Pick<Facts, 'engine' | 'info' | 'mode' | 'root'>): {
  version: string;
  known: boolean;
  assumedBecause: string | null;
} {
  if (facts.engine.ok) return { version: facts.engine.value.version, known: true, assumedBecause: null };
  if (facts.info.ok && facts.info.value.serverVersion)
    return { version: facts.info.value.serverVersion, known: true, assumedBecause: null };
  const why =
    facts.mode === 'offline-root'
      ? `an offline root${facts.root ? ` (${facts.root})` : ''} has no running daemon to ask`
      : `the daemon could not be asked its version (${facts.engine.error.message})`;
  return {
    version: NEWEST_KNOWN,
    known: false,
    assumedBecause: `${why}: Engine ${NEWEST_KNOWN}, the newest whose rules Dockhand knows, is assumed`,
  };
}

/**
 * The pre-flight's input for the audited daemon's own daemon.json and flags: one definition, so the questions the
 * collector asks the host are the ones the check's pre-flight asks again from the snapshot. Null without a daemon.json fact.
 */
export function daemonPreflightInput(facts: DaemonFacts, host: HostFacts | null): PreflightInput | null {
  if (!facts.daemonConfig.ok) return null;
  const config = facts.daemonConfig.value;
  return {
    text: config.text,
    encoding: config.encoding,
    path: config.path,
    explicit: config.explicit,
    flags: facts.daemonFlags.ok ? facts.daemonFlags.value.args : null,
    engineVersion: engineVersionOf(facts).version,
    platform: facts.engine.ok && facts.engine.value.os === 'windows' ? 'windows' : 'linux',
    host,
  };
}
