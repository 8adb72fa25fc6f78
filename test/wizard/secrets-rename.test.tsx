// Renaming a workload moves its stored secret values to the new name, through each front end: the
// full-screen screens (ink-testing-library) and the plain prompts (scripted as inquirer would
// answer). Before the one flow, only the full-screen path did this; the plain path left the values
// under the old name, so the saved spec named secrets that had no value.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/file.js';
import { clusterPaths } from '../../src/state/paths.js';
import { loadSecrets, setSecret } from '../../src/state/secrets.js';
import { stateFiles } from '../../src/wizard/files.js';
import { isPromptExit, runPlain } from '../../src/wizard/plain.js';
import { KEY, mount, testFlow } from '../screens/helpers.js';
import { fakeProber, scriptedPrompts } from './fakes.js';

afterEach(() => cleanup());

const SPEC = `apiVersion: hobbykube.dev/v1alpha1
kind: Cluster
metadata: {name: home}
spec:
  kubernetesVersion: "1.37"
  nodes:
    - {name: cp1, address: 192.0.2.10, role: control-plane, ssh: {user: ubuntu}}
    - {name: w1, address: 192.0.2.12, role: worker, ssh: {user: ubuntu}}
  dns: {upstream: [203.0.113.53]}
  workloads:
    - {kind: worker, name: bot, image: ghcr.io/me/bot:1.2, secretEnv: [SLACK_TOKEN]}
`;

/** A folder with the spec above and bot's SLACK_TOKEN kept in secrets.yaml. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'hk-rename-'));
  const specPath = join(dir, 'hobbykube.yaml');
  writeFileSync(specPath, SPEC);
  const env = { HOBBYKUBE_HOME: join(dir, 'state') };
  setSecret(clusterPaths('home', env), 'bot', 'SLACK_TOKEN', 'xoxb-kept');
  return { specPath, env, secrets: () => loadSecrets(clusterPaths('home', env)) };
}

describe('renaming a workload moves its stored secret values (one flow, both front ends)', () => {
  it('full-screen: rename bot to chatbot, leave the kept value empty, save', async () => {
    const t = setup();
    const w = mount({ specPath: t.specPath, env: t.env, prober: fakeProber(), startScreen: 'workloads' });
    await w.waitFor(/worker\s+bot/);
    await w.press(KEY.enter);
    const form = await w.waitFor('Edit worker');
    expect(form).toContain('(kept)');
    // name, image, registry login (empty: public), replicas, memory, command, env, secret names, the SLACK_TOKEN value (left empty)
    await w.press(...Array<string>(3).fill(KEY.backspace), 'chatbot', ...Array<string>(9).fill(KEY.enter));
    await w.waitFor(/worker\s+chatbot/);
    expect(t.secrets()).toEqual({ chatbot: { SLACK_TOKEN: 'xoxb-kept' } });
    expect(w.flow.getState().storedSecrets).toEqual({ chatbot: ['SLACK_TOKEN'] });
    await w.press(KEY.down, KEY.down, KEY.down, KEY.down, KEY.down, KEY.enter);
    await w.waitFor('s save spec and quit');
    await w.press('s');
    expect(await w.flow.done).toEqual({ action: 'saved', specPath: t.specPath });
    const spec = loadSpec(t.specPath);
    expect(spec.spec.workloads.map((x) => x.name)).toEqual(['chatbot']);
    expect(readFileSync(t.specPath, 'utf8')).not.toContain('xoxb-kept');
  });

  it('plain prompts: rename bot to chatbot, leave the kept value empty, save', async () => {
    const t = setup();
    const out: string[] = [];
    const script = scriptedPrompts([
      { match: 'Cluster name', answer: '' },
      { match: 'Kubernetes version', answer: '' },
      { match: 'Nodes', answer: 'continue' },
      { match: 'Upstream DNS servers', answer: '' },
      { match: 'Will you serve web apps', answer: 'no' },
      { match: 'Workloads', answer: 'edit:0' },
      { match: 'Name of this worker', answer: 'chatbot' },
      { match: 'Container image', answer: '' },
      { match: 'Login for ghcr.io', answer: '' },
      { match: 'Replicas', answer: '' },
      { match: 'Memory', answer: '' },
      { match: 'Command', answer: '' },
      { match: 'Environment', answer: '' },
      { match: 'Secret variable names', answer: '' },
      { match: 'Value of SLACK_TOKEN', answer: '' }, // kept: an empty answer passes only because the value is stored
      { match: 'Workloads', answer: 'continue' },
      { match: 'What now?', answer: 'save' },
    ]);
    const flow = testFlow({ specPath: t.specPath, env: t.env, prober: fakeProber(), asker: () => ({ confirmHostKey: async () => true, secret: async () => 'unused' }), isInterruption: isPromptExit });
    const result = await runPlain({ flow, prompts: script, write: (text) => out.push(text) });
    expect(result).toEqual({ action: 'saved', specPath: t.specPath });
    expect(t.secrets()).toEqual({ chatbot: { SLACK_TOKEN: 'xoxb-kept' } });
    expect(loadSpec(t.specPath).spec.workloads.map((x) => x.name)).toEqual(['chatbot']);
    expect(out.join('')).not.toContain('xoxb-kept');
  });

  it('the moved values win over stale ones left under the new name; typed values win over both', () => {
    const t = setup();
    const paths = clusterPaths('home', t.env);
    setSecret(paths, 'chatbot', 'SLACK_TOKEN', 'stale');
    setSecret(paths, 'chatbot', 'OLD_ONLY', 'left');
    setSecret(paths, 'bot', 'API_KEY', 'moved');
    stateFiles(t.env).storeWorkloadSecrets('home', 'chatbot', { API_KEY: 'typed' }, 'bot');
    expect(t.secrets()).toEqual({ chatbot: { SLACK_TOKEN: 'xoxb-kept', OLD_ONLY: 'left', API_KEY: 'typed' } });
  });
});
