// The one shell-quoting helper. Every value that reaches generated shell text goes through
// `quote` (or the `sh` template tag, which quotes every interpolated value), so no user value is
// ever pasted into a script unquoted.

/** Quotes one value for POSIX shells: safe words stay bare, everything else is single-quoted. */
export function quote(value: string | number): string {
  const text = String(value);
  if (text !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) && !text.startsWith('-')) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Quotes each value and joins them with spaces: a ready command line. */
export function quoteAll(values: ReadonlyArray<string | number>): string {
  return values.map(quote).join(' ');
}

/** A raw fragment that `sh` must not quote (script text written by hobbykube itself). */
export class Raw {
  constructor(readonly text: string) {}
}

export const raw = (text: string): Raw => new Raw(text);

/**
 * Template tag for script text: literal parts are hobbykube's own, every `${value}` is quoted.
 * Arrays become several quoted words; `raw(...)` fragments are inserted as they are.
 */
export function sh(strings: TemplateStringsArray, ...values: ReadonlyArray<unknown>): string {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return out;
}

function render(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return value.map(render).join(' ');
  if (typeof value === 'string' || typeof value === 'number') return quote(value);
  throw new TypeError(`sh: cannot quote a value of type ${typeof value}`);
}
