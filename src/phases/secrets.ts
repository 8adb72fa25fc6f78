// Every secret the workloads need has a value before anything runs: generated ones (database
// passwords) are made and kept in secrets.yaml (0600); a secretEnv value without one comes from
// HOBBYKUBE_SECRET_<WORKLOAD>_<NAME>, else is asked (masked), else the flow stops naming the
// variables to set. Every value goes to the redactor.
import { CommandError } from '../exit.js';
import { missingSecrets, setSecret } from '../state/secrets.js';
import { ensureGeneratedSecrets } from '../workloads/index.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';

export const secretEnvName = (ref: string): string => `HOBBYKUBE_SECRET_${ref.replace(/[.-]/g, '_').toUpperCase()}`;

export const fillSecrets: Phase<FlowState> = {
  title: 'fill in the secrets',
  async run(state) {
    const { spec, paths, redactor } = need(state.session, 'a session', this.title);
    const { operator } = state;
    const stillMissing: string[] = [];
    for (const ref of missingSecrets(spec, ensureGeneratedSecrets(spec, paths).secrets)) {
      const [workload, name] = ref.split('.') as [string, string];
      let value = operator.env[secretEnvName(ref)];
      if ((value === undefined || value === '') && operator.askSecret) {
        value = await operator.askSecret(`Value of ${name} for ${workload} (kept in ${paths.secrets}, mode 0600)`);
      }
      if (value === undefined || value === '') stillMissing.push(ref);
      else {
        setSecret(paths, workload, name, value);
        redactor.add(value);
      }
    }
    if (stillMissing.length > 0) {
      throw new CommandError(
        `no value yet for ${stillMissing.join(', ')}. Run in a terminal to be asked, or set ${stillMissing.map(secretEnvName).join(', ')} in the environment. Nothing was changed.`,
      );
    }
    const { secrets } = ensureGeneratedSecrets(spec, paths);
    for (const values of Object.values(secrets)) for (const value of Object.values(values)) redactor.add(value);
    state.secrets = secrets;
  },
};
