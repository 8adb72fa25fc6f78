// The menu `npx hobbykube` opens in a folder that has a spec: add a worker, change workloads,
// deploy a new version, roll back, show logs, status, doctor, upgrade, kubeconfig, remove a worker, reset,
// edit everything, quit. It draws the MenuFlow's state
// (src/wizard/menu.ts decides where each choice leads) and hands the keys to it; the CLI runs the
// chosen command afterwards (src/cli/commands/wizard.ts).
import { useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import { MENU_ITEMS, PICK_TITLES, WORKLOAD_EMPTY, WORKLOAD_TITLES, type MenuFlow } from '../../src/wizard/menu.js';
import { probeLines } from '../../src/wizard/probe.js';
import { ColorContext } from '../common/color.js';
import { useTerminalSize, type TerminalSize } from '../common/terminal-size.js';
import { Form } from './Form.js';
import { TransportPrompt } from './Prompts.js';
import { Footer, List, Pane, T, useListKeys, wrapLines, type KeyHelp } from './ui.js';

/** The items a digit chooses (one key each, so at most 9); Quit is `q`, whatever its place. */
const DIGIT_ITEMS = Math.min(9, MENU_ITEMS.filter((m) => m.value !== 'quit').length);

export interface MenuProps {
  menu: MenuFlow;
  color?: boolean;
  size?: TerminalSize;
}

const PICK_KEYS: KeyHelp[] = [
  { key: '↑↓', does: 'select' },
  { key: 'Enter', does: 'choose' },
  { key: 'Esc', does: 'back' },
];

/** A titled list to choose from, with Esc back (or quit) and the keys in the footer. */
function ChoiceView(props: {
  title: string;
  items: readonly string[];
  onPick: (i: number) => void;
  onEscape: () => void;
  onKey?: (input: string) => void;
  /** A line above the title (the cluster summary). */
  summary?: string;
  /** Shown instead of an empty list. */
  empty?: string;
  /** Two wrapped lines under the list about the selected item. */
  hintFor?: (at: number) => string;
  /** One dim line under the list. */
  note?: string;
  keys: KeyHelp[];
  width: number;
  height: number;
}) {
  const [at] = useListKeys(props.items.length, { onEnter: props.onPick, onEscape: props.onEscape, onKey: (input) => props.onKey?.(input) });
  return (
    <Box flexDirection="column" height={props.height}>
      {props.summary !== undefined ? <Text wrap="truncate-end">{props.summary}</Text> : null}
      {props.summary !== undefined ? <Text> </Text> : null}
      <Text bold>{props.title}</Text>
      {props.items.length === 0 && props.empty ? <T tone="dim">{`  ${props.empty}`}</T> : <List items={props.items} at={at} />}
      {props.hintFor || props.note ? <Text> </Text> : null}
      {props.hintFor ? <Pane lines={wrapLines([props.hintFor(at)], props.width)} height={2} /> : null}
      {props.note ? <T tone="dim">{props.note}</T> : null}
      <Box flexGrow={1} />
      <Footer keys={props.keys} />
    </Box>
  );
}

function NodeCheckView({ menu, index, width, height, active }: { menu: MenuFlow; index: number; width: number; height: number; active: boolean }) {
  const state = useSyncExternalStore(menu.wizard.subscribe, menu.wizard.getState);
  const node = state.answers.nodes[index];
  const probe = node ? state.probes[node.name] : undefined;
  const ok = menu.canJoin(index);
  useInput(
    (input, key) => {
      if (key.escape) return menu.cancelNewNode();
      if (input === 'e') return menu.editNode(index);
      if (input === 'r') return menu.recheck(index);
      if (key.return) menu.join(index);
    },
    { isActive: active },
  );
  if (!node) return null;
  const lines = wrapLines([`${node.name}: ${node.user || 'root'}@${node.address}:${node.port || '22'}`, ...probeLines(node, probe).map((l) => `  ${l}`)], width);
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>{`New worker ${node.name}`}</Text>
      <Pane lines={lines} height={Math.max(3, height - 4)} />
      <Box flexGrow={1} />
      {ok ? (
        <Text>
          <Text bold>Enter</Text>
          {` join ${node.name} now: the plan touches only ${node.name} and the control plane, and asks before it runs`}
        </Text>
      ) : (
        <T tone={probe?.status === 'connecting' ? 'dim' : 'warn'}>{probe?.status === 'connecting' ? 'checking the node…' : 'this node cannot join as it is: edit it (e) or check again (r)'}</T>
      )}
      <Footer keys={[{ key: 'Enter', does: 'join' }, { key: 'e', does: 'edit' }, { key: 'r', does: 'recheck' }, { key: 'Esc', does: 'back to the menu' }]} />
    </Box>
  );
}

