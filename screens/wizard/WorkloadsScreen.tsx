// Workloads: any number of each kind; a short form per workload from the question model.
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { WizardState, WizardStore } from '../../src/wizard/controller.js';
import { addLabel, KIND_CHOICES, KIND_LABEL, workloadForm } from '../../src/wizard/model.js';
import type { WorkloadKind } from '../../src/spec/types.js';
import { Form } from './Form.js';
import { Footer, T, useSelection } from './ui.js';

export function WorkloadsScreen({ store, state, width, height, active }: { store: WizardStore; state: WizardState; width: number; height: number; active: boolean }) {
  const [editing, setEditing] = useState<{ kind: WorkloadKind; index: number | undefined } | undefined>();
  const list = state.answers.workloads;
  const rows = list.length + KIND_CHOICES.length + 1;
  const [at, setSelected, selectedRef] = useSelection(rows);

  useInput(
    (input, key) => {
      const at = Math.min(selectedRef.current, rows - 1);
      if (key.escape) return store.go('ingress');
      if (key.upArrow || (key.tab && key.shift)) return setSelected(Math.max(0, at - 1));
      if (key.downArrow || key.tab) return setSelected(Math.min(rows - 1, at + 1));
      if (key.return) {
        if (at < list.length) return setEditing({ kind: list[at]!.kind, index: at });
        if (at < list.length + KIND_CHOICES.length) return setEditing({ kind: KIND_CHOICES[at - list.length]!.value, index: undefined });
        return store.go('review');
      }
      if (input === 'd' && at < list.length) {
        store.removeWorkload(at);
        setSelected(Math.max(0, at - 1));
      }
    },
    { isActive: active && !editing },
  );

  if (editing) {
    const formKey = `workload:${editing.kind}:${editing.index ?? 'new'}`;
    const name = editing.index === undefined ? undefined : list[editing.index]?.name;
    const form = workloadForm(state.answers, editing.kind, editing.index, { storedSecrets: name ? (state.storedSecrets[name] ?? []) : [], now: store.now });
    return (
      <Form
        key={formKey}
        form={form}
        values={store.formDrafts.get(formKey) ?? form.initial}
        width={width}
        height={height}
        active={active}
        submitLabel={`save this ${KIND_LABEL[editing.kind]}`}
        onChange={(v) => store.formDrafts.set(formKey, Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('secret:'))))}
        onSubmit={(values) => {
          store.formDrafts.delete(formKey);
          store.saveWorkload(editing.index, editing.kind, values);
          setSelected(editing.index ?? list.length);
          setEditing(undefined);
        }}
        onBack={(values) => {
          store.formDrafts.set(formKey, Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('secret:'))));
          setEditing(undefined);
        }}
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
