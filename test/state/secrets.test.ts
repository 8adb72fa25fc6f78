import { mkdtempSync, statSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterPaths, ensureClusterDir } from '../../src/state/paths.js';
import { loadSecrets, missingSecrets, setSecret } from '../../src/state/secrets.js';
import { loadSpec } from '../../src/spec/file.js';

describe('secrets file', () => {
  it('keeps values 0600 outside the spec and reports which are missing', () => {
    const paths = clusterPaths('home', { HOBBYKUBE_HOME: mkdtempSync(join(tmpdir(), 'hk-secrets-')) });
    ensureClusterDir(paths);
    const spec = loadSpec(join(import.meta.dirname, '../fixtures/specs/valid-full.yaml'));
    expect(missingSecrets(spec, loadSecrets(paths))).toEqual(['chatbot.SLACK_TOKEN']);
    setSecret(paths, 'chatbot', 'SLACK_TOKEN', 'xoxb-"quoted"\nsecond line');
    expect((statSync(paths.secrets).mode & 0o777).toString(8)).toBe('600');
    expect(loadSecrets(paths)).toEqual({ chatbot: { SLACK_TOKEN: 'xoxb-"quoted"\nsecond line' } });
    expect(missingSecrets(spec, loadSecrets(paths))).toEqual([]);
    chmodSync(paths.secrets, 0o644);
    loadSecrets(paths);
    expect((statSync(paths.secrets).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(join(import.meta.dirname, '../fixtures/specs/valid-full.yaml'), 'utf8')).not.toContain('xoxb');
  });
});
