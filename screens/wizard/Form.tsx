// A form drawn from the question model (src/wizard/model.ts): one line per field, the error in
// the model's words right under the field, the focused field's hint and preview at the bottom.
// All keys are handled here, in one useInput, so no two inputs ever receive the same key.
import { useMemo, useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { formErrors, visibleValues, type Field, type FormMemory, type FormModel, type Values } from '../../src/wizard/model.js';
import { useTone } from '../common/color.js';
import { Footer, T, TONE_COLOR, wrapLines, type KeyHelp } from './ui.js';

export interface FormProps {
  form: FormModel;
  width: number;
  height: number;
  active?: boolean;
  submitLabel?: string;
  onChange?: (values: Values) => void;
  onSubmit: (values: Values) => void;
  onBack: (values: Values) => void;
  /**
   * Unsubmitted values kept under `key` as they change, so leaving and coming back finds them;
   * dropped on submit, and on Esc too when `onBack` is 'drop'.
   */
  memory?: { store: FormMemory; key: string; onBack: 'keep' | 'drop' };
}

const LABEL_WIDTH = 15;

export const FORM_KEYS: KeyHelp[] = [
  { key: 'Tab/↓', does: 'next' },
  { key: '⇧Tab/↑', does: 'prev' },
  { key: '←→', does: 'choose' },
  { key: 'Enter', does: 'next/OK' },
  { key: 'Esc', does: 'back' },
  { key: '^C', does: 'quit' },
];

function display(field: Field, value: string, focused: boolean): string {
  if (field.kind === 'secret') return '*'.repeat(Math.min(value.length, 24));
  if (field.kind === 'choice') {
    const name = field.choices?.find((c) => c.value === value)?.name ?? value;
    return focused ? `‹ ${name} ›` : name;
  }
  return value;
}

interface FormState {
  values: Values;
  focus: number;
  touched: Set<string>;
  showAll: boolean;
}

export function Form({ form, width, height, active = true, submitLabel, onChange: changed, onSubmit: submitted, onBack: back, memory }: FormProps) {
  const start = memory?.store.get(memory.key);
  const onChange = (values: Values) => {
    if (memory) memory.store.keep(memory.key, values);
    changed?.(values);
  };
  const onSubmit = (values: Values) => {
    memory?.store.drop(memory.key);
    submitted(values);
  };
  const onBack = (values: Values) => {
    if (memory?.onBack === 'keep') memory.store.keep(memory.key, values);
    else memory?.store.drop(memory.key);
    back(values);
  };
  // Keys can arrive faster than frames (a paste, tmux send-keys): every key works on the latest
  // state held in a ref, never on the values captured by the last render.
  const ref = useRef<FormState>({ values: { ...form.initial, ...(start ?? {}) }, focus: 0, touched: new Set(), showAll: false });
  const [, setTick] = useState(0);
  const tone = useTone();
  const commit = (patch: Partial<FormState>) => {
    ref.current = { ...ref.current, ...patch };
    setTick((t) => t + 1);
  };
  const { values, touched, showAll } = ref.current;
  const fields = form.fields(values);
  const at = Math.min(ref.current.focus, fields.length - 1);
  const field = fields[at]!;
  const errors = useMemo(() => formErrors(form, values), [form, values]);

  // Typed text, a Tab, Enter or Backspace can arrive in one read (fast typing, a held key, a
  // paste, tmux send-keys on a loaded machine): Ink then hands them over as one string with no key
  // flag set. Split them so the Tab still moves and every Backspace still deletes.
  type InkKey = Parameters<Parameters<typeof useInput>[0]>[1];
  const handleInput = (input: string, key: InkKey, handle: (input: string, key: InkKey) => void) => {
    if (input.length < 2 || !/[\t\r\x7f\b]/.test(input) || key.ctrl || key.meta) return handle(input, key);
    for (const part of input.split(/([\t\r\x7f\b])/)) {
      if (part === '\t') handle('', { ...key, tab: true });
      else if (part === '\r') handle('', { ...key, return: true });
      else if (part === '\x7f' || part === '\b') handle('', { ...key, backspace: true });
      else if (part !== '') handle(part, key);
    }
  };

  useInput(
    (rawInput, rawKey) => handleInput(rawInput, rawKey, (input, key) => {
      const st = ref.current;
      const list = form.fields(st.values);
      const i = Math.min(st.focus, list.length - 1);
      const f = list[i]!;
      const update = (next: Values) => {
        commit({ values: next });
        onChange(next);
      };
      const move = (to: number) => commit({ touched: new Set(st.touched).add(f.key), focus: Math.max(0, Math.min(list.length - 1, to)) });
      if (key.escape) return onBack(st.values);
      if (key.tab && key.shift) return move(i - 1);
      if (key.tab || key.downArrow) return move(i + 1);
      if (key.upArrow) return move(i - 1);
      if (key.return) {
        if (i < list.length - 1) return move(i + 1);
        const problems = formErrors(form, st.values);
        const bad = Object.keys(problems);
        if (bad.length > 0) return commit({ showAll: true, touched: new Set(st.touched).add(f.key), focus: Math.max(0, list.findIndex((x) => x.key === bad[0])) });
        return onSubmit(visibleValues(form, st.values));
      }
      const value = st.values[f.key] ?? '';
      if (f.kind === 'choice') {
        const choices = f.choices ?? [];
        if (choices.length === 0) return;
        const c = Math.max(0, choices.findIndex((x) => x.value === value));
        // A choice is complete the moment it changes: its problem shows at once.
        const choose = (to: number) => {
          commit({ touched: new Set(st.touched).add(f.key) });
          update({ ...st.values, [f.key]: choices[(to + choices.length) % choices.length]!.value });
        };
        if (key.leftArrow) return choose(c - 1);
        if (key.rightArrow || input === ' ') return choose(c + 1);
        return;
      }
      if (key.backspace || key.delete) return update({ ...st.values, [f.key]: value.slice(0, -1) });
      if (key.ctrl && input === 'u') return update({ ...st.values, [f.key]: '' });
      if (key.ctrl || key.meta || key.leftArrow || key.rightArrow) return;
      const text = input.replace(/[\u0000-\u001f\u007f]/g, '');
      if (text !== '') update({ ...st.values, [f.key]: value + text });
    }),
    { isActive: active },
  );

  const inner = Math.max(20, width);
  const intro = wrapLines(form.intro, inner);
  const bottom = wrapLines([...(field.preview?.(values[field.key] ?? '') ?? []), ...(field.hint ? [field.hint] : [])], inner - 2);
  const valueWidth = Math.max(10, inner - LABEL_WIDTH - 3);

  // One row per field, plus one under each field whose problem is showing.
  type Row = { field: Field; index: number; error?: string };
  const rows: Row[] = [];
  fields.forEach((f, index) => {
    rows.push({ field: f, index });
    const problem = errors[f.key];
    if (problem && (showAll || touched.has(f.key))) for (const line of wrapLines([problem], inner - LABEL_WIDTH - 3)) rows.push({ field: f, index, error: line });
  });
  const room = Math.max(3, height - 1 - 1 - intro.length - 1 - bottom.length - 1 - (submitLabel ? 1 : 0));
  const focusRow = rows.findIndex((r) => r.index === at && !r.error);
  const first = Math.max(0, Math.min(focusRow - Math.floor(room / 2), rows.length - room));
  const shown = rows.slice(first, first + room);

  return (
    <Box flexDirection="column" height={height} width={inner}>
      <T tone="accent" bold>
        {form.title}
      </T>
      {intro.map((line, i) => (
        <Text key={`i${i}`} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text> </Text>
      <Box flexDirection="column" height={room} flexShrink={0}>
        {shown.map((row) => {
          const focused = row.index === at;
          if (row.error) {
            return (
              <Box key={`${row.field.key}-e${row.error}`} paddingLeft={LABEL_WIDTH + 3}>
                <T tone="fail">{row.error}</T>
              </Box>
            );
          }
          const value = display(row.field, values[row.field.key] ?? '', focused);
          const shownValue = value.length > valueWidth - 1 ? `…${value.slice(value.length - valueWidth + 2)}` : value;
          const storedHint = row.field.kind === 'secret' && value === '' && !errors[row.field.key] ? '(kept)' : '';
          return (
            <Box key={row.field.key}>
              <Text {...(focused && tone(TONE_COLOR.focus) ? { color: tone(TONE_COLOR.focus) } : {})} bold={focused}>
                {focused ? '› ' : '  '}
                {row.field.label.padEnd(LABEL_WIDTH).slice(0, LABEL_WIDTH)}{' '}
              </Text>
              <Text wrap="truncate-end">{shownValue}</Text>
              {focused && row.field.kind !== 'choice' ? <Text inverse> </Text> : null}
              {storedHint ? <T tone="dim">{storedHint}</T> : null}
            </Box>
          );
        })}
      </Box>
      <Box flexGrow={1} />
      {bottom.map((line, i) => (
        <T key={`b${i}`} tone="dim">
          {`  ${line}`}
        </T>
      ))}
      {submitLabel ? <T tone="dim">{`  Enter on the last field: ${submitLabel}`}</T> : null}
      <Footer keys={FORM_KEYS} />
    </Box>
  );
}
