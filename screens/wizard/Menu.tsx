// The menu `npx hobbykube` opens in a folder that has a spec: add a worker, change workloads,
// status, kubeconfig, remove a worker, reset, edit everything, quit. It only chooses; the CLI
// runs the chosen command afterwards (src/cli/commands/wizard.ts). "Add a worker" reuses the
// wizard's node form and node check (host key, facts, preflight) through the WizardStore.
import { useRef, useState, useSyncExternalStore } from 'react';
import { Box, Text, useInput } from 'ink';
import type { ClusterSpec } from '../../src/spec/types.js';
import type { WizardStore } from '../../src/wizard/controller.js';
import { MENU_ITEMS, type MenuChoice, type MenuResult } from '../../src/wizard/menu.js';
import { nodeForm } from '../../src/wizard/model.js';
import { probeLines } from '../../src/wizard/probe.js';
import { Form } from './Form.js';
import { HostKeyPrompt, SecretPrompt } from './Prompts.js';
import { ColorContext, Footer, Pane, T, useSelection, useTerminalSize, wrapLines } from './ui.js';

export interface MenuProps {
  spec: ClusterSpec;
  specPath: string;
  /** Holds the answers loaded from the spec; used for the node form and the node check. */
  store: WizardStore;
  onDone: (result: MenuResult) => void;
  /** Where "write the kubeconfig" puts it (the state directory's kubeconfig). */
  kubeconfigPath: string;
  color?: boolean;
  size?: { columns: number; rows: number };
}

type View =
  | { name: 'main' }
  | { name: 'node-form'; index: number | undefined }
  | { name: 'node-check'; index: number }
  | { name: 'pick'; for: 'remove-worker' | 'reset' }
  | { name: 'kubeconfig' };

function List({ items, at }: { items: string[]; at: number }) {
  return (
    <>
      {items.map((label, i) => (
        <Text key={i} inverse={i === at}>{`${i === at ? '›' : ' '} ${label}`}</Text>
      ))}
    </>
  );
}

function MainView({ spec, onChoose, onQuit, width, height }: { spec: ClusterSpec; onChoose: (c: MenuChoice) => void; onQuit: () => void; width: number; height: number }) {
  const [at, setAt, ref] = useSelection(MENU_ITEMS.length);
  useInput((input, key) => {
    const i = ref.current;
    if (key.upArrow || (key.tab && key.shift)) return setAt(i - 1);
    if (key.downArrow || key.tab) return setAt(i + 1);
    if (key.return) return onChoose(MENU_ITEMS[i]!.value);
    if (input === 'q' || key.escape) return onQuit();
    const n = Number(input);
    if (Number.isInteger(n) && n >= 1 && n <= MENU_ITEMS.length) onChoose(MENU_ITEMS[n - 1]!.value);
  });
  const nodes = spec.spec.nodes;
  const summary = `${nodes.length} node${nodes.length === 1 ? '' : 's'} (${nodes.map((n) => n.name).join(', ')}), ${spec.spec.workloads.length} workload${spec.spec.workloads.length === 1 ? '' : 's'}`;
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate-end">{summary}</Text>
      <Text> </Text>
      <Text bold>What would you like to do?</Text>
      <List items={MENU_ITEMS.map((m, i) => `${i + 1} ${m.label}`)} at={at} />
      <Text> </Text>
      <Pane lines={wrapLines([MENU_ITEMS[at]!.hint], width)} height={2} />
      <Box flexGrow={1} />
      <Footer keys={[{ key: '↑↓', does: 'select' }, { key: 'Enter/1-8', does: 'choose' }, { key: 'q', does: 'quit' }]} />
    </Box>
  );
}

function PickView({
  spec,
  purpose,
  onPick,
  onBack,
  height,
}: {
  spec: ClusterSpec;
  purpose: 'remove-worker' | 'reset';
  onPick: (node: string | undefined) => void;
  onBack: () => void;
  height: number;
}) {
  const nodes = purpose === 'remove-worker' ? spec.spec.nodes.filter((n) => n.role === 'worker') : spec.spec.nodes;
  const items = [...nodes.map((n) => `${n.name.padEnd(10)} ${n.role.padEnd(14)} ${n.address}`), ...(purpose === 'reset' ? ['the whole cluster (every node, control plane last)'] : [])];
  const [at, setAt, ref] = useSelection(items.length);
  useInput((_input, key) => {
    const i = ref.current;
    if (key.escape) return onBack();
    if (key.upArrow) return setAt(i - 1);
    if (key.downArrow) return setAt(i + 1);
    if (key.return && items.length > 0) onPick(i < nodes.length ? nodes[i]!.name : undefined);
  });
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>{purpose === 'remove-worker' ? 'Which worker should leave the cluster?' : 'Reset which node?'}</Text>
      {items.length === 0 ? <T tone="dim">  no workers in the spec</T> : <List items={items} at={at} />}
      <Text> </Text>
      <T tone="dim">The next screen names exactly what is wiped and asks before anything runs.</T>
      <Box flexGrow={1} />
      <Footer keys={[{ key: '↑↓', does: 'select' }, { key: 'Enter', does: 'choose' }, { key: 'Esc', does: 'back' }]} />
    </Box>
  );
}

function KubeconfigView({ spec, path, onPick, onBack, height }: { spec: ClusterSpec; path: string; onPick: (mode: 'file' | 'merge') => void; onBack: () => void; height: number }) {
  const items = [`write ${path} (mode 0600)`, `merge into your kubeconfig as context ${spec.metadata.name} (others kept, backup made)`];
  const [at, setAt, ref] = useSelection(items.length);
  useInput((_input, key) => {
    if (key.escape) return onBack();
    if (key.upArrow) return setAt(ref.current - 1);
    if (key.downArrow) return setAt(ref.current + 1);
    if (key.return) onPick(ref.current === 0 ? 'file' : 'merge');
  });
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>The admin kubeconfig (it grants full control of the cluster)</Text>
      <List items={items} at={at} />
      <Box flexGrow={1} />
      <Footer keys={[{ key: '↑↓', does: 'select' }, { key: 'Enter', does: 'choose' }, { key: 'Esc', does: 'back' }]} />
    </Box>
  );
}

