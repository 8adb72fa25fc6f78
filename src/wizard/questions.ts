// The transport's questions (a new host key, a sudo password, a key passphrase) as state, for a
// front end that draws them itself (the full-screen wizard and the menu): one question is open at
// a time, later ones wait their turn, and an answer resolves the Asker call that asked it.
import type { Asker, SecretKind } from '../ssh/types.js';

export type Pending =
  | { kind: 'hostkey'; node: string; address: string; fingerprint: string; keyType: string }
  | { kind: 'secret'; question: string; secretKind: SecretKind };

type Answer = boolean | string | undefined;

export class QuestionQueue {
  private open: { pending: Pending; resolve: (value: Answer) => void } | undefined;
  private readonly waiting: Array<{ pending: Pending; resolve: (value: Answer) => void }> = [];

  /** `show` gets the question to draw now (undefined: none). */
  constructor(private readonly show: (pending: Pending | undefined) => void) {}

  get current(): Pending | undefined {
    return this.open?.pending;
  }

  asker(): Asker {
    return {
      confirmHostKey: (node, address, fingerprint, keyType) => this.ask<boolean>({ kind: 'hostkey', node, address, fingerprint, keyType }),
      secret: async (question, kind) => {
        const value = await this.ask<string | undefined>({ kind: 'secret', question, secretKind: kind });
        if (value === undefined) throw new Error(`${question}: not given`);
        return value;
      },
    };
  }

  /** Answers the open question (a host key: true/false; a secret: the text, or undefined when declined). */
  answer(value: Answer): void {
    const open = this.open;
    this.open = undefined;
    this.show(undefined);
    open?.resolve(value);
    const next = this.waiting.shift();
    if (next) this.present(next);
  }

  /** Ctrl-C: the open question is answered "no" (a host key) or declined (a secret). */
  decline(): void {
    if (this.open) this.answer(this.open.pending.kind === 'hostkey' ? false : undefined);
  }

  private ask<T extends Answer>(pending: Pending): Promise<T> {
    return new Promise<T>((resolve) => {
      const entry = { pending, resolve: resolve as (value: Answer) => void };
      if (this.open) this.waiting.push(entry);
      else this.present(entry);
    });
  }

  private present(entry: { pending: Pending; resolve: (value: Answer) => void }): void {
    this.open = entry;
    this.show(entry.pending);
  }
}
