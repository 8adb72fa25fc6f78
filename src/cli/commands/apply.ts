// `hobbykube apply`: make the cluster match the spec file (see src/cli/apply-flow.ts).
import { loadSpec } from '../../spec/file.js';
import { applySpec } from '../apply-flow.js';
import type { Context } from '../context.js';

export async function run(context: Context): Promise<number> {
  return applySpec(context, loadSpec(context.specPath));
}
