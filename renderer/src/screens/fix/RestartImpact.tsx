import type { ContainersAfter, RestartImpact } from '../../../../shared/restart-impact';
import {
  containersAfterSummary,
  FATE_TEXT,
  HOW_TEXT,
  impactSummary,
  mayStayDown,
  policyText,
  stillDown,
} from '../../../../shared/restart-impact-words';

/** Before Apply or Undo: what the daemon restart does to each running container (computed by main, shown as is). */
export function RestartImpactView({ impact, summary = true }: { impact: RestartImpact; summary?: boolean }) {
  return (
    <div className="restart-impact" data-testid="restart-impact">
      {summary && <p>{impactSummary(impact)}</p>}
      {impact.running.length > 0 && (
        <table className="table impact-table">
          <caption className="visually-hidden">Running containers and what the restart does to them</caption>
          <thead>
            <tr>
              <th scope="col">Container</th>
              <th scope="col">Restart policy</th>
              <th scope="col">When the daemon restarts</th>
            </tr>
          </thead>
          <tbody>
            {impact.running.map((c) => (
              <tr key={c.id} data-container={c.name} data-fate={c.fate} className={c.fate === 'stays-down' ? 'impact-down' : undefined}>
                <th scope="row">{c.name}</th>
                <td>{policyText(c.restartPolicy)}</td>
                <td>{FATE_TEXT[c.fate]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Whether there is anything to start again: a container that stays down, or a list that could not be read. */
export const needsStartChoice = (impact: RestartImpact | null | undefined) => !!impact && (impact.error !== null || mayStayDown(impact));

/** "Start them again afterwards": on by default, next to the button it goes with. */
export function StartAgainChoice({
  checked,
  onChange,
  disabled,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <label className="checkbox start-again">
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} /> Start the stopped
      containers again afterwards
    </label>
  );
}

/** After: each container that ran before the restart, and its state now. */
export function ContainersAfterView({ after }: { after: ContainersAfter }) {
  const down = stillDown(after).length;
  return (
    <div className="containers-after" data-testid="containers-after" data-down={down}>
      <p className={down > 0 || after.error ? 'outcome-bad' : undefined}>{containersAfterSummary(after)}</p>
      {after.containers.length > 0 && (
        <table className="table impact-table">
          <caption className="visually-hidden">Containers that were running before the restart, now</caption>
          <thead>
            <tr>
              <th scope="col">Container</th>
              <th scope="col">State</th>
              <th scope="col">What happened</th>
            </tr>
          </thead>
          <tbody>
            {after.containers.map((c) => (
              <tr key={c.id} data-container={c.name} data-state={c.state} className={c.state === 'running' ? undefined : 'impact-down'}>
                <th scope="row">{c.name}</th>
                <td>{c.state}</td>
                <td>
                  {HOW_TEXT[c.how]}
                  {c.error && `: ${c.error}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
