// What every command that talks to nodes shares (the Session of src/phases/flow.ts): the spec,
// the state directory, one pooled SSH connection per node (host keys and secrets asked through
// this terminal, or --yes and the environment), the redactor, and a clean close.
import { loadSpec } from '../spec/file.js';
import type { ClusterSpec } from '../spec/types.js';
import { clusterPaths, ensureClusterDir } from '../state/paths.js';
import { loadSecrets } from '../state/secrets.js';
import { HostPool } from '../ssh/pool.js';
import { Redactor } from '../redact.js';
import { cliAsker, SECRET_ENV } from './asker.js';
import type { Context } from './context.js';
import type { Session } from '../phases/flow.js';

export type { Session } from '../phases/flow.js';

export interface SessionOptions {
  /** Ask in the terminal (host keys, secrets); default: when stdin and stdout are terminals. */
  interactive?: boolean;
  /** Where the asker's notes go (a newly pinned fingerprint ...); default: the context's stderr. */
  stderr?: Context['stderr'];
  /** The SSH handshake's time limit (default: the transport's). */
  readyTimeoutMs?: number;
}

export function openSession(context: Context, spec: ClusterSpec = loadSpec(context.specPath), options: SessionOptions = {}): Session {
  const paths = clusterPaths(spec.metadata.name, context.env);
  ensureClusterDir(paths);
  const redactor = new Redactor();
  for (const values of Object.values(loadSecrets(paths))) for (const value of Object.values(values)) redactor.add(value);
  for (const name of Object.values(SECRET_ENV)) redactor.add(context.env[name]);
  const asker = cliAsker({
    assumeYes: context.assumeYes,
    interactive: options.interactive ?? (context.stdinIsTTY && context.stdout.isTTY),
    stderr: options.stderr ?? context.stderr,
    env: context.env,
    knownHostsPath: paths.knownHosts,
  });
  // --yes is the asker's to honour, so that every newly pinned fingerprint is still printed.
  const pool = new HostPool(spec.spec.nodes, { knownHostsPath: paths.knownHosts, asker, ...(options.readyTimeoutMs !== undefined ? { readyTimeoutMs: options.readyTimeoutMs } : {}) });
  return { spec, paths, redactor, host: (name) => pool.host(name), close: () => pool.closeAll() };
}
