// doctor's live view (screens/doctor) rendered with ink-testing-library: it draws the lines
// src/doctor/live.ts decides, with a symbol per status that carries the meaning without colour,
// and draws nothing once the run is done (the CLI prints the report there).
import { stripVTControlCharacters } from 'node:util';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { DoctorView } from '../../screens/doctor/DoctorView.js';
import { createDoctorStore } from '../../src/doctor/state.js';
import type { CheckDefinition } from '../../src/doctor/types.js';

const tick = async () => {
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 20));
};

afterEach(() => cleanup());

describe('the doctor view', () => {
  const nodes = [{ name: 'cp1', role: 'control-plane' }, { name: 'w1', role: 'worker' }];
  const check = (id: string, node: string, title: string): CheckDefinition => ({ id, area: 'node', node, title, timeoutMs: 1, run: async () => ({ summary: '', findings: [] }) });
  const checks = [check('cp1/node/ssh', 'cp1', 'SSH login'), check('w1/node/ssh', 'w1', 'SSH login'), check('w1/node/services', 'w1', 'kubelet and containerd')];

  it('findings first with their fix, running checks with a spinner, passed groups on one line; without colour codes', async () => {
    const store = createDoctorStore({ cluster: 'home', nodes, checks, throttleMs: 0 });
    const r = render(<DoctorView store={store} color={false} columns={80} rows={24} tickMs={10_000} />);
    store.update({ id: 'cp1/node/ssh', area: 'node', node: 'cp1', title: 'SSH login', status: 'ok', summary: 'ok', findings: [] });
    store.update({ id: 'w1/node/ssh', area: 'node', node: 'w1', title: 'SSH login', status: 'running', summary: '', findings: [] });
    store.update({
      id: 'w1/node/services',
      area: 'node',
      node: 'w1',
      title: 'kubelet and containerd',
      status: 'critical',
      summary: 'kubelet inactive',
      findings: [{ severity: 'critical', title: 'kubelet on w1 is inactive', evidence: [], fix: 'on w1: sudo systemctl restart kubelet' }],
    });
    await tick();
    const raw = r.lastFrame() ?? '';
    expect(raw).not.toMatch(/\u001B\[3\dm/); // no colour codes
    const lines = stripVTControlCharacters(raw).split('\n');
    expect(lines[0]).toMatch(/^doctor: home · 2\/3 checks done · 1 critical · \d+\.\d s · q stops$/);
    expect(lines.slice(1)).toEqual([
      '✗ w1 (worker)',
      '  ⠋ checking SSH login',
      '  ✗ Node › kubelet and containerd: kubelet on w1 is inactive',
      '      fix: on w1: sudo systemctl restart kubelet',
      '✓ cp1 (control-plane): 1 passed',
    ]);
    store.finish();
    await tick();
    const done = stripVTControlCharacters(r.lastFrame() ?? '');
    expect(done).toMatch(/^doctor: home · 2\/3 checks done · 1 critical · \d+\.\d s$/m); // still drawn (hideWhenDone is off), no longer "q stops"
    expect(done).toContain('✗ w1 (worker)');
  });

  it('hides itself once done when asked (the report takes its place)', async () => {
    const store = createDoctorStore({ cluster: 'home', nodes, checks, throttleMs: 0 });
    const r = render(<DoctorView store={store} color={false} columns={80} rows={24} hideWhenDone />);
    await tick();
    expect(stripVTControlCharacters(r.lastFrame() ?? '')).toContain('doctor: home');
    store.finish();
    await tick();
    expect(stripVTControlCharacters(r.lastFrame() ?? '').trim()).toBe('');
  });
});