function Frame({ menu, size: fixed }: { menu: MenuFlow; size?: TerminalSize }) {
  const { view } = useSyncExternalStore(menu.subscribe, menu.getState);
  const state = useSyncExternalStore(menu.wizard.subscribe, menu.wizard.getState);
  const size = useTerminalSize(fixed);
  const width = Math.max(40, size.columns - 1);
  const height = Math.max(10, size.rows - 1 - 3);
  const asking = !!state.pending;
  useInput((input, key) => {
    if (key.ctrl && input === 'c') menu.quit(true);
  });

  let body;
  if (view.name === 'main') {
    body = (
      <ChoiceView
        summary={menu.summary()}
        title="What would you like to do?"
        items={MENU_ITEMS.map((m, i) => `${m.value === 'quit' ? 'q' : i < DIGIT_ITEMS ? i + 1 : ' '} ${m.label}`)}
        hintFor={(at) => MENU_ITEMS[at]!.hint}
        onPick={(i) => menu.choose(MENU_ITEMS[i]!.value)}
        onEscape={() => menu.quit()}
        onKey={(input) => {
          const n = Number(input);
          if (input === 'q') menu.quit();
          else if (Number.isInteger(n) && n >= 1 && n <= DIGIT_ITEMS) menu.choose(MENU_ITEMS[n - 1]!.value);
        }}
        keys={[{ key: '↑↓', does: 'select' }, { key: `Enter/1-${DIGIT_ITEMS}`, does: 'choose' }, { key: 'q', does: 'quit' }]}
        width={width}
        height={height}
      />
    );
  } else if (view.name === 'node-form') {
    const key = `node:${view.index ?? 'new'}`;
    body = (
      <Form
        key={key}
        form={menu.nodeForm(view.index)}
        memory={{ store: menu.wizard.unsubmitted, key, onBack: 'drop' }}
        width={width}
        height={height}
        active={!asking}
        submitLabel="save and connect to the node"
        onSubmit={(values) => menu.submitNode(view.index, values)}
        onBack={() => menu.leaveNodeForm(view.index)}
      />
    );
  } else if (view.name === 'node-check') {
    body = <NodeCheckView menu={menu} index={view.index} width={width} height={height} active={!asking} />;
  } else if (view.name === 'pick') {
    const items = menu.pickItems(view.purpose);
    body = (
      <ChoiceView
        title={PICK_TITLES[view.purpose]}
        items={items.map((i) => i.label)}
        empty="no workers in the spec"
        note="The next screen names exactly what is wiped and asks before anything runs."
        onPick={(i) => menu.pick(view.purpose, items[i]!)}
        onEscape={() => menu.toMain()}
        keys={PICK_KEYS}
        width={width}
        height={height}
      />
    );
  } else if (view.name === 'pick-workload') {
    const items = menu.workloadItems(view.purpose);
    body = (
      <ChoiceView
        key={view.purpose}
        title={WORKLOAD_TITLES[view.purpose]}
        items={items.map((i) => i.label)}
        empty={WORKLOAD_EMPTY[view.purpose]}
        note={view.purpose === 'logs' ? undefined : 'The next screen shows the plan and asks before anything runs.'}
        onPick={(i) => {
          if (items[i]) menu.pickWorkload(view.purpose, items[i]);
        }}
        onEscape={() => menu.toMain()}
        keys={PICK_KEYS}
        width={width}
        height={height}
      />
    );
  } else if (view.name === 'image') {
    body = (
      <Form
        key={`image:${view.workload}`}
        form={menu.imageForm(view.workload)}
        width={width}
        height={height}
        active={!asking}
        submitLabel={`deploy ${view.workload}`}
        onSubmit={(values) => menu.submitImage(view.workload, values)}
        onBack={() => menu.toMain()}
      />
    );
  } else {
    const items = menu.kubeconfigItems();
    body = (
      <ChoiceView
        title="The admin kubeconfig (it grants full control of the cluster)"
        items={items.map((i) => i.label)}
        onPick={(i) => menu.pickKubeconfig(items[i]!.mode)}
        onEscape={() => menu.toMain()}
        keys={PICK_KEYS}
        width={width}
        height={height}
      />
    );
  }

  const prompt = state.pending ? <TransportPrompt pending={state.pending} width={width} flow={menu.wizard} /> : undefined;
  return (
    <Box flexDirection="column" width={width} height={size.rows - 1}>
      <Box height={1} flexShrink={0}>
        <T tone="accent" bold>
          hobbykube{' '}
        </T>
        <Text wrap="truncate-end">{` cluster ${menu.spec.metadata.name} · ${menu.wizard.specPath}`}</Text>
      </Box>
      <Text> </Text>
      {prompt ? (
        <Box flexDirection="column" height={height} flexShrink={0}>
          {prompt}
        </Box>
      ) : null}
      <Box flexDirection="column" height={height} flexShrink={0} display={prompt ? 'none' : 'flex'}>
        {body}
      </Box>
      <T tone="dim">{state.notice && view.name !== 'main' ? state.notice : ' '}</T>
    </Box>
  );
}

export function Menu({ menu, color = true, size }: MenuProps) {
  return <ColorContext.Provider value={color}><Frame menu={menu} size={size} /></ColorContext.Provider>;
}
