// What the root helper reads on stdin, bounded before anything parses it: a plan is a few kilobytes, so more than
// MAX_BYTES, or JSON nested deeper than MAX_DEPTH, is refused with a message instead of being held in memory or
// handed to a recursive parser by whoever can start the helper.
const HELPER_INPUT_MAX_BYTES = 1024 * 1024;
const HELPER_INPUT_MAX_DEPTH = 32;

class HelperInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelperInputError';
  }
}

/** Reads `stream` to its end, or stops reading (and refuses) as soon as it holds more than `maxBytes`. */
async function readBounded(stream: NodeJS.ReadableStream & { destroy?(): void }, maxBytes = HELPER_INPUT_MAX_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > maxBytes) {
      stream.destroy?.();
      throw new HelperInputError(`refused: the plan on stdin is larger than ${maxBytes} bytes (a fix plan is a few kilobytes)`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** The deepest nesting of arrays and objects in JSON text, counted without parsing; stops counting past `limit`. */
function jsonDepth(text: string, limit = HELPER_INPUT_MAX_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** The helper's stdin as JSON, or a refusal that says why. */
export async function readHelperInput(
  stream: NodeJS.ReadableStream,
  maxBytes = HELPER_INPUT_MAX_BYTES,
  maxDepth = HELPER_INPUT_MAX_DEPTH,
): Promise<unknown> {
  const bytes = await readBounded(stream, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HelperInputError('refused: the plan on stdin is not UTF-8 text');
  }
  if (jsonDepth(text, maxDepth) > maxDepth)
    throw new HelperInputError(`refused: the plan on stdin is nested more than ${maxDepth} levels deep (a fix plan is a few levels deep)`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HelperInputError('refused: stdin is not a JSON fix plan');
  }
}
