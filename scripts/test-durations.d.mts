// Types for test-durations.mjs, the reporter `npm test` adds to spec.
import type { TestEvent } from 'node:test/reporters';

export interface FileTime {
  file: string;
  ms: number;
  passed: boolean;
}
/** The table: one line per file, slowest first, then the sum and the run's wall time. */
export declare function durationTable(times: readonly FileTime[], wallMs: number, cwd?: string): string;
/** The time of a file, from the runner's event for the file itself; undefined for any other event. */
export declare function fileTime(event: TestEvent): FileTime | undefined;
export default function durations(source: AsyncIterable<TestEvent>): AsyncGenerator<string>;
