import { it } from 'vitest';
import { startHosts } from '/work/wt/i16/test/hosts/harness.js';
import { runCli } from '/work/wt/i16/test/support/cli.js';
import { writeBedSpec } from '/work/wt/i16/test/install/support.js';
it('dbg', async () => {
  const bed = await startHosts([{ name: 'cp1', os: 'ubuntu-24.04', resolvedStub: true, memTotalMb: 1970 }, { name: 'w1', os: 'debian-12', memTotalMb: 970, cpus: 1 }]);
  try {
    const spec = writeBedSpec(bed);
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    console.log(r.code, r.stdout.split('\n').filter(l => /irewall|nft|Open ports|nodes only|anyone|The nodes/.test(l)).join('\n'), r.stderr.slice(-3000));
  } finally { await bed.stop(); }
}, 600000);
