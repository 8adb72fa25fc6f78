// What every command that talks to nodes shares: the spec, the state directory, one pooled
// connection per node, the redactor, and a clean close.
import { loadSpec } from '../spec/file.js';
import type { ClusterSpec } from '../spec/types.js';
import { clusterPaths, ensureClusterDir, type ClusterPaths } from '../state/paths.js';
import { loadSecrets } from '../state/secrets.js';
import { HostPool } from '../ssh/pool.js';
import { Redactor } from '../redact.js';
import { formatFacts, formatVerdict } from '../facts/preflight.js';
import type { NodeSurvey } from '../install/survey.js';
import { cliAsker, SECRET_ENV } from './asker.js';
import type { Context } from './context.js';

export interface Session {
  spec: ClusterSpec;
  paths: ClusterPaths;
  pool: HostPool;
  redactor: Redactor;
  close(): Promise<void>;
}

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
  return { spec, paths, pool, redactor, close: () => pool.closeAll() };
}

/** Facts and preflight verdict per node, as `plan` and `apply` print them. */
export function formatSurveys(surveys: readonly NodeSurvey[], context: Context): string[] {
  const { style } = context;
  const lines: string[] = [];
  for (const s of surveys) {
    const label = `${s.node.name} (${s.node.address}, ${s.node.role})`;
    if (s.error) {
      lines.push(`${style.bold(label)}`, `  ${style.red('fail')}  ${s.error}`);
      continue;
    }
    lines.push(style.bold(label));
    for (const line of formatFacts(s.facts!, s.node.name)) lines.push(`  ${line}`);
    for (const line of formatVerdict(s.verdict!)) {
      const colour = line.startsWith('fail') ? style.red : line.startsWith('warn') ? style.yellow : style.green;
      lines.push(`  ${colour(line.slice(0, 4))}${line.slice(4)}`);
    }
  }
  return lines;
}
