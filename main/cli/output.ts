import { writeFile } from '../util/write-file';
import { writeStdout } from './closed-output';
import { CliError } from './exit-codes';

/**
 * Writes to --output through the project's one writer (a file replaced atomically, so a CI job never reads half a
 * report; a FIFO or a device written straight through; a symlink's target written); else to stdout.
 */
export async function emit(text: string | Iterable<string>, output: string | undefined): Promise<void> {
  if (!output) {
    if (typeof text === 'string') await writeStdout(text);
    // Piece by piece as it is made: a big report is never one string in memory.
    else for (const piece of text) await writeStdout(piece);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    const message = (error as Error).message;
    throw new CliError(message.startsWith('cannot write') ? message : `cannot write ${output}: ${message}`);
  }
}

export function useColor(stream: NodeJS.WriteStream, output: string | undefined, flag: boolean | undefined): boolean {
  if (output || flag === false || process.env.NO_COLOR) return false;
  return Boolean(stream.isTTY);
}

/**
 * JSON for a person (indented) when it goes to a terminal or --pretty asks for it, compact otherwise, as `gh` does:
 * a report over 1,000 containers is ~40% smaller and serialises twice as fast without indentation.
 */
export function jsonText(value: unknown, output: string | undefined, pretty: boolean | undefined): string {
  return `${JSON.stringify(value, null, indented(output, pretty) ? 2 : undefined)}\n`;
}

/** Whether JSON is indented: for a terminal or when --pretty asks (see jsonText). */
export function indented(output: string | undefined, pretty: boolean | undefined): boolean {
  return Boolean(pretty || (!output && process.stdout.isTTY));
}
