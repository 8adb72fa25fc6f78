// Word wrapping for terminal text, shared by the Ink screens and the plain prompts.

/** Wraps plain text at word boundaries to `width` columns; continuation lines keep the indent. */
export function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  const status = /^\s*(ok|warn|fail|run|skip)\s+/.exec(line)?.[0].slice(indent.length).replace(/./g, ' ');
  const hang = indent + (status ?? (indent !== '' ? '  ' : ''));
  return wrapWithHang(line, width, hang.length < width / 2 ? hang : '');
}

/** Cuts a line at spaces to `width` columns; every continuation line starts with `hang`. */
export function wrapWithHang(line: string, width: number, hang: string): string[] {
  const out: string[] = [];
  let rest = line;
  let prefix = '';
  while ((prefix + rest).length > width) {
    const room = width - prefix.length;
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = room;
    out.push(prefix + rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
    prefix = hang;
  }
  if (rest !== '') out.push(prefix + rest);
  return out;
}

export function wrapLines(lines: readonly string[], width: number): string[] {
  return lines.flatMap((l) => wrapLine(l, Math.max(20, width)));
}
