import type { FixParam } from '../../../../shared/fix-params';
import { defaultText, type ParamInput } from '../../lib/fix-param-values';

interface FixParamsFormProps {
  params: readonly FixParam[];
  inputs: Readonly<Record<string, ParamInput>>;
  errors: ReadonlyMap<string, string>;
  onChange: (key: string, value: ParamInput) => void;
  disabled: boolean;
}

/** A fix's parameters as typed inputs, each with its default and, when what was typed cannot be used, why. */
export function FixParamsForm({ params, inputs, errors, onChange, disabled }: FixParamsFormProps) {
  return (
    <fieldset className="fix-params" disabled={disabled} data-testid="fix-params">
      <legend>Parameters</legend>
      <div className="fix-params-grid">
        {params.map((p) => {
          const id = `fix-param-${p.key}`;
          const error = errors.get(p.key);
          const dflt = defaultText(p);
          const help = `${p.help}${dflt !== null ? ` Default: ${dflt}.` : ''}`;
          const described = { 'aria-describedby': `${id}-help`, 'aria-invalid': error !== undefined };
          const value = inputs[p.key];
          return (
            <div className={`field${p.kind === 'boolean' ? ' field-check' : ''}`} key={p.key}>
              {p.kind === 'boolean' ? (
                <label className="checkbox" htmlFor={id}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={value === true}
                    onChange={(e) => onChange(p.key, e.target.checked)}
                    {...described}
                  />{' '}
                  {p.label} <code>true</code>
                </label>
              ) : (
                <label htmlFor={id}>
                  {p.label} <code className="param-key">{p.key}</code>
                </label>
              )}
              {p.kind === 'choice' ? (
                <select id={id} value={String(value ?? '')} onChange={(e) => onChange(p.key, e.target.value)} {...described}>
                  {!p.required && <option value="">Automatic</option>}
                  {p.choices?.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              ) : p.kind !== 'boolean' ? (
                <input
                  id={id}
                  type={p.kind === 'integer' ? 'number' : 'text'}
                  inputMode={p.kind === 'integer' ? 'numeric' : undefined}
                  min={p.min}
                  max={p.max}
                  step={p.kind === 'integer' ? 1 : undefined}
                  value={String(value ?? '')}
                  placeholder={p.looksLike}
                  spellCheck={false}
                  onChange={(e) => onChange(p.key, e.target.value)}
                  {...described}
                />
              ) : null}
              <p className={error ? 'help field-error' : 'help'} id={`${id}-help`}>
                {error ?? help}
              </p>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
