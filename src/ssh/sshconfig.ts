// Resolves a node's SSH endpoint against the owner's ~/.ssh/config, so a spec may say
// `address: myvps` and mean whatever `ssh myvps` means.
//
// Precedence (decided here, documented in the report and docs):
//   - HostName: from the config when a Host block for the address sets one (the address is then an
//     alias); otherwise the address itself. `%h` and `%%` are expanded.
//   - keyPath: an explicit spec keyPath wins; otherwise the config's IdentityFile entries (in
//     order, `~`, %d, %u, %h, %r, %p, %% expanded); otherwise OpenSSH's default key files
//     (~/.ssh/id_ed25519, id_ecdsa, id_rsa) that exist. The agent is tried in every case.
//   - user and port: a value the spec gives (src/spec leaves them absent unless the owner wrote
//     them) wins, like `ssh -l user -p port` beats the config; an absent one comes from the
//     config's User / Port, else the defaults root and 22. (OpenSSH's own default user is the
//     local user name; on a fresh VPS the login is root far more often, hence root.)
//   - ProxyJump / ProxyCommand are not supported: a config that sets them for the host is
//     reported in `unsupported` so the caller can say so instead of failing obscurely.
//
// `Match exec` criteria are never evaluated (no shell runs while reading a config).
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';

export const DEFAULT_SSH_USER = 'root';
export const DEFAULT_SSH_PORT = 22;

export interface SshTarget {
  /** The address as the spec wrote it (maybe a config alias). */
  alias: string;
  /** Where the TCP connection goes. */
  hostName: string;
  port: number;
  user: string;
  /** Private key files to try, in order (existing or not: the caller reports missing ones). */
  identityFiles: string[];
  /** True when the key list came from the spec or the config, not from OpenSSH's defaults. */
  identityExplicit: boolean;
  /** Config directives for this host that we do not honour (e.g. ProxyJump). */
  unsupported: string[];
}

export interface ResolveInput {
  address: string;
  user?: string;
  port?: number;
  keyPath?: string;
}

export interface ResolveOptions {
  /** ~/.ssh/config by default; null disables config lookup. */
  configPath?: string | null;
  /** For `~` and %d; the process's home directory by default. */
  home?: string;
  /** For %u; the local user name by default. */
  localUser?: string;
}

export function defaultSshConfigPath(home = homedir()): string {
  return join(home, '.ssh', 'config');
}

/** Reads and computes the config for a host; empty when there is no config file. */
export function lookupSshConfig(host: string, configPath: string | null): Record<string, string | string[]> {
  if (configPath === null || !existsSync(configPath)) return {};
  const config = SSHConfig.parse(readFileSync(configPath, 'utf8'));
  return config.compute(host, { ignoreCase: true, matchExec: false });
}

export function resolveSshTarget(input: ResolveInput, options: ResolveOptions = {}): SshTarget {
  const home = options.home ?? homedir();
  const localUser = options.localUser ?? safeLocalUser();
  const configPath = options.configPath === undefined ? defaultSshConfigPath(home) : options.configPath;
  const computed = lookupSshConfig(input.address, configPath);

  const hostName = expandTokens(first(computed.hostname) ?? input.address, { h: input.address });

  const user = input.user ?? first(computed.user) ?? DEFAULT_SSH_USER;

  const configPort = Number(first(computed.port) ?? Number.NaN);
  const port =
    input.port ??
    (Number.isInteger(configPort) && configPort > 0 && configPort < 65536 ? configPort : DEFAULT_SSH_PORT);

  const tokens = { h: hostName, d: home, u: localUser, r: user, p: String(port) };
  let identityFiles: string[];
  let identityExplicit = true;
  if (input.keyPath !== undefined && input.keyPath !== '') {
    identityFiles = [expandPath(input.keyPath, home, tokens)];
  } else {
    const fromConfig = all(computed.identityfile).filter((file) => file.toLowerCase() !== 'none');
    if (fromConfig.length > 0) {
      identityFiles = fromConfig.map((file) => expandPath(file, home, tokens));
    } else {
      identityExplicit = false;
      identityFiles = ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => join(home, '.ssh', name)).filter(existsSync);
    }
  }

  const unsupported = ['proxyjump', 'proxycommand'].filter((key) => {
    const value = first(computed[key]);
    return value !== undefined && value.toLowerCase() !== 'none';
  });

  return { alias: input.address, hostName, port, user, identityFiles, identityExplicit, unsupported };
}

/** `~` / `~/x` → home; then OpenSSH % tokens. */
export function expandPath(path: string, home: string, tokens: Record<string, string> = {}): string {
  const expanded = expandTokens(path, { d: home, ...tokens });
  if (expanded === '~') return home;
  if (expanded.startsWith('~/')) return join(home, expanded.slice(2));
  return expanded;
}

function expandTokens(text: string, tokens: Record<string, string>): string {
  return text.replace(/%(.)/g, (match, letter: string) => {
    if (letter === '%') return '%';
    return tokens[letter] ?? match;
  });
}

function first(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function safeLocalUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}
