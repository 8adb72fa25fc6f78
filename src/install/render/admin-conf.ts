// Reading the cluster's admin kubeconfig (a secret: its output is never shown).
import { ADMIN_CONF, alwaysRunProbe, script, shd, step, type StepScripts } from './script.js';

export function fetchAdminConfStep(): StepScripts {
  return step({
    describe: 'Fetch the cluster admin kubeconfig (saved 0600 in the state directory)',
    probe: alwaysRunProbe('Reading is harmless; the copy in the state directory is refreshed every time.'),
    action: script(shd`cat ${ADMIN_CONF}`),
    secretOutput: true,
    readOnly: true,
  });
}
