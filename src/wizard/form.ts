// The question model's building blocks: a form is a list of fields (some shown only for some
// answers), each with its words, its kind and its check. The checks return undefined or the
// "expected ..." sentence made from the phrases of src/spec/rules.ts, so the inline error says what
// the spec file's error would say. Every value is held as the text the person typed.
import * as rules from '../spec/rules.js';
import type { Answers } from './answers.js';

export type FieldKind = 'text' | 'secret' | 'choice';

export interface Choice {
  value: string;
  name: string;
}

export interface Field {
  /** Key in the form's values. Secret fields are `secret:NAME` and never reach the answers. */
  key: string;
  /** Short label for the full-screen form (at most 14 characters). */
  label: string;
  /** The whole question, as the plain prompts ask it. */
  message: string;
  /** One line on what is wanted and why; shown under the focused field and in plain mode. */
  hint?: string;
  kind: FieldKind;
  choices?: Choice[];
  /** undefined when fine, else the sentence shown beside the field ("expected ..."). */
  validate: (value: string) => string | undefined;
  /** Extra lines the screen shows beside the field for the current value (next cron runs). */
  preview?: (value: string) => string[];
}

export type Values = Record<string, string>;

export interface FormModel {
  id: string;
  title: string;
  /** Short paragraph above the fields. */
  intro: string[];
  /** The fields to show for the current values (some appear only for some answers). */
  fields: (values: Values) => Field[];
  /** Values a fresh form starts from. */
  initial: Values;
}

export const YES_NO: Choice[] = [
  { value: 'no', name: 'no' },
  { value: 'yes', name: 'yes' },
];

export const expected = (phrase: string | undefined): string | undefined => (phrase === undefined ? undefined : `expected ${phrase}`);
export const check = (rule: rules.Check) => (v: string) => expected(rule(v.trim()));
export const optional = (rule: rules.Check) => (v: string) => (v.trim() === '' ? undefined : expected(rule(v.trim())));
export const integerText = (rule: (value: unknown) => string | undefined, allowEmpty: boolean) => (v: string) => {
  const t = v.trim();
  if (t === '' && allowEmpty) return undefined;
  return expected(rule(rules.numberOrText(t)));
};

// ------------------------------------------------------------------------------------- forms

/** The `node` field: one of the nodes, refused (in the same words everywhere) when there are none yet. */
export function nodeField(answers: Answers, words: Pick<Field, 'label' | 'message' | 'hint'>, choices: Choice[]): Field {
  return { key: 'node', ...words, kind: 'choice', choices, validate: (v) => (answers.nodes.some((n) => n.name === v) ? undefined : 'expected a node name (add nodes first)') };
}

/** Visible fields and their problems for these values; empty when the form can be submitted. */
export function formErrors(form: FormModel, values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of form.fields(values)) {
    const problem = field.validate(values[field.key] ?? '');
    if (problem !== undefined) errors[field.key] = problem;
  }
  return errors;
}

/** The form's values with fields not shown for them dropped (a hidden field's stale text never counts). */
export function visibleValues(form: FormModel, values: Values): Values {
  const out: Values = {};
  for (const field of form.fields(values)) out[field.key] = values[field.key] ?? '';
  return out;
}

/** A form's unsubmitted values, per form, so that leaving and coming back finds them; secret values are never kept. */
export class FormMemory {
  private readonly values = new Map<string, Values>();

  get(key: string): Values | undefined {
    return this.values.get(key);
  }

  keep(key: string, values: Values): void {
    this.values.set(key, Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('secret:'))));
  }

  drop(key: string): void {
    this.values.delete(key);
  }
}
