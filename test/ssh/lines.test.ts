import { describe, expect, it } from 'vitest';
import { LineSplitter, splitLines } from '../../src/ssh/lines.js';

describe('LineSplitter', () => {
  it('splits lines across arbitrary chunk borders', () => {
    expect(splitLines(['ab', 'c\nde', 'f\n', '\ng'])).toEqual(['abc', 'def', '', 'g']);
  });

  it('tolerates CRLF, also when \\r and \\n arrive in different chunks', () => {
    expect(splitLines(['one\r\ntwo\r', '\nthree\r\n'])).toEqual(['one', 'two', 'three']);
  });

  it('keeps multi-byte UTF-8 characters whole when a chunk cuts through them', () => {
    const text = Buffer.from('héllo wörld ✓ 日本語\n🙂 end');
    // Feed one byte at a time: every multi-byte character is cut.
    const chunks = [...text].map((byte) => Buffer.from([byte]));
    expect(splitLines(chunks)).toEqual(['héllo wörld ✓ 日本語', '🙂 end']);
  });

  it('flushes the last partial line at end, and nothing for a trailing newline', () => {
    expect(splitLines(['a\nb'])).toEqual(['a', 'b']);
    expect(splitLines(['a\n'])).toEqual(['a']);
    expect(splitLines([])).toEqual([]);
  });

  it('flushes an incomplete UTF-8 sequence at end as a replacement character', () => {
    const euro = Buffer.from('€'); // 3 bytes
    expect(splitLines([Buffer.from('x'), euro.subarray(0, 2)])).toEqual(['x\ufffd']);
  });

  it('emits lines as soon as they are complete, in order', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter((line) => seen.push(line));
    splitter.push('1\n2');
    expect(seen).toEqual(['1']);
    splitter.push('\n3\n');
    expect(seen).toEqual(['1', '2', '3']);
    splitter.end();
    expect(seen).toEqual(['1', '2', '3']);
  });

  it('handles many lines in random chunking without losing or splitting any', () => {
    const lines = Array.from({ length: 5000 }, (_, index) => `line ${index} ${'x'.repeat(index % 97)} ü`);
    const whole = Buffer.from(lines.join('\n') + '\n');
    const chunks: Buffer[] = [];
    let seed = 7;
    for (let at = 0; at < whole.length; ) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const size = 1 + (seed % 300);
      chunks.push(whole.subarray(at, at + size));
      at += size;
    }
    expect(splitLines(chunks)).toEqual(lines);
  });
});
