// Tests that need something from the machine say so through these options, never with a bare
// `.skip`/`.skipIf`: when a requirement is missing the tests are skipped *with the reason*, which
// the closing summary prints (test/support/count-reporter.ts). `npm test` installs or demands
// everything first (scripts/test-prereqs.sh), so there a skip means something is wrong; running
// vitest by hand as a plain user skips the host tests and says why.
//
//   describe('...', requires(hostsMissing()), () => { ... });
//   it.each(scripts)('%s passes shellcheck', requires(shellcheckMissing()), (name, text) => { ... });
import { spawnSync } from 'node:child_process';
import type { TestOptions } from 'vitest';
import { missingPrerequisites } from '../hosts/harness.js';

declare module 'vitest' {
  interface TaskMeta {
    /** Why the test was skipped (set by `requires`, printed by the count reporter). */
    skipReason?: string;
  }
}

const INSTALL_HINT = 'npm test installs what is missing when run as root (scripts/test-prereqs.sh)';

function tool(name: string, args: string[] = ['--version']): string | undefined {
  return spawnSync(name, args, { stdio: 'ignore' }).status === 0 ? undefined : `${name} is not installed; ${INSTALL_HINT}`;
}

/** A check that looks once per test file and remembers its answer. */
function once(find: () => string | undefined): () => string | undefined {
  let reason: string | undefined | null = null;
  return () => {
    if (reason === null) reason = find();
    return reason;
  };
}

/** Why shellcheck cannot run here, or undefined when it can. */
export const shellcheckMissing = once(() => tool('shellcheck'));

/** Why tmux cannot run here, or undefined when it can. */
export const tmuxMissing = once(() => tool('tmux', ['-V']));

/**
 * Why the sshd test hosts cannot run here, or undefined when they can. With CI set a missing
 * piece is an error, not a skip: the file fails and says what is missing.
 */
export function hostsMissing(): string | undefined {
  const missing = missingPrerequisites();
  if (missing.length === 0) return undefined;
  const reason = `sshd test hosts cannot run here, missing: ${missing.join(', ')}; ${INSTALL_HINT}`;
  if (process.env.CI) throw new Error(reason);
  return reason;
}

/** Why the real gpg cannot run here, or undefined when it can. */
export const gpgMissing = once(() => tool('gpg'));

const netnsReason = once(() => {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces need it)');
  for (const [name, args] of [['ip', ['-V']], ['nft', ['--version']], ['unshare', ['--version']]] as const) {
    if (spawnSync(name, [...args], { stdio: 'ignore' }).status !== 0) missing.push(name);
  }
  return missing.length === 0 ? undefined : `network namespace tests cannot run here, missing: ${missing.join(', ')}; ${INSTALL_HINT}`;
});
/**
 * Why a test cannot build its own network namespaces and load nftables rulesets into them (root,
 * iproute2's ip, nftables' nft, util-linux's unshare), or undefined when it can. With CI set a
 * missing piece is an error, as for the hosts.
 */
export function netnsMissing(): string | undefined {
  const reason = netnsReason();
  if (reason !== undefined && process.env.CI) throw new Error(reason);
  return reason;
}

/** describe/it options: skipped, with the reasons recorded, when any requirement is missing. */
export function requires(...reasons: Array<string | undefined>): TestOptions {
  const missing = reasons.filter((r): r is string => r !== undefined);
  return missing.length === 0 ? {} : { skip: true, meta: { skipReason: missing.join('; ') } };
}
