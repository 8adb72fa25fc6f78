// The keys Secrets are encrypted with at rest, before the plan (src/state/encryption-keys.ts): the
// secrets file's, with any key only the control plane still has copied back (a new laptop, a lost
// state directory), and a new one generated when neither has any, saved (0600) before it is used.
// Every key goes to the redactor.
import { CommandError } from '../exit.js';
import { controlPlaneOf } from '../install/plan.js';
import { ENCRYPTION_CONFIG_PATH } from '../install/render/encryption.js';
import { quote } from '../shell/quote.js';
import { keysInConfig, loadEncryptionKeys, reconcileKeys, saveEncryptionKeys, type EncryptionKey } from '../state/encryption-keys.js';
import type { ApplyState } from './apply-state.js';
import { need, type Phase } from './phase.js';

export const reconcileEncryptionKeys: Phase<ApplyState> = {
  title: 'reconcile the encryption keys',
  async run(state) {
    const session = need(state.session, 'a session', this.title);
    const { out } = state.operator;
    const cpName = controlPlaneOf(state.spec).name;
    const host = await session.host(cpName);
    const read = await host.run(`if [ -f ${quote(ENCRYPTION_CONFIG_PATH)} ]; then cat ${quote(ENCRYPTION_CONFIG_PATH)}; fi`, { sudo: true, timeoutMs: 60_000 });
    if (read.code !== 0) throw new CommandError(`could not read ${ENCRYPTION_CONFIG_PATH} on ${cpName} (exit code ${read.code}). Nothing was changed.`);
    let remote: EncryptionKey[] | undefined;
    try {
      remote = read.stdout.trim() === '' ? undefined : keysInConfig(read.stdout);
    } catch (error) {
      throw new CommandError(`${cpName}:${ENCRYPTION_CONFIG_PATH}: ${(error as Error).message}. Nothing was changed.`);
    }
    const { paths, redactor } = session;
    let result: ReturnType<typeof reconcileKeys>;
    try {
      result = reconcileKeys(loadEncryptionKeys(paths), remote);
    } catch (error) {
      const message = (error as Error).message;
      throw new CommandError(`${message.startsWith(paths.secrets) ? message : `${paths.secrets}: ${message}`}. Nothing was changed.`);
    }
    for (const key of result.keys) redactor.add(key.secret);
    if (result.imported.length > 0 || result.generated !== undefined) {
      saveEncryptionKeys(paths, result.keys);
      if (result.generated) out.write(`Generated encryption key ${result.generated} for Secrets at rest; kept in ${paths.secrets} (0600): keep it with your backups.\n\n`);
      else out.write(`Copied encryption key${result.imported.length === 1 ? '' : 's'} ${result.imported.join(', ')} from ${cpName} into ${paths.secrets} (0600).\n\n`);
    }
    state.encryptionKeys = result.keys;
  },
};
