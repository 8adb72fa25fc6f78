// A join token minted on the control plane at join time (never stored), and the parser of the
// join command kubeadm prints with it.
import { ADMIN_CONF, alwaysRunProbe, script, shd, step, type StepScripts } from './script.js';
import { CA_HASH_PATTERN, TOKEN_PATTERN, type JoinCommand } from './kubeadm-config.js';

export const JOIN_TOKEN_TTL = '15m';

export function mintJoinTokenStep(): StepScripts {
  return step({
    describe: `Mint a fresh join token on the control plane (valid ${JOIN_TOKEN_TTL})`,
    probe: alwaysRunProbe('A token is minted every time a worker needs one; it is never stored.'),
    action: script(shd`kubeadm token create --print-join-command --ttl ${JOIN_TOKEN_TTL} --kubeconfig ${ADMIN_CONF}`),
    secretOutput: true,
  });
}

/** Parses `kubeadm token create --print-join-command`: `kubeadm join HOST:PORT --token T --discovery-token-ca-cert-hash sha256:H`. */
export function parseJoinCommand(output: string): JoinCommand {
  const line = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('kubeadm join '));
  if (line === undefined) throw new Error('no "kubeadm join" line in the output of kubeadm token create');
  const words = line.split(/\s+/);
  const endpoint = words[2] ?? '';
  let token: string | undefined;
  const caCertHashes: string[] = [];
  for (let i = 3; i < words.length; i++) {
    const word = words[i]!;
    const [flag, inline] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const value = () => inline ?? words[++i] ?? '';
    if (flag === '--token') token = value();
    else if (flag === '--discovery-token-ca-cert-hash') caCertHashes.push(value());
  }
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(endpoint)) throw new Error(`unexpected API server endpoint in the join command: ${endpoint}`);
  if (token === undefined || !TOKEN_PATTERN.test(token)) throw new Error('no well-formed --token in the join command');
  if (caCertHashes.length === 0 || !caCertHashes.every((hash) => CA_HASH_PATTERN.test(hash))) {
    throw new Error('no well-formed --discovery-token-ca-cert-hash in the join command');
  }
  return { endpoint, token, caCertHashes };
}
