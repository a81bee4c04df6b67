import { diffStats, parseUnifiedDiff } from '../lib/diff';

const KIND_LABEL = { add: 'added', remove: 'removed' } as const;

/**
 * A unified diff as a person reads it: added lines green with "+", removed lines red with "−" (the marker is in the
 * text, and each changed line is named for screen readers), context plain. Long lines wrap rather than scroll.
 */
export function DiffView({ diff, label }: { diff: string; label: string }) {
  // Diffs arrive masked: the API masks every plan, record and conflict it answers with (main/api/masked-fix.ts).
  const lines = parseUnifiedDiff(diff);
  const { added, removed } = diffStats(lines);
  return (
    <figure className="diff">
      <figcaption>
        <code>{label}</code>
        <span className="diff-stats">
          <span className="diff-stat-add">+{added} added</span> <span className="diff-stat-remove">−{removed} removed</span>
        </span>
      </figcaption>
      <pre className="diff-body" aria-label={`Changes to ${label}`}>
        {lines
          .filter((l) => l.kind !== 'header')
          .map((l, i) => (
            <span key={i} className={`diff-line diff-${l.kind}`}>
              {l.kind === 'add' || l.kind === 'remove' ? <span className="visually-hidden">{KIND_LABEL[l.kind]}: </span> : null}
              {l.kind === 'remove' ? `−${l.text.slice(1)}` : l.text}
              {'\n'}
            </span>
          ))}
      </pre>
    </figure>
  );
}
