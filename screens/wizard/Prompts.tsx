// The questions that take the keyboard until answered: the transport's (a new host key to accept,
// a secret such as a sudo password or key passphrase, typed masked) and the draft offered back.
import { useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { DraftOffer, WizardFlow } from '../../src/wizard/flow.js';
import type { Pending } from '../../src/wizard/questions.js';
import { Footer, T, wrapLines } from './ui.js';

/** The open transport question, answered through the flow. */
export function TransportPrompt({ pending, width, flow }: { pending: Pending; width: number; flow: WizardFlow }) {
  if (pending.kind === 'hostkey') return <HostKeyPrompt pending={pending} width={width} onAnswer={(yes) => flow.answerHostKey(yes)} />;
  return <SecretPrompt pending={pending} onAnswer={(v) => flow.answerSecret(v)} />;
}

export function HostKeyPrompt({ pending, width, onAnswer }: { pending: Extract<Pending, { kind: 'hostkey' }>; width: number; onAnswer: (accept: boolean) => void }) {
  useInput((input, key) => {
    if (input === 'y' || input === 'Y') onAnswer(true);
    else if (input === 'n' || input === 'N' || key.escape) onAnswer(false);
  });
  const type = pending.keyType.replace(/^ssh-|-.*$/g, '').toLowerCase();
  const lines = wrapLines(
    [
      `${pending.node} (${pending.address}) is new to this cluster. Its ${pending.keyType} host key is:`,
      '',
      `    ${pending.fingerprint}`,
      '',
      'Compare it with what the node itself says (or your provider\'s web console):',
      `    ssh-keygen -lf /etc/ssh/ssh_host_${type}_key.pub`,
      '',
      'If it matches, accepting pins it in this cluster\'s known_hosts; a changed key later stops everything.',
    ],
    width,
  );
  return (
    <Box flexDirection="column" flexGrow={1}>
      <T tone="accent" bold>
        New host key
      </T>
      <Text> </Text>
      {lines.map((l, i) => (
        <Text key={i} bold={l.startsWith('    SHA256')}>
          {l === '' ? ' ' : l}
        </Text>
      ))}
      <Text> </Text>
      <Text bold>Does it match? Accept and pin it (y/n)</Text>
      <Box flexGrow={1} />
      <Footer keys={[{ key: 'y', does: 'accept and connect' }, { key: 'n/Esc', does: 'reject (nothing is run)' }]} />
    </Box>
  );
}

export function SecretPrompt({ pending, onAnswer }: { pending: Extract<Pending, { kind: 'secret' }>; onAnswer: (value: string | undefined) => void }) {
  const [value, setValue] = useState('');
  useInput((input, key) => {
    if (key.escape) return onAnswer(undefined);
    if (key.return) return onAnswer(value);
    if (key.backspace || key.delete) return setValue((v) => v.slice(0, -1));
    if (key.ctrl || key.meta || key.tab) return;
    const text = input.replace(/[\u0000-\u001f\u007f]/g, '');
    if (text) setValue((v) => v + text);
  });
  return (
    <Box flexDirection="column" flexGrow={1}>
      <T tone="accent" bold>
        {pending.secretKind === 'sudo-password' ? 'sudo password' : 'Key passphrase'}
      </T>
      <Text> </Text>
      <Text>{pending.question}</Text>
      <Text> </Text>
      <Box>
        <Text>{'  '}</Text>
        <Text>{'*'.repeat(Math.min(value.length, 40))}</Text>
        <Text inverse> </Text>
      </Box>
      <Text> </Text>
      <T tone="dim">Kept in memory for this connection only; never written anywhere.</T>
      <Box flexGrow={1} />
      <Footer keys={[{ key: 'Enter', does: 'send' }, { key: 'Esc', does: 'do not give it' }]} />
    </Box>
  );
}

export function DraftOfferPrompt({ offer, onAnswer }: { offer: DraftOffer; onAnswer: (resume: boolean) => void }) {
  useInput((input, key) => {
    if (input === 'y' || input === 'Y' || key.return) onAnswer(true);
    else if (input === 'n' || input === 'N' || key.escape) onAnswer(false);
  });
  return (
    <Box flexDirection="column" flexGrow={1}>
      <T tone="accent" bold>
        Unfinished answers
      </T>
      <Text> </Text>
      <Text>{`You left the wizard for cluster "${offer.name}" on ${offer.when} before saving.`}</Text>
      <Text>Resume those answers? (y/n)</Text>
      <Box flexGrow={1} />
      <Footer keys={[{ key: 'y/Enter', does: 'resume' }, { key: 'n', does: 'start fresh' }, { key: 'Ctrl-C', does: 'quit' }]} />
    </Box>
  );
}
