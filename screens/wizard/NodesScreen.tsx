// Nodes: the list of machines, each checked the moment it is added (host key, facts, preflight
// verdict beside it), with the small-node override where kubeadm's minimum is not met.
import { useState } from 'react';
import { Box, Text } from 'ink';
import { probeLines, probeStatus } from '../../src/wizard/probe.js';
import { Form } from './Form.js';
import type { ScreenProps } from './FormScreen.js';
import { Footer, Pane, T, useListKeys, wrapLines } from './ui.js';

export function NodesScreen({ flow, state, width, height, active }: ScreenProps) {
  const [editing, setEditing] = useState<{ index: number | undefined } | undefined>(state.answers.nodes.length === 0 ? { index: undefined } : undefined);
  const nodes = state.answers.nodes;
  const rows = nodes.length + 2; // nodes, "+ Add a node", "Continue"
  const [at, setSelected] = useListKeys(
    rows,
    {
      onEscape: () => flow.back(),
      onEnter: (i) => (i < nodes.length ? setEditing({ index: i }) : i === nodes.length ? setEditing({ index: undefined }) : flow.continueFromNodes()),
      onKey: (input, _key, i) => {
        if (input === 'a') return setEditing({ index: undefined });
        if (i >= nodes.length) return;
        if (input === 'd') {
          flow.removeNode(i);
          setSelected(Math.max(0, i - 1));
        } else if (input === 'r') void flow.checkNode(i);
        else if (input === 'u') flow.toggleUndersized(i);
      },
    },
    active && !editing,
  );

  if (editing) {
    return (
      <Form
        key={`node:${editing.index ?? 'new'}`}
        form={flow.nodeForm(editing.index)}
        memory={{ store: flow.unsubmitted, key: `node:${editing.index ?? 'new'}`, onBack: 'keep' }}
        width={width}
        height={height}
        active={active}
        submitLabel="save and connect to the node"
        onSubmit={(values) => {
          void flow.saveNode(editing.index, values);
          setSelected(editing.index ?? nodes.length);
          setEditing(undefined);
        }}
        onBack={() => setEditing(undefined)}
      />
    );
  }

  const node = nodes[at];
  const offer = node ? flow.undersizedOffer(at) : undefined;
  const detail = node
    ? wrapLines(
        [
          `${node.name}: ${node.user || 'root'}@${node.address}:${node.port || '22'}${node.keyPath ? `, key ${node.keyPath}` : ', key from agent/ssh config'}`,
          ...probeLines(node, state.probes[node.name]).map((l) => `  ${l}`),
          ...(offer === 'undo' ? ['Accepted as undersized (kubeadm ignores its size checks). Press u to undo.'] : []),
          ...(offer === 'accept' ? ['Press u to accept this node as undersized at your own risk (acceptUndersized).'] : []),
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
        const s = probeStatus(state.probes[n.name]);
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
