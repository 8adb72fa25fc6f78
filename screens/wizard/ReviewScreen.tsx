// Review: the spec summary, the capacity table (slot), the plan per node, and the choices:
// install, go back to any screen, save and quit.
import { useMemo, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import { SCREEN_TITLES, type WizardState, type WizardStore } from '../../src/wizard/controller.js';
import { SCREENS } from '../../src/wizard/screen-ids.js';
import { Footer, Pane, T, wrapLines } from './ui.js';

export function ReviewScreen({ store, state, width, height, active }: { store: WizardStore; state: WizardState; width: number; height: number; active: boolean }) {
  const text = useMemo(() => store.review(), [store, state.answers, state.probes]);
  const [offset, setOffset] = useState(0);
  const lines = useMemo(() => {
    if (text.problems.length > 0) {
      return wrapLines(['fail  The answers do not make a valid spec yet. Go back and fix:', ...text.problems.map((p) => `  ${p}`)], width);
    }
    return wrapLines(['Spec', ...text.summary, '', 'Capacity', ...text.capacity.map((l) => `  ${l}`), '', 'Addresses', ...text.addresses.map((l) => `  ${l}`), '', 'Plan (per node; every step checks first whether it is already done)', ...text.plan.map((l) => `  ${l}`)], width);
  }, [text, width]);
  const paneHeight = Math.max(3, height - 4);
  const maxOffset = Math.max(0, lines.length - paneHeight);
  const ok = text.problems.length === 0;

  useInput(
    (input, key) => {
      if (key.escape) return store.go('workloads');
      if (key.upArrow) return setOffset((o) => Math.max(0, o - 1));
      if (key.downArrow) return setOffset((o) => Math.min(maxOffset, o + 1));
      if (key.pageUp) return setOffset((o) => Math.max(0, o - paneHeight + 1));
      if (key.pageDown || input === ' ') return setOffset((o) => Math.min(maxOffset, o + paneHeight - 1));
      if (input === 'i' && ok) return store.finish('install');
      if (input === 's' && ok) return store.finish('save');
      if (input === 'q') return store.finish('quit');
      const n = Number(input);
      if (Number.isInteger(n) && n >= 1 && n <= 5) store.go(SCREENS[n - 1]!);
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
