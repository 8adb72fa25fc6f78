// Word wrapping for terminal text, shared by the Ink screens, the plain prompts and the prose a
// command prints in a terminal. Colour codes take no columns and are never split.
import { stripVTControlCharacters } from 'node:util';

/** Wraps text at word boundaries to `width` columns; continuation lines keep the indent. */
export function wrapLine(line: string, width: number): string[] {
  const plain = stripVTControlCharacters(line);
  if (plain.length <= width) return [line];
  const indent = /^\s*/.exec(plain)![0];
  const status = /^\s*(ok|warn|fail|run|skip)\s+/.exec(plain)?.[0].slice(indent.length).replace(/./g, ' ');
  const hang = indent + (status ?? (indent !== '' ? '  ' : ''));
  return wrapWithHang(line, width, hang.length < width / 2 ? hang : '');
}

const ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]/y;

/** Cuts a line at spaces to `width` columns; every continuation line starts with `hang`. */
export function wrapWithHang(line: string, width: number, hang: string): string[] {
  // One cell per visible character, carrying the colour codes just before it.
  const cells: string[] = [];
  const chars: string[] = [];
  let codes = '';
  for (let i = 0; i < line.length; ) {
    ESCAPE.lastIndex = i;
    const m = ESCAPE.exec(line);
    if (m) {
      codes += m[0];
      i += m[0].length;
      continue;
    }
    cells.push(codes + line[i]!);
    chars.push(line[i]!);
    codes = '';
    i += 1;
  }
  if (cells.length === 0) return [line];
  cells[cells.length - 1] += codes;

  const out: string[] = [];
  let start = 0;
  let prefix = '';
  while (prefix.length + chars.length - start > width) {
    const room = width - prefix.length;
    let cut = start + room;
    while (cut > start && chars[cut] !== ' ') cut -= 1;
    if (cut === start) cut = start + room;
    out.push(prefix + cells.slice(start, cut).join(''));
    // The spaces at the cut go; their colour codes move on to the next character.
    let carried = '';
    for (start = cut; start < chars.length && chars[start] === ' '; start += 1) carried += cells[start]!.slice(0, -1);
    if (start < chars.length) cells[start] = carried + cells[start]!;
    prefix = hang;
  }
  if (start < chars.length) out.push(prefix + cells.slice(start).join(''));
  return out;
}

export function wrapLines(lines: readonly string[], width: number): string[] {
  return lines.flatMap((l) => wrapLine(l, Math.max(20, width)));
}

/** Prose for a terminal `columns` wide, or as it is when there is no terminal (scripts get whole lines). */
export function wrapForTerminal(text: string, columns: number | undefined): string {
  if (columns === undefined) return text;
  return text
    .split('\n')
    .map((l) => wrapLines([l], columns).join('\n'))
    .join('\n');
}

/**
 * A question for an @inquirer/prompts prompt, wrapped to the terminal: the prompt puts "? " before
 * its first line, so two columns fewer. A host key's fingerprint then moves whole to the next line
 * instead of being cut by the terminal.
 */
export function wrapPromptMessage(text: string, columns: number | undefined): string {
  return wrapForTerminal(text, columns === undefined ? undefined : columns - 2);
}
