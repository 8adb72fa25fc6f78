// Every probe and action of every representative install passes shellcheck and `bash -n`.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from './scenarios.js';
import { requires, shellcheckMissing } from '../../support/requires.js';


function shellcheck(text: string): { code: number | null; output: string } {
  const result = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: text, encoding: 'utf8' });
  return { code: result.status, output: result.stdout + result.stderr };
}

for (const scenario of SCENARIOS) {
  describe(scenario.name, () => {
    const scripts = scenario.steps.flatMap(([id, step]) => [
      [`${id} probe`, step.probe],
      [`${id} action`, step.action],
    ]);

    it.each(scripts)('%s passes shellcheck', requires(shellcheckMissing()), (_name, text) => {
      const { code, output } = shellcheck(text);
      expect(output).toBe('');
      expect(code).toBe(0);
    });

    it.each(scripts)('%s is valid bash with the strict header', (_name, text) => {
      expect(text.startsWith('#!/usr/bin/env bash\nset -euo pipefail\n')).toBe(true);
      const result = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    });

    it('every step has a one-line title', () => {
      for (const [, step] of scenario.steps) {
        expect(step.describe).toMatch(/^\S.*\S$/);
        expect(step.describe).not.toContain('\n');
      }
    });
  });
}
