// The prune options' input rules as plain patterns: the Disk form checks input as it is typed without loading zod,
// and the API's schema (shared/api.ts) and the CLI's parser (main/prune/filters.ts) use the same ones.
import type { PruneOptions } from './prune';

/** A Go duration as docker's `until` filter takes it: "168h", "1h30m", "90s", "1.5h". */
export const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/** docker's rule for volume names (RestrictedNamePattern). */
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** A label key as a filter names it: `=` separates it from the value, so it cannot hold one; nor spaces. */
export const LABEL_KEY = /^[^=\s]{1,200}$/;

/** Objects with this label set to "true" are never removed, unless another label is named. */
export const DEFAULT_PROTECT_LABEL = 'dockhand.protect';

/**
 * What `dockhand prune plan` does without options: what `docker system prune -a` removes, never volumes, the protection
 * label honoured. The engine's defaults and the Disk form's starting point; frozen, so callers copy before changing.
 */
export const DEFAULT_PRUNE_OPTIONS: Readonly<PruneOptions> = Object.freeze({
  containers: true,
  images: 'unused',
  volumes: 'none',
  volumeNames: [],
  buildCache: true,
  networks: true,
  until: null,
  labelFilters: [],
  protectLabel: DEFAULT_PROTECT_LABEL,
});

export const PRUNE_INPUT_LIMITS = { volumeNames: 100, labelFilters: 20, labelValue: 500 } as const;

/** What a label filter reads as on the command line: label=KEY[=VALUE] or label!=KEY[=VALUE]. */
export function labelFilterText(f: { key: string; value: string | null; negate: boolean }): string {
  return `label${f.negate ? '!=' : '='}${f.key}${f.value === null ? '' : `=${f.value}`}`;
}
