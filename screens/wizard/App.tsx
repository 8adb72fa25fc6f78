// The wizard's frame: the step bar on top, the current screen, a status line, and (inside each
// screen) the footer of keys. It renders the flow's state and forwards the screens' intents.
import { useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import type { WizardFlow } from '../../src/wizard/flow.js';
import { SCREEN_TITLES, SCREENS } from '../../src/wizard/screen-ids.js';
import { ColorContext } from '../common/color.js';
import { useTerminalSize, type TerminalSize } from '../common/terminal-size.js';
import { FormScreen } from './FormScreen.js';
import { NodesScreen } from './NodesScreen.js';
import { TransportPrompt, DraftOfferPrompt } from './Prompts.js';
import { ReviewScreen } from './ReviewScreen.js';
import { T } from './ui.js';
import { WorkloadsScreen } from './WorkloadsScreen.js';

export interface AppProps {
  flow: WizardFlow;
  color?: boolean;
  /** Fixed size (tests); otherwise the terminal's, updated on resize. */
  size?: TerminalSize;
}

function StepBar({ current }: { current: string }) {
  return (
    <Box height={1} flexShrink={0}>
      <T tone="accent" bold>
        hobbykube{' '}
      </T>
      {SCREENS.map((s, i) => (
        <Text key={s} inverse={s === current} bold={s === current}>
          {` ${i + 1} ${SCREEN_TITLES[s]} `}
        </Text>
      ))}
    </Box>
  );
}

function Frame({ flow, size: fixed }: { flow: WizardFlow; size?: TerminalSize }) {
  const state = useSyncExternalStore(flow.subscribe, flow.getState);
  const size = useTerminalSize(fixed);
  useInput((input, key) => {
    if (key.ctrl && input === 'c') flow.interrupt();
  });
  // One row short of the terminal: a frame as tall as the screen makes Ink clear it on every redraw.
  const width = Math.max(40, size.columns - 1);
  const bodyHeight = Math.max(10, size.rows - 1 - 3);
  const asking = !!state.pending || !!state.draftOffer;
  const props = { flow, state, width, height: bodyHeight, active: !asking && !state.result };

  let prompt;
  if (state.draftOffer) prompt = <DraftOfferPrompt offer={state.draftOffer} onAnswer={(yes) => flow.resumeDraft(yes)} />;
  else if (state.pending) prompt = <TransportPrompt pending={state.pending} width={width} flow={flow} />;
  let body;
  if (state.screen === 'welcome' || state.screen === 'dns' || state.screen === 'ingress') body = <FormScreen key={state.screen} id={state.screen} {...props} />;
  else if (state.screen === 'nodes') body = <NodesScreen {...props} />;
  else if (state.screen === 'workloads') body = <WorkloadsScreen {...props} />;
  else body = <ReviewScreen {...props} />;

  const notice = state.result
    ? state.result.action === 'quit'
      ? 'Quitting; your answers are kept as a draft.'
      : `Saved ${state.result.specPath}.`
    : (state.notice ?? '');
  return (
    <Box flexDirection="column" width={width} height={size.rows - 1}>
      <StepBar current={state.screen} />
      <Text> </Text>
      {prompt ? (
        <Box flexDirection="column" height={bodyHeight} flexShrink={0}>
          {prompt}
        </Box>
      ) : null}
      {/* The screen stays mounted under a question, so its place (selection, open form) survives. */}
      {state.draftOffer ? null : (
        <Box flexDirection="column" height={bodyHeight} flexShrink={0} display={prompt ? 'none' : 'flex'}>
          {body}
        </Box>
      )}
      <T tone={/^(could not|Exactly|Add at least|the answers)/.test(notice) ? 'warn' : 'dim'}>{notice || ' '}</T>
    </Box>
  );
}

export function App({ flow, color = true, size }: AppProps) {
  return <ColorContext.Provider value={color}><Frame flow={flow} size={size} /></ColorContext.Provider>;
}
