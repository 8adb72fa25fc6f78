// Every secret the workloads need has a value before anything runs: generated ones (database root
// passwords, each database link's user password) are made and kept in secrets.yaml (0600); a
// secretEnv value without one comes from HOBBYKUBE_SECRET_<WORKLOAD>_<NAME>, a registry token from
// HOBBYKUBE_REGISTRY_<NAME>_TOKEN, else is asked (masked), else the flow stops naming the
// variables to set. Every value goes to the redactor. Database users no workload links any more are
// named: hobbykube keeps them (and their data), it never drops one.
import { CommandError } from '../exit.js';
import { allSecretValues, loadSecretValues, missingRegistryTokens, missingSecrets, setRegistryToken, setSecret } from '../state/secrets.js';
import { ensureGeneratedSecrets, registryTokenEnv, unlinkedDatabaseUsers } from '../workloads/index.js';
import { imageRegistry, mysqlNames, registryHost } from '../spec/rules.js';
import type { FlowState } from './flow.js';
import { need, type Phase } from './phase.js';

export const secretEnvName = (ref: string): string => `HOBBYKUBE_SECRET_${ref.replace(/[.-]/g, '_').toUpperCase()}`;

export const fillSecrets: Phase<FlowState> = {
  title: 'fill in the secrets',
  async run(state) {
    const { spec, paths, redactor } = need(state.session, 'a session', this.title);
    const { operator } = state;
    const stillMissing: string[] = [];
    const scope = state.workloads;
    const inScope = (workload: string) => scope === undefined || scope.includes(workload);
    for (const ref of missingSecrets(spec, ensureGeneratedSecrets(spec, paths).secrets.workloads)) {
      const [workload, name] = ref.split('.') as [string, string];
      if (!inScope(workload)) continue;
      let value = operator.env[secretEnvName(ref)];
      if ((value === undefined || value === '') && operator.askSecret) {
        value = await operator.askSecret(`Value of ${name} for ${workload} (kept in ${paths.secrets}, mode 0600)`);
      }
      if (value === undefined || value === '') stillMissing.push(`${ref} (${secretEnvName(ref)})`);
      else {
        setSecret(paths, workload, name, value);
        redactor.add(value);
      }
    }
    const registries = spec.spec.registries ?? [];
    const needed = new Set(registries.filter((r) => spec.spec.workloads.some((w) => inScope(w.name) && registryUsed(r.server, w.image))).map((r) => r.name));
    for (const name of missingRegistryTokens(spec, loadSecretValues(paths).registries)) {
      if (!needed.has(name)) continue;
      const registry = registries.find((r) => r.name === name)!;
      let value = operator.env[registryTokenEnv(name)];
      if ((value === undefined || value === '') && operator.askSecret) {
        value = await operator.askSecret(`Token (or password) of ${registry.username} on ${registry.server}, registry ${name} (kept in ${paths.secrets}, mode 0600)`);
      }
      if (value === undefined || value === '') stillMissing.push(`the token of registry ${name} (${registryTokenEnv(name)})`);
      else {
        setRegistryToken(paths, name, value);
        redactor.add(value);
      }
    }
    if (stillMissing.length > 0) {
      throw new CommandError(`no value yet for ${stillMissing.join(', ')}. Run in a terminal to be asked, or set the environment variable${stillMissing.length === 1 ? '' : 's'} named. Nothing was changed.`);
    }
    const { secrets } = ensureGeneratedSecrets(spec, paths);
    for (const value of allSecretValues(secrets)) {
      redactor.add(value);
      redactor.add(encodeURIComponent(value));
    }
    state.secrets = secrets;
    const unlinked = unlinkedDatabaseUsers(spec, secrets);
    if (unlinked.length > 0 && scope === undefined) {
      const lines = unlinked.map(({ database, workload }) => {
        const names = mysqlNames(workload);
        return `  ${database}: user ${names.user} and database ${names.database} (made for ${workload})`;
      });
      const text = `Database users no workload links any more (kept with their data, never dropped; their passwords stay in ${paths.secrets}):\n${lines.join('\n')}\n`;
      operator.out.write(`${text}\n`);
      state.log?.line(text);
    }
  },
};


function registryUsed(server: string, image: string): boolean {
  return registryHost(server) === imageRegistry(image);
}
