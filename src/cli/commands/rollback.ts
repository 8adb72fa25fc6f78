// `hobbykube rollback NAME`: back to the image `deploy` replaced last (src/state/history.ts), the
// same way deploy goes forward, without the release command (src/phases/deploy.ts).
import type { Context } from '../context.js';
import { deploy, workloadArgument } from './deploy.js';

export async function run(context: Context): Promise<number> {
  return deploy(context, { kind: 'rollback', workload: workloadArgument(context, 'hobbykube rollback NAME') });
}
