import { Plus, X } from 'lucide-react';
import { useRef } from 'react';
import type { PruneForm } from '../../../../shared/api';
import type { LabelFilterDraft, PruneDraft, PruneDraftErrors } from '../../lib/prune-draft';

interface PruneFieldsProps {
  draft: PruneDraft;
  errors: PruneDraftErrors;
  onChange: (draft: PruneDraft) => void;
  disabled: boolean;
}

/** Every option `dockhand prune plan` takes, as a form; each field explains what is wrong with what was typed. */
export function PruneFields({ draft, errors, onChange, disabled }: PruneFieldsProps) {
  const set = (patch: Partial<PruneDraft>) => onChange({ ...draft, ...patch });
  return (
    <fieldset className="prune-form" disabled={disabled}>
      <legend className="visually-hidden">What to remove</legend>
      <div className="prune-grid">
        <div className="field">
          <label htmlFor="prune-images">Images</label>
          <select id="prune-images" value={draft.images} onChange={(e) => set({ images: e.target.value as PruneForm['images'] })}>
            <option value="none">Keep all images</option>
            <option value="dangling">Dangling (untagged) only</option>
            <option value="unused">All unused images</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="prune-volumes">Volumes</label>
          <select
            id="prune-volumes"
            value={draft.volumes}
            onChange={(e) => set({ volumes: e.target.value as PruneForm['volumes'] })}
            aria-describedby="volumes-help"
          >
            <option value="none">Keep all volumes</option>
            <option value="anonymous">Unused anonymous volumes</option>
            <option value="all">All unused volumes (named too)</option>
          </select>
          <p className="help" id="volumes-help">
            Volumes hold data: they are kept unless you choose otherwise.
          </p>
        </div>
        <TextField
          id="prune-until"
          label="Only older than"
          value={draft.until}
          onChange={(until) => set({ until })}
          placeholder="e.g. 168h"
          error={errors.until}
          help="A duration such as 168h (a week) or 30m; empty: any age."
          narrow
        />
        <TextField
          id="prune-volume-names"
          label="Named volumes to remove"
          value={draft.volumeNames}
          onChange={(volumeNames) => set({ volumeNames })}
          placeholder="e.g. pgdata, cache"
          error={errors.volumeNames}
          help="By name, separated by commas or spaces; removed only if no container uses them."
        />
        <TextField
          id="prune-protect"
          label="Protection label"
          value={draft.protectLabel}
          onChange={(protectLabel) => set({ protectLabel })}
          error={errors.protectLabel}
          help="Anything with this label set to true always stays."
        />
      </div>
      <div className="prune-checks">
        <label className="checkbox">
          <input type="checkbox" checked={draft.containers} onChange={(e) => set({ containers: e.target.checked })} /> Stopped containers
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.buildCache} onChange={(e) => set({ buildCache: e.target.checked })} /> Build cache not in
          use
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.networks} onChange={(e) => set({ networks: e.target.checked })} /> Unused networks
        </label>
      </div>
      <LabelFilters filters={draft.labelFilters} errors={errors.labelFilters} onChange={(labelFilters) => set({ labelFilters })} />
    </fieldset>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  help: string;
  error: string | undefined;
  placeholder?: string;
  narrow?: boolean;
}

/** A text input whose help line turns into the error when what was typed is not valid. */
function TextField({ id, label, value, onChange, help, error, placeholder, narrow }: TextFieldProps) {
  return (
    <div className={`field${narrow ? ' narrow' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={value}
        placeholder={placeholder}
        aria-invalid={error !== undefined}
        aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
      />
      <p className={error ? 'help field-error' : 'help'} id={`${id}-help`}>
        {error ?? help}
      </p>
    </div>
  );
}

/** `--filter label=KEY[=VALUE]` / `label!=…` as rows: with or without the label, its key, and a value if it matters. */
function LabelFilters({
  filters,
  errors,
  onChange,
}: {
  filters: readonly LabelFilterDraft[];
  errors: ReadonlyMap<number, string>;
  onChange: (filters: LabelFilterDraft[]) => void;
}) {
  const nextId = useRef(1);
  const update = (id: number, patch: Partial<LabelFilterDraft>) => onChange(filters.map((f) => (f.id === id ? { ...f, ...patch } : f)));
  const add = () => {
    nextId.current = Math.max(nextId.current, ...filters.map((f) => f.id + 1));
    const id = nextId.current++;
    onChange([...filters, { id, negate: false, key: '', value: '' }]);
    // The new row's key is what the user types next.
    requestAnimationFrame(() => document.getElementById(`label-key-${id}`)?.focus());
  };
  return (
    <fieldset className="label-filters">
      <legend>Label filters</legend>
      <p className="help" id="label-filters-help">
        Only objects matching every filter are removed (like docker system prune --filter); the rest are kept as filtered.
      </p>
      {filters.map((f, i) => {
        const error = errors.get(f.id);
        return (
          <div className="label-filter" key={f.id} role="group" aria-label={`Label filter ${i + 1}`}>
            <label className="visually-hidden" htmlFor={`label-negate-${f.id}`}>
              Filter {i + 1}: match
            </label>
            <select
              id={`label-negate-${f.id}`}
              value={f.negate ? 'without' : 'with'}
              onChange={(e) => update(f.id, { negate: e.target.value === 'without' })}
            >
              <option value="with">Only with label</option>
              <option value="without">Only without label</option>
            </select>
            <label className="visually-hidden" htmlFor={`label-key-${f.id}`}>
              Filter {i + 1}: label key
            </label>
            <input
              id={`label-key-${f.id}`}
              type="text"
              value={f.key}
              placeholder="key"
              spellCheck={false}
              aria-invalid={error !== undefined}
              aria-describedby={error ? `label-error-${f.id}` : 'label-filters-help'}
              onChange={(e) => update(f.id, { key: e.target.value })}
            />
            <span aria-hidden="true">=</span>
            <label className="visually-hidden" htmlFor={`label-value-${f.id}`}>
              Filter {i + 1}: value (empty: any value)
            </label>
            <input
              id={`label-value-${f.id}`}
              type="text"
              value={f.value}
              placeholder="any value"
              spellCheck={false}
              onChange={(e) => update(f.id, { value: e.target.value })}
            />
            <button
              type="button"
              className="button icon-only"
              aria-label={`Remove label filter ${i + 1}`}
              onClick={() => onChange(filters.filter((x) => x.id !== f.id))}
            >
              <X aria-hidden="true" />
            </button>
            {error && (
              <p className="help field-error" id={`label-error-${f.id}`}>
                {error}
              </p>
            )}
          </div>
        );
      })}
      <button type="button" className="button" onClick={add}>
        <Plus aria-hidden="true" /> Add a label filter
      </button>
    </fieldset>
  );
}
