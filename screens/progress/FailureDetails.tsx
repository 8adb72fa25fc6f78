// A failed step: exit code and message, its last output lines, and the hint when the cause is known.
import { Box, Text } from 'ink';
import type { StepState } from '../../src/progress/state.js';
import { fit } from './format.js';
import { useTone } from '../common/color.js';

export interface FailureDetailsProps {
  step: StepState;
  width: number;
  maxLines: number;
  /** Indent (spaces) before every line. */
  indent?: number;
}

export function FailureDetails({ step, width, maxLines, indent = 4 }: FailureDetailsProps) {
  const tone = useTone();
  const f = step.failure;
  if (!f) return null;
  const pad = ' '.repeat(indent);
  const lines = f.lastLines.slice(-maxLines);
  const exit = f.exitCode !== undefined && !f.message.includes('exit code') ? ` (exit code ${f.exitCode})` : '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" color={tone('red')}>
        {fit(`${pad}${f.message}${exit}`, width)}
      </Text>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate-end" dimColor>
          {fit(`${pad}│ ${line}`, width)}
        </Text>
      ))}
      {f.hint ? (
        <Box paddingLeft={indent} width={width}>
          <Text wrap="wrap" color={tone('yellow')}>{`hint: ${f.hint}`}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
