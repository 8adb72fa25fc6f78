import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCommand,
  buildCopyScript,
  classifySudoCheck,
  formatSeconds,
  parseSudoProbe,
  sudoAdvice,
} from '../../src/ssh/command.js';

function runLocally(command: string, input = ''): { stdout: string; status: number } {
  try {
    const stdout = execFileSync('bash', ['-c', command], { input, encoding: 'utf8' });
    return { stdout, status: 0 };
  } catch (error) {
    const failed = error as { stdout: string; status: number };
    return { stdout: failed.stdout, status: failed.status };
  }
}

describe('buildCommand', () => {
  const nasty = `echo "it's $HOME" \`id\` ; printf '%s\\n' a b`;

  it('passes the script as one quoted argument to bash -c', () => {
    const command = buildCommand({ script: nasty, sudo: { kind: 'none' } });
    expect(command.startsWith('bash -c ')).toBe(true);
    // The local shell hands bash exactly the script text.
    expect(runLocally(buildCommand({ script: 'printf "%s" "$0"', sudo: { kind: 'none' } })).stdout).toBe('bash');
    const echoed = runLocally(buildCommand({ script: `cat <<'EOS'\n${nasty}\nEOS`, sudo: { kind: 'none' } }));
    expect(echoed.stdout).toBe(`${nasty}\n`);
  });

  it('sudo: -n without a password, -k -S -p "" with one, never a password on the line', () => {
    expect(buildCommand({ script: 'id', sudo: { kind: 'nopasswd' } })).toBe('sudo -n -- bash -c id');
    expect(buildCommand({ script: 'id', sudo: { kind: 'password' } })).toBe("sudo -k -S -p '' -- bash -c id");
  });

  it('timeout runs inside sudo so it can stop root processes', () => {
    expect(buildCommand({ script: 'sleep 9', sudo: { kind: 'nopasswd' }, timeoutMs: 1500 })).toBe(
      "sudo -n -- timeout -k 5 1.5 bash -c 'sleep 9'",
    );
    expect(runLocally(buildCommand({ script: 'sleep 5', sudo: { kind: 'none' }, timeoutMs: 200 })).status).toBe(124);
    expect(formatSeconds(0)).toBe('0.001');
    expect(formatSeconds(60_000)).toBe('60');
  });
});

describe('sudo probe and check parsing', () => {
  it('reads the probe verdict', () => {
    expect(parseSudoProbe('HK_SUDO=nopasswd\n')).toBe('nopasswd');
    expect(parseSudoProbe('motd noise\nHK_SUDO=denied\n')).toBe('denied');
    expect(parseSudoProbe('garbage')).toBe('unknown');
  });

  it('classifies sudo -S outcomes', () => {
    expect(classifySudoCheck(0, '')).toBe('ok');
    expect(classifySudoCheck(1, 'Sorry, try again.\nsudo: 1 incorrect password attempt\n')).toBe('wrong-password');
    expect(classifySudoCheck(1, 'nosudo is not in the sudoers file.\n')).toBe('denied');
    expect(classifySudoCheck(1, 'sudo: something else\n')).toBe('other');
  });

  it('says what to configure', () => {
    expect(sudoAdvice('deploy')).toContain('deploy ALL=(ALL) NOPASSWD:ALL');
    expect(sudoAdvice('deploy')).toContain('/etc/sudoers.d/hobbykube');
  });
});

describe('buildCopyScript', () => {
  it('writes stdin atomically with the mode, creating the directory, even for awkward names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hk-copy-'));
    try {
      const target = join(dir, "sub dir/it's $x.conf");
      const content = 'line 1\nsecret: "q\'uote"\n';
      const result = runLocally(buildCopyScript(target, { mode: 0o600 }), content);
      expect(result.status).toBe(0);
      expect(readFileSync(target, 'utf8')).toBe(content);
      expect(statSync(target).mode & 0o777).toBe(0o600);
      // Overwrite with another mode.
      expect(runLocally(buildCopyScript(target, { mode: 0o644, owner: 'root:root' }), 'two').status).toBe(0);
      expect(readFileSync(target, 'utf8')).toBe('two');
      expect(statSync(target).mode & 0o777).toBe(0o644);
      // No temporary files left behind.
      expect(execFileSync('ls', ['-A', join(dir, 'sub dir')], { encoding: 'utf8' }).trim()).toBe("it's $x.conf");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
