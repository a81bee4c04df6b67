// A real FIFO with a reader on the other end (cat), for tests of what writes into pipes.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Makes a FIFO at `file` and starts reading it; `read` resolves with everything read once the writer closes it (in an
 * object: an async function returning the promise itself would wait for it).
 */
export async function fifoWithReader(file: string): Promise<{ read: Promise<string> }> {
  await promisify(execFile)('mkfifo', [file]);
  const reader = spawn('cat', [file], { stdio: ['ignore', 'pipe', 'ignore'] });
  let got = '';
  reader.stdout.on('data', (c: Buffer) => (got += c.toString()));
  return { read: new Promise((resolve) => reader.on('close', () => resolve(got))) };
}
