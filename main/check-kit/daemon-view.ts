import { getNodeValue } from 'jsonc-parser';
import type { Facts } from '../../shared/facts';
import type { Evidence } from '../../shared/finding';
import type { PreflightResult } from '../../shared/preflight';
import type { Source } from '../../shared/source';
import { parseDockerdFlags } from '../preflight/dockerd-flags';
import { daemonPreflightInput, engineVersionOf } from '../preflight/daemon-input';
import { formatMinor } from '../preflight/engine-version';
import { replayHostFacts } from '../preflight/host-facts';
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
  /** Why host-dependent values could not be judged (no host facts in the snapshot, and why); null when they were. */
  hostFactsMissing: string | null;
  /** The value of a daemon.json key as configured: the flag wins (the pre-flight reports both as a conflict), else the file. */
  setting(key: string): SettingValue | null;
}

const cache = new WeakMap<Facts, DaemonView>();

/** Why the pre-flight had no host answers to judge host-dependent values by; null when it had them. */
function hostFactsMissing(facts: Facts): string | null {
  const fact = facts.daemonHostFacts;
  if (fact === undefined) return 'this facts snapshot holds no host facts (collected before Dockhand recorded them)';
  return fact.ok ? null : fact.error.message;
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
      for (const p of doc.properties)
        file.set(p.key, { value: getNodeValue(p.value) as unknown, line: p.keyPosition.line, column: p.keyPosition.column });
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
    // The answers the collector got from the daemon's host; a question it was not asked is unknown, never guessed.
    preflight: (() => {
      const answers = facts.daemonHostFacts?.ok ? facts.daemonHostFacts.value.answers : null;
      const input = daemonPreflightInput(facts, answers ? replayHostFacts(answers, { strict: false }) : null);
      return input ? preflight(input) : null;
    })(),
    hostFactsMissing: hostFactsMissing(facts),
    setting(key) {
      const fromFlag = flags?.get(key);
      if (fromFlag && flagsSource) {
        return { value: fromFlag.length === 1 ? fromFlag[0] : fromFlag, source: flagsSource, origin: 'flag' };
      }
      const fromFile = file?.get(key);
      if (fromFile && config)
        return {
          value: fromFile.value,
          source: { kind: 'file', path: config.path, line: fromFile.line, column: fromFile.column },
          origin: 'file',
        };
      return null;
    },
  };
  cache.set(facts, view);
  return view;
}

/** Evidence for a configured setting (flag or daemon.json, with its position), or the default that applies when unset. */
export function settingEvidence(
  label: string,
  setting: SettingValue | null,
  fallback: { value: Evidence['value']; detail: string },
): Evidence {
  if (setting)
    return {
      label: `${label} (${setting.origin === 'flag' ? 'dockerd flag' : 'daemon.json'})`,
      value: setting.value as Evidence['value'],
      source: setting.source,
    };
  return { label: `${label} (not configured)`, value: fallback.value, source: { kind: 'default', detail: fallback.detail } };
}

/**
 * A boolean setting, from JSON or a flag's text ("true"/"false"); a repeated flag counts by its last value. Null when
 * unset or not a boolean.
 */
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
