import type { KeepReason } from './prune';

/**
 * The prune plan's reasons name the options as the CLI spells them (`--images unused`); the app's Disk form has its
 * own names for the same options. One table of both, so a reason shown in the app names what the user can change there.
 */
const OPTION_WORDS: readonly { cli: string; form: string }[] = [
  { cli: '--images unused', form: 'Images: "All unused images"' },
  { cli: '--volumes anonymous', form: 'Volumes: "Unused anonymous volumes"' },
  { cli: '--volumes all', form: 'Volumes: "All unused volumes (named too)"' },
  { cli: '--volume NAME', form: '"Named volumes to remove"' },
  { cli: '--build-cache', form: '"Build cache not in use"' },
  { cli: '--networks', form: '"Unused networks"' },
  { cli: '--filter', form: 'the label filter' },
  { cli: '--until', form: '"Only older than"' },
];

/** A plan's reason or note in the Disk form's words. */
export function inFormWords(text: string): string {
  return OPTION_WORDS.reduce((t, w) => t.split(w.cli).join(w.form), text);
}

/** Why the plan kept an object, in a few words (the app's chips, the CLI's "kept before"). */
export const KEEP_LABEL: Record<KeepReason, string> = {
  running: 'running',
  'in-use': 'in use',
  protected: 'protected',
  'too-recent': 'too recent',
  'not-selected': 'not selected',
  filtered: 'filtered out',
  'parent-of-kept': 'parent of a kept image',
  builtin: 'built in',
};
