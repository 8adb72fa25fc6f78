// How the text typed into a field becomes lists, env pairs and command words, and back again
// (editing a spec shows its values in the same notation). Pure; used by the answers, the
// question model's checks and the answers <-> spec conversion.
/** "a, b c" → [a, b, c] */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** "A=1, B=x,y" → {A: "1", B: "x,y"}: a comma ends a value only when NAME= follows. undefined when malformed. */
export function parseEnv(text: string): Record<string, string> | undefined {
  if (text.trim() === '') return {};
  const out: Record<string, string> = {};
  for (const part of text.split(/,\s*(?=[A-Za-z_][A-Za-z0-9_]*=)/)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const name = part.slice(0, eq).trim();
    if (name in out) return undefined;
    out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

export function formatEnv(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/** Words separated by spaces; "..." and '...' keep spaces. undefined when a quote is not closed. */
export function parseCommand(text: string): string[] | undefined {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: string | undefined;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(current);
  return words;
}

export function formatCommand(words: readonly string[]): string {
  return words.map((w) => (w === '' || /[\s"']/.test(w) ? (w.includes('"') ? `'${w}'` : `"${w}"`) : w)).join(' ');
}
