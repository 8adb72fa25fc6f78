// Where hobbykube keeps what it learns about a cluster: ~/.hobbykube/<cluster>/ (or
// $HOBBYKUBE_HOME/<cluster>/). Directories are 0700; files that hold secrets are 0600.
import { mkdirSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function stateHome(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.HOBBYKUBE_HOME;
  return override && override.trim() !== '' ? override : join(homedir(), '.hobbykube');
}

export interface ClusterPaths {
  dir: string;
  knownHosts: string;
  journal: string;
  lock: string;
  logs: string;
  /** admin.conf as the control plane has it (kubernetes-admin@kubernetes), fetched by apply. */
  kubeconfig: string;
  /**
   * `hobbykube kubeconfig`'s file: the same credentials, entries named after the cluster. In the
   * state directory, never the current folder, so it cannot end up in a repository by accident.
   */
  userKubeconfig: string;
  secrets: string;
  draft: string;
  /** Images `deploy` replaced, per workload, newest last: what `rollback` returns to. */
  history: string;
}

export function clusterPaths(cluster: string, env: NodeJS.ProcessEnv = process.env): ClusterPaths {
  const dir = join(stateHome(env), cluster);
  return {
    dir,
    knownHosts: join(dir, 'known_hosts'),
    journal: join(dir, 'journal.jsonl'),
    lock: join(dir, 'apply.lock'),
    logs: join(dir, 'logs'),
    kubeconfig: join(dir, 'admin.conf'),
    userKubeconfig: join(dir, 'kubeconfig'),
    secrets: join(dir, 'secrets.yaml'),
    draft: join(dir, 'draft.yaml'),
    history: join(dir, 'history.yaml'),
  };
}

/** Creates the cluster's state directory (and logs/) with owner-only permissions. */
export function ensureClusterDir(paths: ClusterPaths): void {
  for (const dir of [paths.dir, paths.logs]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
}
