// Workloads: any number of each kind; a short form per workload from the flow.
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { WorkloadKind } from '../../src/spec/types.js';
import { addLabel, KIND_CHOICES, KIND_LABEL } from '../../src/wizard/model.js';
import { Form } from './Form.js';
import type { ScreenProps } from './FormScreen.js';
import { Footer, T, useListKeys } from './ui.js';

export function WorkloadsScreen({ flow, state, width, height, active }: ScreenProps) {
  const [editing, setEditing] = useState<{ kind: WorkloadKind; index: number | undefined } | undefined>();
  const list = state.answers.workloads;
  const rows = list.length + KIND_CHOICES.length + 1;
  const [at, setSelected] = useListKeys(
    rows,
    {
      onEscape: () => flow.back(),
      onEnter: (i) => {
        if (i < list.length) return setEditing({ kind: list[i]!.kind, index: i });
        if (i < list.length + KIND_CHOICES.length) return setEditing({ kind: KIND_CHOICES[i - list.length]!.value, index: undefined });
        flow.go('review');
      },
      onKey: (input, _key, i) => {
        if (input !== 'd' || i >= list.length) return;
        flow.removeWorkload(i);
        setSelected(Math.max(0, i - 1));
      },
    },
    active && !editing,
  );

  if (editing) {
    const key = `workload:${editing.kind}:${editing.index ?? 'new'}`;
    return (
      <Form
        key={key}
        form={flow.workloadForm(editing.kind, editing.index)}
        memory={{ store: flow.unsubmitted, key, onBack: 'keep' }}
        width={width}
        height={height}
        active={active}
        submitLabel={`save this ${KIND_LABEL[editing.kind]}`}
        onSubmit={(values) => {
          flow.saveWorkload(editing.index, editing.kind, values);
          setSelected(editing.index ?? list.length);
          setEditing(undefined);
        }}
        onBack={() => setEditing(undefined)}
      />
    );
  }

  const describe = (i: number) => {
    const w = list[i]!;
    const bits = w.kind === 'database' ? `${w.image}, ${w.storage} on ${w.node}` : w.kind === 'app' ? `${w.image}, port ${w.port}${w.domain ? `, ${w.domain}` : ''}` : w.kind === 'cron' ? `${w.image}, "${w.schedule}"` : w.image;
    const line = `${KIND_LABEL[w.kind].padEnd(10)} ${w.name.padEnd(12)} ${bits}, ${w.memory}`;
    return line.length > width - 3 ? `${line.slice(0, width - 4)}…` : line;
  };

  return (
    <Box flexDirection="column" height={height}>
      <Text bold>What runs on the cluster (several of each kind are fine)</Text>
      {list.length === 0 ? <T tone="dim">  none yet</T> : null}
      {list.map((_, i) => (
        <Text key={i} inverse={i === at}>{`${i === at ? '›' : ' '} ${describe(i)}`}</Text>
      ))}
      <Text> </Text>
      {KIND_CHOICES.map((c, k) => {
        const i = list.length + k;
        return <Text key={c.value} inverse={i === at}>{`${i === at ? '›' : ' '} + ${addLabel(c)}`.slice(0, width - 1)}</Text>;
      })}
      <Text inverse={at === rows - 1}>{`${at === rows - 1 ? '›' : ' '} Continue to the review →`}</Text>
      <Box flexGrow={1} />
      <Footer keys={[{ key: '↑↓', does: 'select' }, { key: 'Enter', does: 'edit/add/continue' }, { key: 'd', does: 'remove' }, { key: 'Esc', does: 'back' }]} />
    </Box>
  );
}
