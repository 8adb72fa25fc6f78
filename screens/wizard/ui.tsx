// Small shared pieces of the wizard and menu screens: text in a tone (the colours follow
// screens/common/color.ts, so NO_COLOR turns them off), the footer of keys, a window onto wrapped
// lines, and list selection that keeps up with keys arriving faster than frames.
import { useRef, useState, type ReactNode } from 'react';
import { Box, Text, useInput } from 'ink';
import { useColorEnabled, useTone, type ColorName } from '../common/color.js';

export type Tone = 'accent' | 'ok' | 'warn' | 'fail' | 'dim' | 'focus';

export const TONE_COLOR: Record<Tone, ColorName> = { accent: 'cyan', ok: 'green', warn: 'yellow', fail: 'red', dim: 'gray', focus: 'cyan' };

export function T({ tone, children, bold, inverse, wrap }: { tone?: Tone; children?: ReactNode; bold?: boolean; inverse?: boolean; wrap?: 'wrap' | 'truncate-end' }) {
  const color = useTone()(tone ? TONE_COLOR[tone] : undefined);
  const dimNoColor = !useColorEnabled() && tone === 'dim';
  return (
    <Text {...(color ? { color } : {})} {...(dimNoColor ? { dimColor: false } : {})} bold={bold ?? false} inverse={inverse ?? false} wrap={wrap ?? 'truncate-end'}>
      {children}
    </Text>
  );
}

export interface KeyHelp {
  key: string;
  does: string;
}

export function Footer({ keys }: { keys: KeyHelp[] }) {
  return (
    <Box height={1} flexShrink={0}>
      <T tone="dim">{keys.map((k) => `${k.key} ${k.does}`).join(' · ')}</T>
    </Box>
  );
}

export { wrapLine, wrapLines } from '../../src/text/wrap.js';

export function toneOf(line: string): Tone | undefined {
  const t = line.trimStart();
  if (t.startsWith('fail')) return 'fail';
  if (t.startsWith('warn')) return 'warn';
  if (t.startsWith('ok ')) return 'ok';
  return undefined;
}

/** A fixed-height window onto pre-wrapped lines, from `offset`. */
export function Pane({ lines, height, offset = 0 }: { lines: readonly string[]; height: number; offset?: number }) {
  const shown = lines.slice(offset, offset + Math.max(0, height));
  return (
    <Box flexDirection="column" height={Math.max(0, height)} flexShrink={0}>
      {shown.map((line, i) => (
        <T key={i} tone={toneOf(line)}>
          {line === '' ? ' ' : line}
        </T>
      ))}
    </Box>
  );
}

/**
 * A list's selection kept in a ref: keys may come faster than frames (a paste, tmux send-keys),
 * so each key handler reads `ref.current`, the latest selection, not the last render's.
 */
function useSelection(count: number): [number, (n: number) => void, { current: number }] {
  const ref = useRef(0);
  const [, setTick] = useState(0);
  const set = (n: number) => {
    ref.current = Math.max(0, Math.min(count - 1, n));
    setTick((t) => t + 1);
  };
  return [Math.min(ref.current, Math.max(0, count - 1)), set, ref];
}

type InkKey = Parameters<Parameters<typeof useInput>[0]>[1];

export interface ListKeys {
  /** Enter on the row at `at`. */
  onEnter?: (at: number) => void;
  onEscape?: () => void;
  /** Any other key (letters, digits), with the selected row. */
  onKey?: (input: string, key: InkKey, at: number) => void;
}

/**
 * A selectable list's keys: ↑/⇧Tab and ↓/Tab move, Enter and Esc and other keys go to the
 * handlers with the latest selection. Returns the row to draw as selected and a setter.
 */
export function useListKeys(count: number, handlers: ListKeys, isActive = true): [number, (n: number) => void] {
  const [at, setAt, ref] = useSelection(count);
  useInput(
    (input, key) => {
      const i = Math.min(ref.current, Math.max(0, count - 1));
      if (key.escape) return handlers.onEscape?.();
      if (key.upArrow || (key.tab && key.shift)) return setAt(i - 1);
      if (key.downArrow || key.tab) return setAt(i + 1);
      if (key.return) return count > 0 ? handlers.onEnter?.(i) : undefined;
      handlers.onKey?.(input, key, i);
    },
    { isActive },
  );
  return [at, setAt];
}

/** Rows with the selected one marked (› and inverse). */
export function List({ items, at }: { items: readonly string[]; at: number }) {
  return (
    <>
      {items.map((label, i) => (
        <Text key={i} inverse={i === at}>{`${i === at ? '›' : ' '} ${label}`}</Text>
      ))}
    </>
  );
}
