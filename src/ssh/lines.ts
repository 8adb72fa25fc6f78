// Splits a stream of arbitrary chunks into lines. SSH output arrives in chunks cut anywhere: in
// the middle of a line, between '\r' and '\n', or inside a multi-byte UTF-8 character. The
// splitter keeps the unfinished tail until the next chunk (or `end()`), so every emitted line is
// whole, decoded correctly and without its line terminator ('\n' or '\r\n').
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  /** Pieces of the current unfinished line (joined only once its newline arrives). */
  private pending: string[] = [];

  constructor(private readonly emit: (line: string) => void) {}

  /** Feeds one chunk; emits every line it completes. */
  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (text === '') return;
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      this.pending.push(text.slice(start, newline));
      this.emitLine(this.pending.join(''));
      this.pending = [];
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) this.pending.push(text.slice(start));
  }

  /** The stream ended: emits the last line if it had no newline (and any bytes still held). */
  end(): void {
    const rest = this.decoder.end();
    if (rest !== '') this.pending.push(rest);
    if (this.pending.length > 0) {
      const line = this.pending.join('');
      this.pending = [];
      if (line !== '') this.emitLine(line);
    }
  }

  private emitLine(line: string): void {
    this.emit(line.endsWith('\r') ? line.slice(0, -1) : line);
  }
}

/** Convenience for whole texts (and tests): the lines `LineSplitter` would emit. */
export function splitLines(chunks: Iterable<Buffer | string>): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}
