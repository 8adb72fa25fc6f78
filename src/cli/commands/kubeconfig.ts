// `hobbykube kubeconfig [--out PATH | --merge]`: the admin kubeconfig for your own kubectl.
//
// Source: admin.conf read from the control plane (sudo), its server set to the control plane's
// spec address (src/facts/addressing.ts), which also refreshes the state directory's copy; when
// the control plane cannot be reached, the state copy is used with a warning. Destination: never
// the terminal (it is a credential): by default the state directory's kubeconfig
// (~/.hobbykube/<cluster>/kubeconfig: outside the project folder, so it cannot be committed by
// accident), or --out PATH, written 0600; or --merge into $KUBECONFIG's first path
// (else ~/.kube/config) as a context named after the cluster, a backup of the old file kept.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { fetchAdminConfStep, hostPort } from '../../install/render/index.js';
import { controlPlaneOf } from '../../install/plan.js';
import { runQuick } from '../../install/step.js';
import { KubeconfigError, mergeKubeconfig, mergeTarget, renameAdminConf, renderKubeconfig, setKubeconfigServer } from '../../kubeconfig/merge.js';
import { loadSpec } from '../../spec/file.js';
import { writeSecretFile } from '../../state/files.js';
import { clusterPaths } from '../../state/paths.js';
import { CommandError, EXIT_OK, UsageError } from '../errors.js';
import { openSession } from '../session.js';
import type { Context } from '../context.js';

/** admin.conf from the control plane (refreshing the state copy), else the state copy. */
async function adminConf(context: Context): Promise<{ text: string; from: string }> {
  const spec = loadSpec(context.specPath);
  const cp = controlPlaneOf(spec);
  const session = openSession(context, spec);
  const local = session.paths.kubeconfig;
  try {
    const host = await session.host(cp.name);
    const result = await runQuick(host, fetchAdminConfStep().action);
    if (result.code !== 0) {
      throw new CommandError(
        `could not read /etc/kubernetes/admin.conf on ${cp.name} (exit code ${result.code}): is the cluster installed? Run \`hobbykube apply\` first. Nothing was written.`,
      );
    }
    // The server is the control plane's spec (public) address, which the API server certificate
    // names; with a NAT'd control plane admin.conf names an endpoint only the nodes resolve.
    let text: string;
    try {
      text = setKubeconfigServer(result.stdout, `https://${hostPort(cp.address)}`);
    } catch (error) {
      throw new CommandError(`the admin kubeconfig from ${cp.name} is not usable: ${(error as Error).message}. Nothing was written.`);
    }
    const current = existsSync(local) ? readFileSync(local, 'utf8') : undefined;
    if (current !== text) writeSecretFile(local, text);
    return { text, from: `${cp.name} (${cp.address})` };
  } catch (error) {
    if (error instanceof CommandError || !existsSync(local)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    context.stderr.write(`warning: ${message}; using the copy saved ${statSync(local).mtime.toISOString()} in ${local}, which may be out of date.\n`);
    return { text: readFileSync(local, 'utf8'), from: local };
  } finally {
    await session.close();
  }
}

export async function run(context: Context): Promise<number> {
  const out = typeof context.options.out === 'string' ? context.options.out : undefined;
  const merge = context.options.merge === true;
  if (out !== undefined && merge) throw new UsageError('--out and --merge exclude each other: write a file, or merge into your kubeconfig', 'kubeconfig');
  const spec = loadSpec(context.specPath);
  const name = spec.metadata.name;
  const { stdout, style } = context;
  const { text, from } = await adminConf(context);
  let ours;
  try {
    ours = renameAdminConf(text, name);
  } catch (error) {
    throw new CommandError(`the admin kubeconfig from ${from} is not usable: ${(error as Error).message}. Nothing was written.`);
  }

  if (!merge) {
    const path = resolve(out ?? clusterPaths(name, context.env).userKubeconfig);
    writeSecretFile(path, renderKubeconfig(ours));
    stdout.write(`Wrote the admin kubeconfig of ${name} to ${path} (mode 0600; it grants full control of the cluster${out === undefined ? ', so it is kept in hobbykube\'s state directory, out of your project and its git history' : ': keep it out of version control'}).\n`);
    stdout.write(`Try: kubectl --kubeconfig ${path} get nodes   (or: hobbykube kubeconfig --merge, to add it to ~/.kube/config)\n`);
    return EXIT_OK;
  }

  const home = context.env.HOME && context.env.HOME !== '' ? context.env.HOME : homedir();
  let target = resolve(mergeTarget(context.env, home));
  const exists = existsSync(target);
  if (exists) target = realpathSync(target); // a symlinked kubeconfig is updated where it lives
  const before = exists ? readFileSync(target, 'utf8') : undefined;
  let result;
  try {
    result = mergeKubeconfig(before, ours);
  } catch (error) {
    if (error instanceof KubeconfigError) throw new CommandError(`${target}: ${error.message}; not touched. Use --out PATH instead.`);
    throw error;
  }
  let backup: string | undefined;
  if (exists) {
    backup = `${target}.hobbykube.bak`;
    writeSecretFile(backup, before!); // 0600 too, whatever the original's mode
  }
  writeSecretFile(target, result.text);
  stdout.write(
    `${result.replaced ? 'Updated' : 'Added'} context ${style.bold(name)} (cluster and user ${name}) in ${target} (mode 0600)${backup ? `; the previous file is kept as ${backup}` : ''}.\n`,
  );
  if (result.madeCurrent) stdout.write(`It is the current context: kubectl get nodes\n`);
  else if (result.currentContext) stdout.write(`The current context stays ${result.currentContext}; switch with: kubectl config use-context ${name}\n`);
  else stdout.write(`Try: kubectl get nodes\n`);
  return EXIT_OK;
}
