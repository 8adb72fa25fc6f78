import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandPath, resolveSshTarget } from '../../src/ssh/sshconfig.js';

let home: string;
let configPath: string;

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'hk-sshconfig-'));
  mkdirSync(join(home, '.ssh'));
  configPath = join(home, '.ssh', 'config');
  writeFileSync(
    configPath,
    [
      'Host myvps',
      '  HostName 127.0.0.7',
      '  User deploy',
      '  Port 2222',
      '  IdentityFile ~/.ssh/vps_key',
      '  IdentityFile %d/.ssh/second_%r',
      '',
      'Host jumpy',
      '  HostName 127.0.0.8',
      '  ProxyJump bastion',
      '',
      'Host *.lan',
      '  HostName %h.example',
      '',
      'Host *',
      '  User everyone',
      '',
    ].join('\n'),
  );
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('resolveSshTarget', () => {
  it('an alias takes HostName, User, Port and IdentityFile from the config', () => {
    const target = resolveSshTarget({ address: 'myvps' }, { configPath, home, localUser: 'me' });
    expect(target).toMatchObject({
      alias: 'myvps',
      hostName: '127.0.0.7',
      user: 'deploy',
      port: 2222,
      identityFiles: [join(home, '.ssh', 'vps_key'), join(home, '.ssh', 'second_deploy')],
      identityExplicit: true,
      unsupported: [],
    });
  });

  it('values the spec gives win over the config', () => {
    const target = resolveSshTarget(
      { address: 'myvps', user: 'admin', port: 22, keyPath: '~/keys/spec_key' },
      { configPath, home, localUser: 'me' },
    );
    expect(target).toMatchObject({ hostName: '127.0.0.7', user: 'admin', port: 22, identityFiles: [join(home, 'keys', 'spec_key')] });
  });

  it('without a matching Host block: the address itself, Host * values, then defaults', () => {
    const target = resolveSshTarget({ address: '127.0.0.9' }, { configPath, home, localUser: 'me' });
    expect(target).toMatchObject({ hostName: '127.0.0.9', user: 'everyone', port: 22, identityExplicit: false });
  });

  it('no config at all: root and 22; default key files only if they exist', () => {
    writeFileSync(join(home, '.ssh', 'id_ed25519'), 'not really a key');
    const target = resolveSshTarget({ address: '127.0.0.9' }, { configPath: null, home });
    expect(target).toMatchObject({ hostName: '127.0.0.9', user: 'root', port: 22, identityExplicit: false });
    expect(target.identityFiles).toEqual([join(home, '.ssh', 'id_ed25519')]);
  });

  it('expands %h in HostName and reports ProxyJump as unsupported', () => {
    expect(resolveSshTarget({ address: 'box.lan' }, { configPath, home }).hostName).toBe('box.lan.example');
    expect(resolveSshTarget({ address: 'jumpy' }, { configPath, home }).unsupported).toEqual(['proxyjump']);
  });

  it('a missing config file is no config', () => {
    const target = resolveSshTarget({ address: 'myvps', user: 'u', port: 23 }, { configPath: join(home, 'absent'), home });
    expect(target).toMatchObject({ hostName: 'myvps', user: 'u', port: 23 });
  });
});

describe('expandPath', () => {
  it('expands ~ and tokens', () => {
    expect(expandPath('~', '/h')).toBe('/h');
    expect(expandPath('~/.ssh/k', '/h')).toBe('/h/.ssh/k');
    expect(expandPath('/keys/%u-%h-%%', '/h', { u: 'me', h: 'x' })).toBe('/keys/me-x-%');
    expect(expandPath('/abs/path', '/h')).toBe('/abs/path');
  });
});
