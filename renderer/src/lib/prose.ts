/** A sentence split into plain text and `code` spans; an unpaired backtick stays literal text. */
export function proseParts(text: string): { text: string; code: boolean }[] {
  const parts: { text: string; code: boolean }[] = [];
  const re = /`([^`\n]+)`/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) parts.push({ text: text.slice(at, m.index), code: false });
    parts.push({ text: m[1]!, code: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), code: false });
  return parts;
}

/** The same text for places that cannot hold markup (a title attribute, an aria-label): the backticks dropped. */
export const plainProse = (text: string): string =>
  proseParts(text)
    .map((p) => p.text)
    .join('');

/**
 * A long value (a path, a URL, a JSON list) cut after its separators, where a line may break without splitting a
 * word: /etc/docker/ | daemon.json, not /etc/doc | ker/daemon.json (not after a dot: docker. | sock reads badly).
 * Joined, the pieces are the text unchanged.
 */
export function breakPieces(text: string): string[] {
  return text.split(/(?<=[/\\,;:=&?@_-])(?=[^\s/\\,;:=&?@_-])/);
}
