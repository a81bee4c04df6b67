import { getNodeValue } from 'jsonc-parser';
import type { Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import type { PreflightResult } from '../../shared/preflight';
import type { Source } from '../../shared/source';
import { parseDockerdFlags } from '../preflight/dockerd-flags';
import { formatMinor, NEWEST_KNOWN } from '../preflight/engine-version';
import { parseJsonDocument } from '../preflight/json-document';
import { OptionIndex } from '../preflight/option-index';
import { preflight } from '../preflight/preflight';

export interface SettingValue {
  value: unknown;
  source: Source;
  origin: 'flag' | 'file';
}

/** The daemon's configuration as checks need it: file values with positions, flags, and which one is in effect. */
export interface DaemonView {
  /** The engine version rules are applied for, and whether it was known or assumed. */
  engineVersion: string;
  engineVersionKnown: boolean;
  /** Why engineVersion was assumed (no daemon to ask); null when the daemon said it. */
  engineVersionAssumedBecause: string | null;
  configPath: string | null;
  /** Parsed file values with their positions; null when the file is missing, unreadable or not valid JSON. */
  file: Map<string, { value: unknown; line: number; column: number }> | null;
  flags: Map<string, string[]> | null;
  flagsSource: Source | null;
  preflight: PreflightResult | null;
  /** The value of a daemon.json key as configured: the flag wins (the pre-flight reports both as a conflict), else the file. */
  setting(key: string): SettingValue | null;
}

const cache = new WeakMap<Facts, DaemonView>();

/** The running engine's version; when it cannot be asked, the newest known, with why it was assumed. */
export function engineVersionOf(facts: Facts): { version: string; known: boolean; assumedBecause: string | null } {
  if (facts.engine.ok) return { version: facts.engine.value.version, known: true, assumedBecause: null };
  if (facts.info.ok && facts.info.value.serverVersion) return { version: facts.info.value.serverVersion, known: true, assumedBecause: null };
  const why =
    facts.mode === 'offline-root'
      ? `an offline root${facts.root ? ` (${facts.root})` : ''} has no running daemon to ask`
      : `the daemon could not be asked its version (${facts.engine.error.message})`;
  return { version: NEWEST_KNOWN, known: false, assumedBecause: `${why}: Engine ${NEWEST_KNOWN}, the newest whose rules Dockhand knows, is assumed` };
}

/** Built once per facts snapshot and shared by every check (checks stay pure: same facts, same view). */
export function daemonView(facts: Facts): DaemonView {
  const cached = cache.get(facts);
  if (cached) return cached;
  const { version, known, assumedBecause } = engineVersionOf(facts);
  const platform = facts.engine.ok && facts.engine.value.os === 'windows' ? 'windows' : 'linux';
  const index = new OptionIndex(formatMinor(version), platform);
  const config = facts.daemonConfig.ok ? facts.daemonConfig.value : null;
  let file: DaemonView['file'] = null;
  if (config?.text != null) {
    const doc = parseJsonDocument(config.text.replace(/^\uFEFF/, ''));
    if (doc.ok) {
      file = new Map();
      for (const p of doc.properties) file.set(p.key, { value: getNodeValue(p.value) as unknown, line: p.keyPosition.line, column: p.keyPosition.column });
    }
  } else if (config && !config.exists) {
    file = new Map();
  }
  const flagArgs = facts.daemonFlags.ok ? facts.daemonFlags.value.args : null;
  let flags: DaemonView['flags'] = null;
  if (flagArgs) {
    flags = new Map();
    for (const entry of parseDockerdFlags(flagArgs, index).set.values()) if (entry.key) flags.set(entry.key, entry.values);
  }
  const flagsSource = facts.daemonFlags.ok ? (facts.daemonFlags.sources[0] ?? null) : null;
  const view: DaemonView = {
    engineVersion: formatMinor(version),
    engineVersionKnown: known,
    engineVersionAssumedBecause: assumedBecause,
    configPath: config?.path ?? null,
    file,
    flags,
    flagsSource,
    preflight: config
      ? preflight({ text: config.text, encoding: config.encoding, path: config.path, explicit: config.explicit, flags: flagArgs, engineVersion: version, platform })
      : null,
    setting(key) {
      const fromFlag = flags?.get(key);
      if (fromFlag && flagsSource) {
        return { value: fromFlag.length === 1 ? fromFlag[0] : fromFlag, source: flagsSource, origin: 'flag' };
      }
      const fromFile = file?.get(key);
      if (fromFile && config) return { value: fromFile.value, source: { kind: 'file', path: config.path, line: fromFile.line, column: fromFile.column }, origin: 'file' };
      return null;
    },
  };
  cache.set(facts, view);
  return view;
}

/** Evidence for a configured setting (flag or daemon.json, with its position), or the default that applies when unset. */
export function settingEvidence(label: string, setting: SettingValue | null, fallback: { value: Evidence['value']; detail: string }): Evidence {
  if (setting) return { label: `${label} (${setting.origin === 'flag' ? 'dockerd flag' : 'daemon.json'})`, value: setting.value as Evidence['value'], source: setting.source };
  return { label: `${label} (not configured)`, value: fallback.value, source: { kind: 'default', detail: fallback.detail } };
}

/** A boolean setting, from JSON or a flag's text ("true"/"false"); a repeated flag counts by its last value. Null when unset or not a boolean. */
export function settingBoolean(setting: SettingValue | null): boolean | null {
  const v = Array.isArray(setting?.value) ? setting.value.at(-1) : setting?.value;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  return null;
}

/** A list setting's non-empty strings (one flag value or a daemon.json array). */
export function settingStrings(setting: SettingValue | null): string[] {
  if (!setting) return [];
  const values = Array.isArray(setting.value) ? setting.value : [setting.value];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
}
