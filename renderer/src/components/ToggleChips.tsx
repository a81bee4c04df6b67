import { groupDigits } from '../lib/format';

interface ToggleChipsProps<T extends string> {
  label: string;
  values: readonly T[];
  labels: Record<T, string>;
  selected: ReadonlySet<T>;
  counts: ReadonlyMap<T, number>;
  onToggle: (value: T) => void;
}

/** A row of on/off filter buttons with how many findings each would show (aria-pressed tells its state). */
export function ToggleChips<T extends string>({ label, values, labels, selected, counts, onToggle }: ToggleChipsProps<T>) {
  return (
    <div className="chip-group" role="group" aria-label={label}>
      {values.map((v) => (
        <button key={v} type="button" className="chip toggle" aria-pressed={selected.has(v)} onClick={() => onToggle(v)}>
          {labels[v]} <span className="chip-count">{groupDigits(counts.get(v) ?? 0)}</span>
        </button>
      ))}
    </div>
  );
}
