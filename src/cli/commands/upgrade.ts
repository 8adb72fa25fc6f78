// `hobbykube upgrade [--to 1.N] | --renew-certs`: the cluster one minor up, one node at a time
// (src/phases/upgrade.ts), or the control plane's certificates renewed without a version change
// (src/phases/renew-certs.ts). Here: the options, checked before anything is contacted.
import { runRenewCerts } from '../../phases/renew-certs.js';
import { runUpgrade } from '../../phases/upgrade.js';
import { loadSpec } from '../../spec/file.js';
import { kubernetesVersion } from '../../spec/rules.js';
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { flowBase, liveOrLines } from '../wiring.js';

export async function run(context: Context): Promise<number> {
  const to = context.options.to;
  const renew = context.options['renew-certs'] === true;
  if (to !== undefined && typeof to !== 'string') throw new UsageError('--to needs a version, such as --to 1.37', 'upgrade');
  if (typeof to === 'string') {
    const problem = kubernetesVersion(to);
    if (problem !== undefined) throw new UsageError(`--to ${JSON.stringify(to)}: expected ${problem.replace(', quoted,', '')}`, 'upgrade');
  }
  if (renew && to !== undefined) throw new UsageError('--renew-certs renews the certificates without a version change; it does not go with --to (an upgrade renews them anyway)', 'upgrade');
  const spec = loadSpec(context.specPath);
  if (renew) {
    const cp = spec.spec.nodes.filter((n) => n.role === 'control-plane');
    return runRenewCerts({ ...flowBase(context, spec, 'upgrade', liveOrLines(context)), nodes: cp });
  }
  return runUpgrade({ ...flowBase(context, spec, 'upgrade', liveOrLines(context)), specPath: context.specPath, nodes: spec.spec.nodes, options: typeof to === 'string' ? { to } : {} });
}
