// Review: the spec summary, the capacity table (slot), the plan per node, and the choices:
// install, go back to any screen, save and quit.
import { useMemo, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { reviewLines } from '../../src/wizard/review.js';
import { SCREEN_TITLES, SCREENS } from '../../src/wizard/screen-ids.js';
import type { ScreenProps } from './FormScreen.js';
import { Footer, Pane, T, wrapLines } from './ui.js';

export function ReviewScreen({ flow, state, width, height, active }: ScreenProps) {
  const text = useMemo(() => flow.review(), [flow, state.answers, state.probes]);
  const [offset, setOffset] = useState(0);
  const lines = useMemo(() => {
    if (text.problems.length > 0) {
      return wrapLines(['fail  The answers do not make a valid spec yet. Go back and fix:', ...text.problems.map((p) => `  ${p}`)], width);
    }
    return wrapLines(reviewLines(text), width);
  }, [text, width]);
  const paneHeight = Math.max(3, height - 4);
  const maxOffset = Math.max(0, lines.length - paneHeight);
  const ok = text.problems.length === 0;

  useInput(
    (input, key) => {
      if (key.escape) return flow.back();
      if (key.upArrow) return setOffset((o) => Math.max(0, o - 1));
      if (key.downArrow) return setOffset((o) => Math.min(maxOffset, o + 1));
      if (key.pageUp) return setOffset((o) => Math.max(0, o - paneHeight + 1));
      if (key.pageDown || input === ' ') return setOffset((o) => Math.min(maxOffset, o + paneHeight - 1));
      if (input === 'i' && ok) return flow.finish('install');
      if (input === 's' && ok) return flow.finish('save');
      if (input === 'q') return flow.finish('quit');
      const n = Number(input);
      if (Number.isInteger(n) && n >= 1 && n <= 5) flow.go(SCREENS[n - 1]!);
    },
    { isActive: active },
  );

  const at = Math.min(offset, maxOffset);
  return (
    <Box flexDirection="column" height={height}>
      <Pane lines={lines} height={paneHeight} offset={at} />
      <T tone="dim">{lines.length > paneHeight ? `lines ${at + 1}-${Math.min(lines.length, at + paneHeight)} of ${lines.length} (↑↓ PgUp PgDn scroll)` : ' '}</T>
      <Box>
        {ok ? (
          <Text>
            <Text bold>i</Text> install now  <Text bold>s</Text> save spec and quit  <Text bold>q</Text> quit (keep draft)
          </Text>
        ) : (
          <Text>
            <Text bold>q</Text> quit (keep draft); install and save need a valid spec
          </Text>
        )}
      </Box>
      <T tone="dim">{`back to: ${SCREENS.slice(0, 5).map((s, i) => `${i + 1} ${SCREEN_TITLES[s]}`).join('  ')}`}</T>
      <Footer keys={[{ key: '↑↓', does: 'scroll' }, { key: 'i/s/q', does: 'install/save/quit' }, { key: '1-5', does: 'go to screen' }, { key: 'Esc', does: 'back' }]} />
    </Box>
  );
}
