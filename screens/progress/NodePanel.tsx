// One node: title with progress, its step(s), memory, and the tail of the running step's output.
// Compact (80x24 with 3 nodes): only the running step (or the failed one) is listed, finished
// steps live in <Static> above. Full: every step of the node.
import { Box, Text } from 'ink';
import { nodeSteps, type NodeState, type ViewState } from '../../src/progress/state.js';
import { FailureDetails } from './FailureDetails.js';
import { fit, type Layout } from './format.js';
import { MemoryLine } from './MemoryLine.js';
import { StepLine } from './StepLine.js';
import { useTone } from '../common/color.js';

export interface NodePanelProps {
  state: ViewState;
  node: NodeState;
  layout: Layout;
  now: number;
  frame: number;
  /** Pad node names to this width so panels line up. */
  nameWidth: number;
}

export function NodePanel({ state, node, layout, now, frame, nameWidth }: NodePanelProps) {
  const tone = useTone();
  const steps = nodeSteps(state, node.name);
  const finished = state.result !== undefined;
  const ended = steps.filter((s) => s.status !== 'pending' && s.status !== 'running').length;
  const running = steps.filter((s) => s.status === 'running');
  const failed = steps.filter((s) => s.status === 'failed');
  const width = layout.width;

  let status = '';
  if (steps.length > 0) {
    status = `${ended}/${steps.length}`;
    if (failed.length > 0) status += ' failed';
    else if (running.length === 0 && ended === steps.length) status += ' done';
    else if (running.length === 0 && !finished) status += ' waiting';
  }
  const readyText = node.ready === undefined ? '' : node.ready ? 'Ready' : `NotReady${node.readyReason ? ` (${node.readyReason})` : ''}`;
  const ready = [node.version, readyText].filter(Boolean).join(' ');
  const role = node.role ? ` ${node.role}` : '';
  const head = `${node.name.padEnd(nameWidth)}${role}`;
  const right = [ready, status].filter(Boolean).join('  ');

  const listed = layout.mode === 'full' ? steps : finished ? [] : [...running, ...failed];
  const showTail = !finished && layout.tailLines > 0 && running.length > 0;
  const tail = showTail ? node.tail.slice(-layout.tailLines) : [];

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold>{head}</Text>
        {right ? (
          <Text color={failed.length > 0 ? tone('red') : node.ready === false ? tone('yellow') : undefined}>{fit(`  ${right}`, width - head.length)}</Text>
        ) : null}
      </Text>
      {listed.map((s) => (
        <Box key={s.id} flexDirection="column">
          <Box paddingLeft={2}>
            <StepLine step={s} now={now} frame={frame} width={width - 2} />
          </Box>
          {s.status === 'failed' && !finished ? <FailureDetails step={s} width={width} maxLines={layout.failureLines} /> : null}
        </Box>
      ))}
      <MemoryLine node={node} width={width} now={now} />
      {tail.map((t, i) => (
        <Text key={i} wrap="truncate-end" dimColor>
          {fit(`    ${t.line}`, width)}
        </Text>
      ))}
    </Box>
  );
}
