import type { PruneForm } from '../../../shared/api';
import { DEFAULT_PRUNE_OPTIONS, GO_DURATION, LABEL_KEY, PRUNE_INPUT_LIMITS, VOLUME_NAME } from '../../../shared/prune-input';

/** A label filter as typed: an empty value means "has the label, whatever its value". */
export interface LabelFilterDraft {
  /** Stable across edits, for React keys and input ids. */
  id: number;
  negate: boolean;
  key: string;
  value: string;
}

/** The Disk form as typed: text where the user types, so a half-typed value is kept and explained, not dropped. */
export interface PruneDraft extends Omit<PruneForm, 'until' | 'volumeNames' | 'labelFilters' | 'protectLabel'> {
  until: string;
  volumeNames: string;
  labelFilters: LabelFilterDraft[];
  protectLabel: string;
}

export interface PruneDraftErrors {
  until?: string;
  volumeNames?: string;
  protectLabel?: string;
  /** By filter id. */
  labelFilters: Map<number, string>;
}

export const DEFAULT_DRAFT: PruneDraft = {
  ...DEFAULT_PRUNE_OPTIONS,
  until: '',
  volumeNames: '',
  labelFilters: [],
  protectLabel: DEFAULT_PRUNE_OPTIONS.protectLabel,
};

/** Volume names as typed: separated by commas or spaces, each once. */
const splitNames = (text: string): string[] => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/**
 * The form the API takes, or null while something typed is not valid yet, with what is wrong with each field in
 * words. The rules are the API's own (shared/prune-input.ts); the API checks them again.
 */
export function readPruneDraft(draft: PruneDraft): { form: PruneForm | null; errors: PruneDraftErrors } {
  const errors: PruneDraftErrors = { labelFilters: new Map() };
  const until = draft.until.trim();
  if (until !== '' && !GO_DURATION.test(until)) errors.until = 'Not a duration: use a number and a unit, such as 168h or 30m.';

  const volumeNames = splitNames(draft.volumeNames);
  const badNames = volumeNames.filter((n) => !VOLUME_NAME.test(n));
  if (badNames.length > 0)
    errors.volumeNames = `Not a volume name: ${badNames.join(', ')} (letters, digits, _ . and -, at least two characters).`;
  else if (volumeNames.length > PRUNE_INPUT_LIMITS.volumeNames)
    errors.volumeNames = `At most ${PRUNE_INPUT_LIMITS.volumeNames} volumes at a time.`;

  const protectLabel = draft.protectLabel.trim();
  if (!LABEL_KEY.test(protectLabel)) errors.protectLabel = 'A label key without = or spaces, such as dockhand.protect.';

  // A filter left empty is not one yet: it is ignored, not an error.
  const filters = draft.labelFilters.filter((f) => f.key.trim() !== '' || f.value !== '');
  for (const f of filters) {
    if (!LABEL_KEY.test(f.key.trim()))
      errors.labelFilters.set(f.id, f.key.trim() === '' ? 'Give the label key to match.' : 'A label key has no = or spaces.');
    else if (f.value.length > PRUNE_INPUT_LIMITS.labelValue)
      errors.labelFilters.set(f.id, `A value of at most ${PRUNE_INPUT_LIMITS.labelValue} characters.`);
  }

  const valid = !errors.until && !errors.volumeNames && !errors.protectLabel && errors.labelFilters.size === 0;
  const form: PruneForm | null = valid
    ? {
        ...draft,
        until: until === '' ? null : until,
        volumeNames,
        labelFilters: filters.map((f) => ({ key: f.key.trim(), value: f.value === '' ? null : f.value, negate: f.negate })),
        protectLabel,
      }
    : null;
  return { form, errors };
}
