/** Arrays longer than this are written an element at a time (a report's findings, its checks). */
const SPLIT_AT = 64;
/** Text handed to the writer at once: big enough to keep writes few, small enough to keep memory flat. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Compact JSON of `value`, exactly as JSON.stringify(value) writes it, in pieces: a report over thousands of containers
 * is never held as one string next to the object it came from. Long arrays are split per element; everything else is
 * JSON.stringify's own output.
 */
export function* jsonChunks(value: unknown): Generator<string> {
  let buffer = '';
  for (const piece of pieces(value)) {
    buffer += piece;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

function* pieces(value: unknown): Generator<string> {
  if (Array.isArray(value) && value.length > SPLIT_AT) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      // JSON.stringify writes null for what has no JSON form inside an array (undefined, functions).
      yield `${i > 0 ? ',' : ''}${JSON.stringify(value[i]) ?? 'null'}`;
    }
    yield ']';
    return;
  }
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  ) {
    yield '{';
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      // Left out as JSON.stringify leaves them out.
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      yield* pieces(item);
    }
    yield '}';
    return;
  }
  yield JSON.stringify(value) ?? 'null';
}

/** A JSON document as the CLI writes it: jsonChunks(value) and the closing newline. */
export function* jsonLines(value: unknown): Generator<string> {
  yield* jsonChunks(value);
  yield '\n';
}
