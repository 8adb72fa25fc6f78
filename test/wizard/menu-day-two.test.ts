// The rerun menu's day-two decisions (src/wizard/menu.ts), without a screen: which workloads deploy,
// roll back and show logs offer, the image question's rule, and what each hands to the CLI
// (src/cli/commands/wizard.ts runs deploy, rollback and logs with it).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec/file.js';
import * as rules from '../../src/spec/rules.js';
import { formErrors } from '../../src/wizard/form.js';
import { MENU_ITEMS, MENU_LOG_LINES, MenuFlow, WORKLOAD_EMPTY, type MenuResult } from '../../src/wizard/menu.js';
import { testFlow } from '../screens/helpers.js';
import { fakeProber } from './fakes.js';

const SPEC = `apiVersion: hobbykube.dev/v1alpha1
kind: Cluster
metadata: {name: home}
spec:
  kubernetesVersion: "1.37"
  nodes:
    - {name: cp1, address: 192.0.2.10, role: control-plane}
    - {name: w1, address: 192.0.2.11, role: worker}
  dns: {upstream: [203.0.113.53]}
  workloads:
    - {kind: database, name: mysql, node: w1}
    - {kind: app, name: blog, image: "ghcr.io/me/blog:3", port: 3000}
    - {kind: cron, name: tidy, schedule: "@daily", image: "busybox:1.36"}
`;

function menuOn(text: string): { menu: MenuFlow; results: MenuResult[] } {
  const dir = mkdtempSync(join(tmpdir(), 'hk-menu-d2-'));
  const specPath = join(dir, 'hobbykube.yaml');
  writeFileSync(specPath, text);
  const menu = new MenuFlow(loadSpec(specPath), testFlow({ specPath, env: { HOBBYKUBE_HOME: join(dir, 'state') }, prober: fakeProber(), drafts: false }), join(dir, 'kubeconfig'));
  const results: MenuResult[] = [];
  void menu.done.then((r) => results.push(r));
  return { menu, results };
}

describe('the menu: deploy a new version, roll back, show logs', () => {
  it('come right after "Change workloads", numbered like the rest', () => {
    expect(MENU_ITEMS.map((m) => m.value).slice(0, 6)).toEqual(['add-worker', 'workloads', 'deploy', 'rollback', 'logs', 'status']);
    expect(MENU_ITEMS.find((m) => m.value === 'deploy')!.label).toBe('Deploy a new version');
    expect(MENU_ITEMS.find((m) => m.value === 'rollback')!.label).toBe('Roll back');
    expect(MENU_ITEMS.find((m) => m.value === 'logs')!.label).toBe('Show logs');
    expect(MENU_ITEMS.at(-1)!.value).toBe('quit');
  });

  it('each first asks which workload: deploy and rollback offer what rolls (no database), logs every workload', () => {
    const { menu } = menuOn(SPEC);
    for (const purpose of ['deploy', 'rollback', 'logs'] as const) {
      menu.choose(purpose);
      expect(menu.getState().view).toEqual({ name: 'pick-workload', purpose });
      menu.toMain();
    }
    expect(menu.workloadItems('deploy').map((i) => i.workload)).toEqual(['blog', 'tidy']);
    expect(menu.workloadItems('rollback').map((i) => i.workload)).toEqual(['blog', 'tidy']);
    expect(menu.workloadItems('logs').map((i) => i.workload)).toEqual(['mysql', 'blog', 'tidy']);
    expect(menu.workloadItems('deploy')[0]!.label).toMatch(/^blog\s+app server\s+ghcr\.io\/me\/blog:3$/);
  });

  it('with no workload to offer, the list says why', () => {
    const { menu } = menuOn(SPEC.replace(/    - \{kind: app.*\n/, '').replace(/    - \{kind: cron.*\n/, ''));
    expect(menu.workloadItems('deploy')).toEqual([]);
    expect(WORKLOAD_EMPTY.deploy).toContain('a database\'s image changes in hobbykube.yaml and apply');
    expect(menu.workloadItems('logs').map((i) => i.workload)).toEqual(['mysql']);
  });

  it('deploy asks the image, prefilled with the running one, under the spec\'s image rule; then hands it over', async () => {
    const { menu, results } = menuOn(SPEC);
    menu.choose('deploy');
    menu.pickWorkload('deploy', menu.workloadItems('deploy')[0]!);
    expect(menu.getState().view).toEqual({ name: 'image', workload: 'blog' });
    const form = menu.imageForm('blog');
    expect(form.initial).toEqual({ image: 'ghcr.io/me/blog:3' });
    // The running image is a restart for an app; a tagless one is refused in the spec's words.
    expect(formErrors(form, { image: 'ghcr.io/me/blog:3' })).toEqual({});
    expect(formErrors(form, { image: 'ghcr.io/me/blog' })).toEqual({ image: `expected ${rules.image('ghcr.io/me/blog')}` });
    menu.submitImage('blog', { image: ' ghcr.io/me/blog:4 ' });
    await menu.done;
    expect(results).toEqual([{ action: 'deploy', workload: 'blog', image: 'ghcr.io/me/blog:4' }]);
  });

  it('a cron job has no pods to restart: its image question wants a new image', () => {
    const { menu } = menuOn(SPEC);
    const form = menu.imageForm('tidy');
    expect(formErrors(form, { image: 'busybox:1.36' })).toEqual({ image: 'expected a new image: tidy is a cron job, with no running pods to restart' });
    expect(formErrors(form, { image: 'busybox:1.37' })).toEqual({});
  });

  it('roll back and show logs hand over at once (logs with the last lines); the first result counts', async () => {
    let { menu, results } = menuOn(SPEC);
    menu.choose('rollback');
    menu.pickWorkload('rollback', { label: 'blog', workload: 'blog' });
    menu.pickWorkload('logs', { label: 'tidy', workload: 'tidy' });
    await menu.done;
    expect(results).toEqual([{ action: 'rollback', workload: 'blog' }]);
    expect(menu.getState().result).toEqual({ action: 'rollback', workload: 'blog' });

    ({ menu, results } = menuOn(SPEC));
    menu.choose('logs');
    menu.pickWorkload('logs', menu.workloadItems('logs')[0]!);
    await menu.done;
    expect(results).toEqual([{ action: 'logs', workload: 'mysql', tail: MENU_LOG_LINES }]);
  });
});
