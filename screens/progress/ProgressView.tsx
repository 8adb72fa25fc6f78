// The live progress view: overall line, one panel per node, workloads, and the final summary.
// It only reads the store and draws; it never talks to a host. Finished steps go to <Static>
// in the compact layout, so the live area stays within the terminal (80x24 holds 3 nodes).
import { Box, Static, Text, useInput, useStdin } from 'ink';
import { useEffect, useReducer, useRef, useState, type MutableRefObject } from 'react';
import type { Store } from '../../src/progress/store.js';
import type { ViewState } from '../../src/progress/state.js';
import { duration, fit, layoutFor, SPINNER } from './format.js';
import { NodePanel } from './NodePanel.js';
import { StepLine } from './StepLine.js';
import { Summary } from './Summary.js';
import { ColorContext, useTone } from '../common/color.js';
import { useTerminalSize } from '../common/terminal-size.js';
import { WorkloadsTable } from './WorkloadsTable.js';
import { useTicker } from '../common/use-ticker.js';

export type ProgressIntent = 'quit';

export interface ProgressViewProps {
  store: Store;
  /** "apply", "status" ... shown in the overall line. */
  title?: string;
  logPath?: string;
  color?: boolean;
  /** Terminal size; defaults to the stdout Ink renders to (80x24 when unknown). */
  columns?: number;
  rows?: number;
  layout?: 'auto' | 'full' | 'compact';
  /** Spinner and elapsed-time tick (ms) while a run is under way. */
  tickMs?: number;
  clock?: () => number;
  /** Called with 'quit' on q / Esc / Ctrl-C (only when stdin is a terminal). */
  onIntent?: (intent: ProgressIntent) => void;
}

/** The store's state, re-read on each (already throttled) notification. */
export function useStoreState(store: Store): ViewState {
  const [state, setState] = useState(() => store.getState());
  useEffect(() => {
    const update = () => setState(store.getState());
    const unsubscribe = store.subscribe(update);
    update(); // anything dispatched between the first render and the subscription
    return unsubscribe;
  }, [store]);
  return state;
}

/**
 * The state for the view, with one source of frames at a time: while a run is under way the
 * spinner's tick redraws (and reads the latest state then), so store notifications are not
 * drawn on their own; when nothing ticks (status, or after the run) notifications redraw.
 * Under fast output this halves the frames: 8 per second instead of ticks plus notifications.
 */
function useTickedStoreState(store: Store, ticking: MutableRefObject<boolean>): ViewState {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const unsubscribe = store.subscribe(() => {
      // The run's end is drawn at once: the tick that would draw it stops with the run, and the
      // view may be unmounted before its next one (a short backup or restore).
      if (!ticking.current || store.getState().result !== undefined) redraw();
    });
    redraw();
    return unsubscribe;
  }, [store, ticking]);
  return store.getState();
}

function QuitKeys({ onIntent }: { onIntent: (intent: ProgressIntent) => void }) {
  useInput((input, key) => {
    if (input === 'q' || key.escape || (key.ctrl && input === 'c')) onIntent('quit');
  });
  return null;
}

const systemClock = () => Date.now();

export function ProgressView(props: ProgressViewProps) {
  return (
    <ColorContext.Provider value={props.color ?? true}>
      <ProgressBody {...props} />
    </ColorContext.Provider>
  );
}

function ProgressBody({ store, title = 'hobbykube', logPath, columns, rows, layout: mode = 'auto', tickMs = 125, clock = systemClock, onIntent }: ProgressViewProps) {
  const tone = useTone();
  const ticking = useRef(false);
  const state = useTickedStoreState(store, ticking);
  const size = useTerminalSize({ columns, rows });
  const running = state.startedAt !== undefined && state.result === undefined;
  ticking.current = running;
  const { now, frame } = useTicker(running, tickMs, clock);
  const { isRawModeSupported } = useStdin();
  const layout = layoutFor(size.columns, size.rows, state.nodeOrder.length, state.order.length, mode);
  const nameWidth = Math.max(0, ...state.nodeOrder.map((n) => n.length));
  const width = layout.width;

  const t = state.totals;
  const elapsed = state.startedAt !== undefined ? duration((state.result ? state.startedAt + state.result.durationMs : now) - state.startedAt) : '';
  const overall: string[] = [];
  if (elapsed) overall.push(elapsed);
  if (t.total > 0) overall.push(`steps ${t.done + t.skipped}/${t.total}`);
  if (t.running > 0) overall.push(`${t.running} running`);
  if (t.failed > 0) overall.push(`${t.failed} failed`);
  if (!running && state.startedAt === undefined && onIntent) overall.push('q to quit');
  const spinner = running ? `${SPINNER[frame % SPINNER.length]} ` : '';

  const finishedItems = layout.mode === 'compact' ? state.finished.map((id) => state.steps[id]!) : [];
  return (
    <>
      <Static items={finishedItems}>
        {(step) => (
          <Box key={step.id} width={width}>
            <StepLine step={step} now={now} frame={0} width={width} node={step.node.padEnd(nameWidth)} />
          </Box>
        )}
      </Static>
      <Box flexDirection="column" width={width}>
        <Text wrap="truncate-end">
          <Text bold>{title}</Text>
          <Text color={tone('cyan')}>{`  ${spinner}`}</Text>
          {fit(overall.join(' · '), width - title.length - 2 - spinner.length)}
        </Text>
        {logPath && !state.result ? <Text dimColor wrap="truncate-end">{fit(`log: ${logPath}`, width)}</Text> : null}
        {state.notices.map((n) => (
          <Text key={n.key} wrap="truncate-end" color={n.warn ? tone('yellow') : undefined} dimColor={!n.warn}>
            {fit(n.text, width)}
          </Text>
        ))}
        {state.nodeOrder.map((name) => (
          <NodePanel key={name} state={state} node={state.nodes[name]!} layout={layout} now={now} frame={frame} nameWidth={nameWidth} />
        ))}
        <WorkloadsTable workloads={state.workloads} width={width} maxRows={Math.max(3, size.rows - 4 - state.nodeOrder.length * 3)} />
        <Summary state={state} layout={layout} {...(logPath ? { logPath } : {})} />
      </Box>
      {onIntent && isRawModeSupported ? <QuitKeys onIntent={onIntent} /> : null}
    </>
  );
}
