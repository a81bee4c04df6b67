// `node scripts/rewrap-comments.mjs FILE...`: reflows the comments that run past Prettier's print width, which Prettier
// itself never wraps (and `npm run lint` then reports). A JSDoc one-liner becomes a block; a paragraph of a block or a
// run of // lines is reflowed as one; a trailing comment moves above its line. Only comment text is touched, at 120
// columns like the rest of the code's comments. Run it after `npm run format`, then read the diff.
import { readFileSync, writeFileSync } from 'node:fs';

const LIMIT = JSON.parse(readFileSync(new URL('../.prettierrc.json', import.meta.url), 'utf8')).printWidth;
const WIDTH = 120;

/** Greedy word wrap; a word longer than the width (a URL, a path) stays whole on its own line. */
function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Whether `code` leaves a quote open (then the `//` after it is in a string, not a comment). */
function insideString(code) {
  return ['"', "'", '`'].some((q) => code.split(q).length % 2 === 0);
}

/** The lines of `source` with every over-long comment reflowed; null when nothing was. */
export function rewrap(source) {
  const lines = source.split('\n');
  const out = [];
  let changed = false;
  for (let i = 0; i < lines.length;) {
    const line = lines[i];
    const long = line.length > LIMIT;
    const oneLiner = /^(\s*)\/\*\* (.*) \*\/$/.exec(line);
    const blockLine = /^(\s*)\* \S/.exec(line);
    const lineComment = /^(\s*)\/\/ \S/.exec(line);
    const trailing = /^(\s*\S.*?)\s+\/\/ (.*)$/.exec(line);
    if (long && oneLiner) {
      const [, indent, text] = oneLiner;
      out.push(`${indent}/**`, ...wrap(text, WIDTH - indent.length - 3).map((l) => `${indent} * ${l}`), `${indent} */`);
      i += 1;
    } else if (long && (blockLine || lineComment)) {
      // The paragraph this line is in: the lines around it of the same kind (a block's `* ` lines, or `// ` lines).
      const kind = blockLine ? /^\s*\* \S/ : /^\s*\/\/ \S/;
      const prefix = blockLine ? `${blockLine[1]}* ` : `${lineComment[1]}// `;
      let start = i;
      while (start > 0 && kind.test(lines[start - 1]) && out.length > 0 && out[out.length - 1] === lines[start - 1]) {
        out.pop();
        start -= 1;
      }
      let end = i;
      while (end < lines.length && kind.test(lines[end])) end += 1;
      const text = lines
        .slice(start, end)
        .map((l) => l.trim().replace(/^(\*|\/\/) /, ''))
        .join(' ');
      out.push(...wrap(text, WIDTH - prefix.length).map((l) => prefix + l));
      i = end;
    } else if (long && trailing && !/^\s*(\/\/|\*|\/\*)/.test(line) && !insideString(trailing[1])) {
      const [, code, text] = trailing;
      const indent = /^\s*/.exec(code)[0];
      out.push(...wrap(text, WIDTH - indent.length - 3).map((l) => `${indent}// ${l}`), code);
      i += 1;
    } else {
      out.push(line);
      i += 1;
      continue;
    }
    changed = true;
  }
  return changed ? out.join('\n') : null;
}

for (const file of process.argv.slice(2)) {
  const next = rewrap(readFileSync(file, 'utf8'));
  if (next === null) continue;
  writeFileSync(file, next);
  console.log(`rewrapped ${file}`);
}
