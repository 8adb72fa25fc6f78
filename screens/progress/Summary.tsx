// The end of a run: one line with the outcome and counts, each failure with its last lines and
// hint, and where the full log is. It stays on screen after the view unmounts.
import { Box, Text } from 'ink';
import type { ViewState } from '../../src/progress/state.js';
import { FailureDetails } from './FailureDetails.js';
import { duration, fit, type Layout } from './format.js';
import { useTone } from '../common/color.js';

export interface SummaryProps {
  state: ViewState;
  layout: Layout;
  logPath?: string;
}

export function summaryLine(state: ViewState): string {
  const r = state.result;
  if (!r) return '';
  const parts = [`${r.done} run`, `${r.skipped} already done`];
  if (r.failed) parts.push(`${r.failed} failed`);
  if (r.blocked) parts.push(`${r.blocked} not run`);
  return `${r.ok ? 'Finished' : 'Stopped'} after ${duration(r.durationMs)}: ${parts.join(', ')}`;
}

export function Summary({ state, layout, logPath }: SummaryProps) {
  const tone = useTone();
  const r = state.result;
  if (!r) return null;
  const width = layout.width;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" bold color={r.ok ? tone('green') : tone('red')}>
        {fit(`${r.ok ? '✓' : '✗'} ${summaryLine(state)}`, width)}
      </Text>
      {state.failures.map((id) => {
        const step = state.steps[id]!;
        return (
          <Box key={id} flexDirection="column">
            <Text wrap="truncate-end">{fit(`  ✗ ${step.node} · ${step.title}`, width)}</Text>
            <FailureDetails step={step} width={width} maxLines={layout.failureLines} />
          </Box>
        );
      })}
      {logPath ? <Text dimColor wrap="truncate-end">{fit(`  full output: ${logPath}`, width)}</Text> : null}
    </Box>
  );
}
