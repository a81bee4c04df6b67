import type { PreflightProblem } from '../../shared/preflight';
import type { OptionIndex } from './option-index';

export interface SetFlag {
  flag: string;
  key: string | null;
  values: string[];
}

export interface ParsedFlags {
  set: Map<string, SetFlag>;
  problems: PreflightProblem[];
}

const flagProblem = (kind: PreflightProblem['kind'], message: string): PreflightProblem => ({
  line: null,
  column: null,
  key: null,
  severity: 'error',
  kind,
  message,
});

/** Parses a dockerd argv (without the program name) as pflag does: --name=value, --name value, -Xvalue, booleans. */
export function parseDockerdFlags(args: readonly string[], index: OptionIndex): ParsedFlags {
  const set = new Map<string, SetFlag>();
  const problems: PreflightProblem[] = [];
  const record = (name: string, value: string) => {
    const def = index.flags.get(name)!;
    const entry = set.get(name) ?? { flag: name, key: def.key, values: [] };
    entry.values.push(value);
    set.set(name, entry);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      if (i + 1 < args.length) problems.push(flagProblem('unknown-flag', `dockerd takes no arguments, but was given '${args[i + 1]}'`));
      break;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const long = index.shorthands.get(arg[1]!);
      if (!long) {
        problems.push(flagProblem('unknown-flag', `unknown shorthand flag '${arg[1]}' in ${arg}: dockerd will refuse to start`));
        continue;
      }
      name = long;
      const rest = arg.slice(2);
      inline = rest === '' ? undefined : rest.replace(/^=/, '');
    } else {
      problems.push(flagProblem('unknown-flag', `dockerd takes no arguments, but was given '${arg}': it will refuse to start`));
      continue;
    }
    const def = index.flags.get(name);
    if (!def) {
      problems.push(flagProblem('unknown-flag', `unknown flag --${name} for Docker Engine ${index.version}: dockerd will refuse to start`));
      continue;
    }
    if (def.boolean) {
      record(name, inline ?? 'true');
      continue;
    }
    if (inline !== undefined) {
      record(name, inline);
      continue;
    }
    const next = args[i + 1];
    if (next === undefined) {
      problems.push(flagProblem('unknown-flag', `flag --${name} needs a value: dockerd will refuse to start`));
      continue;
    }
    record(name, next);
    i++;
  }
  return { set, problems };
}
