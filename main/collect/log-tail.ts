// The last lines of a container log as GET /containers/{id}/logs sends it, kept in bounded memory whatever the daemon
// (or something posing as one) sends: at most `maxLines` lines of at most `maxChars` characters each.
import type { LogLine } from '../../shared/facts/container-outcomes';
import { maskSecretsInText } from '../../shared/mask';

type Stream = LogLine['stream'];

export interface LogTailResult {
  lines: LogLine[];
  cutLines: number;
  streamProblem: string | null;
}

/** The multiplexed stream's frame header: stream type, three zero bytes, payload size (big-endian uint32). */
const HEADER_BYTES = 8;
/** Stream types of a frame (moby's stdcopy): 0 stdin, 1 stdout, 2 stderr, 3 the daemon's own error in mid-stream. */
const FRAME_STREAMS: Record<number, Stream> = { 0: 'stdout', 1: 'stdout', 2: 'stderr' };
const SYSTEM_ERROR = 3;
/** UTF-8 needs at most 4 bytes a character; the slack lets masking see a credential that straddles the cut. */
const bytesFor = (chars: number) => chars * 4 + 1024;

interface Pending {
  parts: Buffer[];
  bytes: number;
  cut: boolean;
}

export class LogTail {
  private readonly ring: { stream: Stream; bytes: Buffer; cut: boolean }[] = [];
  private readonly pending = new Map<Stream, Pending>();
  private header = Buffer.alloc(0);
  private frameLeft = 0;
  private frameStream: Stream | 'system' = 'stdout';
  private systemError = '';
  private offset = 0;
  private problem: string | null = null;
  private stopped = false;

  /** `framed`: the container has no TTY, so its log comes as stdout/stderr frames; with a TTY it is one raw stream. */
  constructor(
    private readonly framed: boolean,
    private readonly maxLines: number,
    private readonly maxChars: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.stopped) return;
    if (!this.framed) {
      this.append('tty', chunk);
      return;
    }
    let at = 0;
    while (at < chunk.length) {
      if (this.frameLeft === 0) {
        const take = chunk.subarray(at, at + HEADER_BYTES - this.header.length);
        this.header = this.header.length === 0 ? Buffer.from(take) : Buffer.concat([this.header, take]);
        at += take.length;
        if (this.header.length < HEADER_BYTES) return;
        if (!this.startFrame(this.header)) return;
        this.header = Buffer.alloc(0);
        continue;
      }
      const take = Math.min(this.frameLeft, chunk.length - at);
      const payload = chunk.subarray(at, at + take);
      if (this.frameStream === 'system') this.systemError = (this.systemError + payload.toString('utf8')).slice(0, this.maxChars);
      else this.append(this.frameStream, payload);
      at += take;
      this.frameLeft -= take;
      this.offset += take;
    }
  }

  end(): LogTailResult {
    for (const stream of [...this.pending.keys()]) if ((this.pending.get(stream)?.bytes ?? 0) > 0) this.finishLine(stream);
    if (!this.stopped && this.framed && (this.header.length > 0 || this.frameLeft > 0)) {
      this.problem = `the log ended inside a frame (${this.header.length > 0 ? `${this.header.length} of its ${HEADER_BYTES} header bytes` : `${this.frameLeft} payload bytes missing`}): the lines before it are shown`;
    }
    if (this.systemError) this.problem = `the daemon reported an error in the stream: ${cleanText(this.systemError)}`;
    const decoder = new TextDecoder('utf-8');
    let cutLines = 0;
    const lines = this.ring.map(({ stream, bytes, cut }) => {
      const full = cleanText(decoder.decode(bytes).replace(/\r$/, ''));
      const chars = [...full];
      const tooLong = cut || chars.length > this.maxChars;
      if (tooLong) cutLines++;
      return { stream, text: tooLong ? `${chars.slice(0, this.maxChars).join('')}…` : full };
    });
    return { lines, cutLines, streamProblem: this.problem };
  }

  /** Reads one frame header; false (and parsing stops) when the bytes are not one. */
  private startFrame(header: Buffer): boolean {
    const type = header[0]!;
    if (header[1] !== 0 || header[2] !== 0 || header[3] !== 0 || (type !== SYSTEM_ERROR && !(type in FRAME_STREAMS))) {
      this.problem = `the log is not in the Engine's multiplexed format at byte ${this.offset}: the lines before it are shown`;
      this.stopped = true;
      this.header = Buffer.alloc(0);
      return false;
    }
    this.frameStream = type === SYSTEM_ERROR ? 'system' : FRAME_STREAMS[type]!;
    this.frameLeft = header.readUInt32BE(4);
    this.offset += HEADER_BYTES;
    return true;
  }

  private append(stream: Stream, bytes: Buffer): void {
    let start = 0;
    for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, start)) {
      this.addPart(stream, bytes.subarray(start, newline));
      this.finishLine(stream);
      start = newline + 1;
    }
    if (start < bytes.length) this.addPart(stream, bytes.subarray(start));
  }

  private addPart(stream: Stream, part: Buffer): void {
    let line = this.pending.get(stream);
    if (!line) this.pending.set(stream, (line = { parts: [], bytes: 0, cut: false }));
    const room = bytesFor(this.maxChars) - line.bytes;
    if (part.length > room) line.cut = true;
    const kept = part.subarray(0, Math.max(0, room));
    if (kept.length === 0) return;
    // Copied: a chunk may be a view of a larger buffer the caller reuses.
    line.parts.push(Buffer.from(kept));
    line.bytes += kept.length;
  }

  private finishLine(stream: Stream): void {
    const line = this.pending.get(stream) ?? { parts: [], bytes: 0, cut: false };
    this.pending.delete(stream);
    this.ring.push({ stream, bytes: Buffer.concat(line.parts), cut: line.cut });
    if (this.ring.length > this.maxLines) this.ring.shift();
  }
}

/**
 * A log line as it may be shown: control characters (terminal escapes that would drive the reader's terminal) and
 * bidirectional overrides (which reorder what is read) written out as escapes, credentials masked.
 */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces.
  const visible = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return maskSecretsInText(visible);
}
