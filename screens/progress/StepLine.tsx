// One step: spinner while running, ✓ / ✗ with the duration when finished, skipped and blocked
// steps dimmed with their reason, pending ones dimmed.
import { Text } from 'ink';
import type { StepState } from '../../src/progress/state.js';
import { duration, fit, SPINNER } from './format.js';
import { useTone } from '../common/color.js';

export interface StepLineProps {
  step: StepState;
  now: number;
  frame: number;
  width: number;
  /** Prefix (the node name) for the `<Static>` list, where steps of all nodes mix. */
  node?: string;
}

export function stepText(step: StepState, now: number, frame: number): { symbol: string; text: string } {
  switch (step.status) {
    case 'running': {
      const took = step.startedAt !== undefined ? `  ${duration(now - step.startedAt)}` : '';
      const retry = step.attempt ? `  (retry ${step.attempt}: ${step.retryMessage ?? ''})` : '';
      return { symbol: SPINNER[frame % SPINNER.length]!, text: `${step.title}${took}${retry}` };
    }
    case 'done':
      return { symbol: '✓', text: `${step.title}  ${duration(step.durationMs ?? 0)}` };
    case 'skipped':
      return { symbol: '–', text: `${step.title} (${step.reason ?? 'already done'})` };
    case 'failed': {
      const code = step.failure?.exitCode !== undefined ? `  exit ${step.failure.exitCode}` : '';
      return { symbol: '✗', text: `${step.title}${code}  ${duration(step.durationMs ?? 0)}` };
    }
    case 'blocked':
      return { symbol: '⊘', text: `${step.title} (not run: ${step.reason ?? 'stopped'})` };
    case 'pending':
      return { symbol: '·', text: step.title };
  }
}

export function StepLine({ step, now, frame, width, node }: StepLineProps) {
  const tone = useTone();
  const { symbol, text } = stepText(step, now, frame);
  const prefix = node ? `${node}  ` : '';
  const body = fit(`${prefix}${text}`, width - 2);
  const dim = step.status === 'skipped' || step.status === 'blocked' || step.status === 'pending';
  const symbolColor =
    step.status === 'done' ? tone('green') : step.status === 'failed' ? tone('red') : step.status === 'running' ? tone('cyan') : undefined;
  return (
    <Text wrap="truncate-end" dimColor={dim}>
      <Text color={symbolColor}>{symbol}</Text> {step.status === 'failed' ? <Text color={tone('red')}>{body}</Text> : body}
    </Text>
  );
}
