import type { FixPlan } from '../../../../shared/fix';

/** The commands a plan runs, each with why: shown once, in the preview and in the progress's detail. */
export function CommandList({ commands }: { commands: FixPlan['commands'] }) {
  return (
    <ul className="command-list">
      {commands.map((c, i) => (
        <li key={i}>
          <code>{c.argv.join(' ')}</code>
          <span className="muted"> — {c.why}</span>
        </li>
      ))}
    </ul>
  );
}
