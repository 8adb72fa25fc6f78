// The live view of `hobbykube doctor`: it draws the lines src/doctor/live.ts decides (groups by
// node and area, worst first) with a symbol and a colour per status, and a spinner while checks
// run. It never talks to a node.
import { Box, Text, useInput, useStdin } from 'ink';
import { useEffect, useState } from 'react';
import { liveLines, type LiveLine } from '../../src/doctor/live.js';
import type { DoctorState, DoctorStore } from '../../src/doctor/state.js';
import type { CheckStatus } from '../../src/doctor/types.js';
import { fit, SPINNER } from '../progress/format.js';
import { ColorContext, useTone, type ColorName } from '../common/color.js';
import { useTerminalSize } from '../common/terminal-size.js';
import { useTicker } from '../common/use-ticker.js';

export interface DoctorViewProps {
  store: DoctorStore;
  color?: boolean;
  columns?: number;
  rows?: number;
  tickMs?: number;
  clock?: () => number;
  /** q / Esc / Ctrl-C. */
  onQuit?: () => void;
  /** Draw nothing once the run is done (the CLI prints the full report in its place). */
  hideWhenDone?: boolean;
}

const SYMBOL: Record<CheckStatus, string> = { critical: '✗', warning: '!', unknown: '?', ok: '✓', running: '', pending: '·' };
const TONE: Record<CheckStatus, ColorName | undefined> = { critical: 'red', warning: 'yellow', unknown: 'yellow', ok: 'green', running: 'cyan', pending: 'gray' };

function useDoctorState(store: DoctorStore): DoctorState {
  const [state, setState] = useState(() => store.getState());
  useEffect(() => {
    const update = () => setState(store.getState());
    const unsubscribe = store.subscribe(update);
    update();
    return unsubscribe;
  }, [store]);
  return state;
}

function QuitKeys({ onQuit }: { onQuit: () => void }) {
  useInput((input, key) => {
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) onQuit();
  });
  return null;
}

function Line({ line, width, frame }: { line: LiveLine; width: number; frame: number }) {
  const tone = useTone();
  const symbol = line.status === 'running' ? SPINNER[frame % SPINNER.length]! : line.status ? SYMBOL[line.status] : '';
  const lead = ' '.repeat(line.indent) + (symbol ? `${symbol} ` : '');
  const color = line.status ? TONE[line.status] : undefined;
  if (line.kind === 'header') return <Text bold wrap="truncate-end">{fit(line.text, width)}</Text>;
  if (line.kind === 'fix' || line.kind === 'more') return <Text dimColor wrap="truncate-end">{fit(lead + line.text, width)}</Text>;
  return (
    <Text wrap="truncate-end" bold={line.kind === 'group'}>
      <Text color={tone(color)}>{lead}</Text>
      {fit(line.text, width - lead.length)}
    </Text>
  );
}

const systemClock = () => Date.now();

export function DoctorView({ store, color = true, columns, rows, tickMs = 100, clock = systemClock, onQuit, hideWhenDone = false }: DoctorViewProps) {
  const state = useDoctorState(store);
  const { isRawModeSupported } = useStdin();
  const size = useTerminalSize({ ...(columns !== undefined ? { columns } : {}), ...(rows !== undefined ? { rows } : {}) });
  const { now, frame } = useTicker(!state.done, tickMs, clock);
  const width = Math.max(20, size.columns - 1);
  const lines = liveLines(state, size.rows, now);
  if (hideWhenDone && state.done) return null;
  return (
    <ColorContext.Provider value={color}>
      <Box flexDirection="column" width={width}>
        {lines.map((line, i) => (
          <Line key={`${i}:${line.kind}`} line={line} width={width} frame={frame} />
        ))}
      </Box>
      {onQuit && isRawModeSupported && !state.done ? <QuitKeys onQuit={onQuit} /> : null}
    </ColorContext.Provider>
  );
}
