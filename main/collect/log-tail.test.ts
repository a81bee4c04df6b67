import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cleanText, LogTail } from './log-tail';

/** One frame of the Engine's multiplexed log stream (moby's stdcopy): type, three zero bytes, big-endian size, payload. */
function frame(type: number, payload: string | Buffer): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

const tail = (framed: boolean, chunks: Buffer[], maxLines = 20, maxChars = 300) => {
  const t = new LogTail(framed, maxLines, maxChars);
  for (const c of chunks) t.push(c);
  return t.end();
};

describe('LogTail: the multiplexed stream (containers without a TTY)', () => {
  test('stdout and stderr frames become lines with their stream, in order', () => {
    const r = tail(true, [Buffer.concat([frame(1, 'starting\n'), frame(2, 'error: no DATABASE_URL\n'), frame(1, 'bye\n')])]);
    assert.deepEqual(r.lines, [
      { stream: 'stdout', text: 'starting' },
      { stream: 'stderr', text: 'error: no DATABASE_URL' },
      { stream: 'stdout', text: 'bye' },
    ]);
    assert.equal(r.streamProblem, null);
    assert.equal(r.cutLines, 0);
  });

  test('frames split anywhere across chunks (inside the header, inside the payload, inside a UTF-8 character) read the same', () => {
    const whole = Buffer.concat([
      frame(1, 'héllo wörld\n'),
      frame(2, 'partial line '),
      frame(2, 'continued\n'),
      frame(1, 'no newline at the end'),
    ]);
    const expected = tail(true, [whole]);
    for (let size = 1; size <= 9; size++) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < whole.length; i += size) chunks.push(whole.subarray(i, i + size));
      assert.deepEqual(tail(true, chunks), expected, `chunks of ${size} bytes`);
    }
    assert.deepEqual(
      expected.lines.map((l) => l.text),
      ['héllo wörld', 'partial line continued', 'no newline at the end'],
    );
  });

  test('only the last lines are kept, whatever the number sent', () => {
    const frames = Array.from({ length: 5000 }, (_, i) => frame(1, `line ${i}\n`));
    const r = tail(true, [Buffer.concat(frames)], 20);
    assert.equal(r.lines.length, 20);
    assert.equal(r.lines[0]!.text, 'line 4980');
    assert.equal(r.lines[19]!.text, 'line 4999');
  });

  test('a huge line is cut at the character limit, and memory stays bounded while it streams', () => {
    const t = new LogTail(true, 20, 300);
    // 64 MiB in 16 KiB frames, as json-file splits a long line into partial messages.
    const piece = frame(1, 'x'.repeat(16 * 1024));
    for (let i = 0; i < 4096; i++) t.push(piece);
    const pending = (t as unknown as { pending: Map<string, { bytes: number }> }).pending.get('stdout');
    assert.ok(pending && pending.bytes <= 300 * 4 + 1024, `kept ${pending?.bytes} bytes of a 64 MiB line`);
    t.push(frame(1, 'y\nshort\n'));
    const r = t.end();
    assert.equal(r.lines.length, 2);
    assert.equal(r.lines[0]!.text, `${'x'.repeat(300)}…`);
    assert.equal(r.lines[1]!.text, 'short');
    assert.equal(r.cutLines, 1);
  });

  test('a stream cut inside a header or a payload keeps the lines before it and says so', () => {
    const good = frame(2, 'boom\n');
    const cutHeader = tail(true, [good, frame(1, 'next\n').subarray(0, 5)]);
    assert.deepEqual(cutHeader.lines, [{ stream: 'stderr', text: 'boom' }]);
    assert.match(cutHeader.streamProblem ?? '', /ended inside a frame \(5 of its 8 header bytes\)/);
    const cutPayload = tail(true, [good, frame(1, 'half a line\n').subarray(0, 12)]);
    assert.deepEqual(cutPayload.lines, [
      { stream: 'stderr', text: 'boom' },
      { stream: 'stdout', text: 'half' },
    ]);
    assert.match(cutPayload.streamProblem ?? '', /8 payload bytes missing/);
  });

  test('bytes that are not frames stop the parse at that offset; nothing is guessed', () => {
    const r = tail(true, [frame(1, 'ok\n'), Buffer.from('this is plain text, not frames\n')]);
    assert.deepEqual(r.lines, [{ stream: 'stdout', text: 'ok' }]);
    assert.match(r.streamProblem ?? '', /not in the Engine's multiplexed format at byte 11/);
    assert.match(tail(true, [frame(7, 'x')]).streamProblem ?? '', /at byte 0/);
  });

  test("the daemon's own error frame (type 3) is reported, not shown as a log line", () => {
    const r = tail(true, [frame(1, 'ok\n'), frame(3, 'error from daemon in stream: journal is corrupt')]);
    assert.deepEqual(r.lines, [{ stream: 'stdout', text: 'ok' }]);
    assert.match(r.streamProblem ?? '', /daemon reported an error in the stream: error from daemon in stream: journal is corrupt/);
  });

  test('an empty log has no lines and no problem', () => {
    assert.deepEqual(tail(true, []), { lines: [], cutLines: 0, streamProblem: null });
  });
});

describe('LogTail: the raw stream (containers with a TTY)', () => {
  test('bytes are lines as they come; CRLF endings lose their CR', () => {
    const r = tail(false, [Buffer.from('\u0001not a frame\r\nsecond'), Buffer.from(' half\r\n')]);
    assert.deepEqual(r.lines, [
      { stream: 'tty', text: '\\x01not a frame' },
      { stream: 'tty', text: 'second half' },
    ]);
    assert.equal(r.streamProblem, null);
  });

  test('invalid UTF-8 becomes replacement characters, never a throw', () => {
    const r = tail(false, [Buffer.from([0x66, 0xff, 0xfe, 0x6f, 0x0a])]);
    assert.equal(r.lines[0]!.text, 'f\ufffd\ufffdo');
  });
});

describe('cleanText: what a log line may show', () => {
  test('terminal escapes and bidirectional overrides are written out, tabs kept', () => {
    assert.equal(cleanText('\u001b[31mred\u001b[0m\tok'), '\\x1b[31mred\\x1b[0m\tok');
    assert.equal(cleanText('abc\u202edcba'), 'abc\\u202edcba');
    assert.equal(cleanText('bell\u0007 and C1 \u009b'), 'bell\\x07 and C1 \\x9b');
  });

  test('credentials in URLs are masked (shared/mask.ts)', () => {
    assert.equal(cleanText('connecting to postgres://app:s3cr3t@db:5432/app failed'), 'connecting to postgres://****@db:5432/app failed');
    const r = tail(true, [frame(2, 'proxy http://user:hunter2@proxy.corp:3128 refused\n')]);
    assert.equal(r.lines[0]!.text, 'proxy http://****@proxy.corp:3128 refused');
  });
});
