// Nodes: the list of machines, each checked the moment it is added (host key, facts, preflight
// verdict beside it), with the small-node override where kubeadm's minimum is not met.
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { WizardState, WizardStore } from '../../src/wizard/controller.js';
import { nodeForm } from '../../src/wizard/model.js';
import { canAcceptUndersized, probeLines } from '../../src/wizard/probe.js';
import { Form } from './Form.js';
import { Footer, Pane, T, useSelection, wrapLines } from './ui.js';

function status(state: WizardState, name: string): { text: string; tone: 'ok' | 'warn' | 'fail' | 'dim' } {
  const p = state.probes[name];
  if (!p) return { text: 'not checked', tone: 'dim' };
  if (p.status === 'connecting') return { text: 'connecting…', tone: 'dim' };
  if (p.status === 'error') return { text: 'unreachable', tone: 'fail' };
  if (!p.verdict.ok) return { text: 'fail', tone: 'fail' };
  return p.verdict.findings.some((f) => f.level === 'warn') ? { text: 'ok, warnings', tone: 'warn' } : { text: 'ok', tone: 'ok' };
}

export function NodesScreen({ store, state, width, height, active }: { store: WizardStore; state: WizardState; width: number; height: number; active: boolean }) {
  const [editing, setEditing] = useState<{ index: number | undefined } | undefined>(state.answers.nodes.length === 0 ? { index: undefined } : undefined);
  const nodes = state.answers.nodes;
  const rows = nodes.length + 2; // nodes, "+ Add a node", "Continue"
  const [at, setSelected, selectedRef] = useSelection(rows);

  useInput(
    (input, key) => {
      const at = Math.min(selectedRef.current, rows - 1);
      if (key.escape) return store.go('welcome');
      if (key.upArrow || (key.tab && key.shift)) return setSelected(Math.max(0, at - 1));
      if (key.downArrow || key.tab) return setSelected(Math.min(rows - 1, at + 1));
      if (input === 'a') return setEditing({ index: undefined });
      if (key.return) {
        if (at < nodes.length) return setEditing({ index: at });
        if (at === nodes.length) return setEditing({ index: undefined });
        return store.continueFromNodes();
      }
      if (at >= nodes.length) return;
      if (input === 'd') {
        store.removeNode(at);
        return setSelected(Math.max(0, at - 1));
      }
      if (input === 'r') return void store.checkNode(at);
      if (input === 'u') {
        const n = nodes[at]!;
        const p = state.probes[n.name];
        if (n.acceptUndersized || canAcceptUndersized(n, p?.status === 'ok' ? p.verdict : undefined)) store.toggleUndersized(at);
      }
    },
    { isActive: active && !editing },
  );

  if (editing) {
    const formKey = `node:${editing.index ?? 'new'}`;
    const form = nodeForm(state.answers, editing.index);
    return (
      <Form
        key={formKey}
        form={form}
        values={store.formDrafts.get(formKey) ?? form.initial}
        width={width}
        height={height}
        active={active}
        submitLabel="save and connect to the node"
        onChange={(v) => store.formDrafts.set(formKey, v)}
        onSubmit={(values) => {
          store.formDrafts.delete(formKey);
          store.saveNode(editing.index, values);
          setSelected(editing.index ?? nodes.length);
          setEditing(undefined);
        }}
        onBack={(values) => {
          store.formDrafts.set(formKey, values);
          setEditing(undefined);
        }}
      />
    );
  }

  const node = nodes[at];
  const probe = node ? state.probes[node.name] : undefined;
  const offer = node && (node.acceptUndersized || canAcceptUndersized(node, probe?.status === 'ok' ? probe.verdict : undefined));
  const detail = node
    ? wrapLines(
        [
          `${node.name}: ${node.user || 'root'}@${node.address}:${node.port || '22'}${node.keyPath ? `, key ${node.keyPath}` : ', key from agent/ssh config'}`,
          ...probeLines(node, probe).map((l) => `  ${l}`),
          ...(offer
            ? [node.acceptUndersized ? 'Accepted as undersized (kubeadm ignores its size checks). Press u to undo.' : 'Press u to accept this node as undersized at your own risk (acceptUndersized).']
            : []),
        ],
        width,
      )
    : wrapLines(['Exactly one control plane (1 GB / 2 CPUs at least); workers can be 512 MB. Each node is checked over SSH as soon as it is added.'], width);
  const listHeight = rows + 1;
  const paneHeight = Math.max(3, height - 1 - listHeight - 2);
  const col = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text.padEnd(n));

  return (
    <Box flexDirection="column" height={height}>
      <Text bold>Your nodes</Text>
      {nodes.map((n, i) => {
        const s = status(state, n.name);
        return (
          <Box key={n.name}>
            <Text inverse={i === at}>{`${i === at ? '›' : ' '} ${col(n.name, 10)} ${col(n.role === 'control-plane' ? 'control plane' : 'worker', 14)} ${col(`${n.user || 'root'}@${n.address}${n.port && n.port !== '22' ? `:${n.port}` : ''}`, 34)} `}</Text>
            <T tone={s.tone}>{s.text}</T>
          </Box>
        );
      })}
      <Text inverse={at === nodes.length}>{`${at === nodes.length ? '›' : ' '} + Add a node`}</Text>
      <Text inverse={at === nodes.length + 1}>{`${at === nodes.length + 1 ? '›' : ' '} Continue to DNS →`}</Text>
      <Text> </Text>
      <Pane lines={detail} height={paneHeight} />
      <Box flexGrow={1} />
      <Footer
        keys={[
          { key: '↑↓/Enter', does: 'open' },
          { key: 'a', does: 'add' },
          { key: 'd', does: 'delete' },
          { key: 'r', does: 'recheck' },
          ...(offer ? [{ key: 'u', does: 'small node ok' }] : []),
          { key: 'Esc', does: 'back' },
        ]}
      />
    </Box>
  );
}