function NodeCheckView({
  store,
  index,
  onJoin,
  onEdit,
  onBack,
  width,
  height,
  active,
}: {
  store: WizardStore;
  index: number;
  onJoin: () => void;
  onEdit: () => void;
  onBack: () => void;
  width: number;
  height: number;
  active: boolean;
}) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const node = state.answers.nodes[index];
  const probe = node ? state.probes[node.name] : undefined;
  const ok = probe?.status === 'ok' && probe.verdict.ok;
  useInput(
    (input, key) => {
      if (key.escape) return onBack();
      if (input === 'e') return onEdit();
      if (input === 'r') return void store.checkNode(index);
      if (key.return && ok) onJoin();
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

function Frame({ spec, specPath, store, onDone, kubeconfigPath, size }: Omit<MenuProps, 'color' | 'size'> & { size: { columns: number; rows: number } }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [view, setView] = useState<View>({ name: 'main' });
  const base = useRef(state.answers.nodes.length);
  const width = Math.max(40, size.columns - 1);
  const height = Math.max(10, size.rows - 1 - 3);
  const asking = !!state.pending;
  const done = useRef(false);
  const finish = (result: MenuResult) => {
    if (done.current) return;
    done.current = true;
    onDone(result);
  };
  useInput((input, key) => {
    if (key.ctrl && input === 'c') finish({ action: 'quit', interrupted: true });
  });
  /** Leaves the add-worker path: the node typed so far is dropped from the in-memory answers. */
  const dropNewNode = () => {
    while (store.getState().answers.nodes.length > base.current) store.removeNode(store.getState().answers.nodes.length - 1);
    setView({ name: 'main' });
  };

  let body;
  if (view.name === 'main') {
    body = (
      <MainView
        spec={spec}
        width={width}
        height={height}
        onQuit={() => finish({ action: 'quit' })}
        onChoose={(choice) => {
          if (choice === 'add-worker') return setView({ name: 'node-form', index: undefined });
          if (choice === 'remove-worker' || choice === 'reset') return setView({ name: 'pick', for: choice });
          if (choice === 'kubeconfig') return setView({ name: 'kubeconfig' });
          if (choice === 'workloads' || choice === 'status' || choice === 'doctor' || choice === 'edit' || choice === 'quit') finish({ action: choice });
        }}
      />
    );
  } else if (view.name === 'node-form') {
    const formKey = `node:${view.index ?? 'new'}`;
    const form = nodeForm(state.answers, view.index);
    body = (
      <Form
        key={formKey}
        form={{ ...form, title: view.index === undefined ? 'Add a worker' : form.title }}
        values={store.formDrafts.get(formKey) ?? form.initial}
        width={width}
        height={height}
        active={!asking}
        submitLabel="save and connect to the node"
        onChange={(v) => store.formDrafts.set(formKey, v)}
        onSubmit={(values) => {
          store.formDrafts.delete(formKey);
          store.saveNode(view.index, values);
          setView({ name: 'node-check', index: view.index ?? store.getState().answers.nodes.length - 1 });
        }}
        onBack={() => {
          store.formDrafts.delete(formKey);
          if (view.index === undefined) dropNewNode();
          else setView({ name: 'node-check', index: view.index });
        }}
      />
    );
  } else if (view.name === 'node-check') {
    body = (
      <NodeCheckView
        store={store}
        index={view.index}
        width={width}
        height={height}
        active={!asking}
        onBack={dropNewNode}
        onEdit={() => setView({ name: 'node-form', index: view.index })}
        onJoin={() => finish({ action: 'add-worker', node: store.getState().answers.nodes[view.index]! })}
      />
    );
  } else if (view.name === 'pick') {
    const purpose = view.for;
    body = (
      <PickView
        spec={spec}
        purpose={purpose}
        height={height}
        onBack={() => setView({ name: 'main' })}
        onPick={(node) => finish(purpose === 'remove-worker' ? { action: 'remove-worker', node: node! } : { action: 'reset', ...(node ? { node } : {}) })}
      />
    );
  } else {
    body = <KubeconfigView spec={spec} path={kubeconfigPath} height={height} onBack={() => setView({ name: 'main' })} onPick={(mode) => finish({ action: 'kubeconfig', mode })} />;
  }

  let prompt;
  if (state.pending?.kind === 'hostkey') prompt = <HostKeyPrompt pending={state.pending} width={width} onAnswer={(yes) => store.answerHostKey(yes)} />;
  else if (state.pending?.kind === 'secret') prompt = <SecretPrompt pending={state.pending} onAnswer={(v) => store.answerSecret(v)} />;
  return (
    <Box flexDirection="column" width={width} height={size.rows - 1}>
      <Box height={1} flexShrink={0}>
        <T tone="accent" bold>
          hobbykube{' '}
        </T>
        <Text wrap="truncate-end">{` cluster ${spec.metadata.name} · ${specPath}`}</Text>
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

function Sized(props: Omit<MenuProps, 'color' | 'size'>) {
  const size = useTerminalSize();
  return <Frame {...props} size={size} />;
}

export function Menu({ color = true, size, ...props }: MenuProps) {
  return <ColorContext.Provider value={color}>{size ? <Frame {...props} size={size} /> : <Sized {...props} />}</ColorContext.Provider>;
}
