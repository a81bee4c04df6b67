/** One line of a unified diff, classified for display: the +/− marker stays in the text so colour is never the only cue. */
export interface DiffLine {
  kind: 'add' | 'remove' | 'context' | 'hunk' | 'header';
  text: string;
}

/** Splits a unified diff (as the fix planner writes it) into lines a person reads: headers, hunks, added, removed. */
export function parseUnifiedDiff(diff: string): DiffLine[] {
  const lines = diff.replace(/\n$/, '').split('\n');
  return lines.map((text): DiffLine => {
    if (text.startsWith('+++') || text.startsWith('---') || text.startsWith('===') || /^=+$/.test(text) || text.startsWith('Index: '))
      return { kind: 'header', text };
    if (text.startsWith('@@')) return { kind: 'hunk', text };
    if (text.startsWith('+')) return { kind: 'add', text };
    if (text.startsWith('-')) return { kind: 'remove', text };
    return { kind: 'context', text };
  });
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  return { added: lines.filter((l) => l.kind === 'add').length, removed: lines.filter((l) => l.kind === 'remove').length };
}
