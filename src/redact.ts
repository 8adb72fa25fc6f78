// Secrets must never reach a log, the screen or a plan printout. Every output line passes
// through a Redactor: known secret values (sudo passwords, secretEnv values, generated
// passwords) and shapes that are always secret (kubeadm bootstrap tokens) become "[redacted]".

const BOOTSTRAP_TOKEN = /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g;
const MASK = '[redacted]';

export class Redactor {
  private readonly values = new Set<string>();

  /** Adds a value to hide; very short values are ignored (they would mask ordinary words). */
  add(value: string | undefined): void {
    if (value === undefined || value.length < 4) return;
    this.values.add(value);
    for (const line of value.split('\n')) if (line.length >= 4 && line !== value) this.values.add(line);
  }

  redact(text: string): string {
    let out = text.replace(BOOTSTRAP_TOKEN, MASK);
    // Longest first, so a value containing another is masked whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(value)) out = out.split(value).join(MASK);
    }
    return out;
  }
}
