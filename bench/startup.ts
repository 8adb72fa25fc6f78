// Benchmark row 1 (not a test): start-up of the built CLI (bin/hobbykube.js -> dist/) against a
// bare `node -e 0`, measured side by side (interleaved, so both see the same machine noise),
// median of RUNS each.
//   --help:        spawn -> exit of `node bin/hobbykube.js --help`   vs spawn -> exit of `node -e 0`
//   first frame:   in a pseudo-terminal (`script -qfc`), spawn -> the wizard's first frame text
//                  ("Cluster name", after ANSI codes are stripped) in an empty folder
//                                                                    vs spawn -> exit of `node -e 0`
//                  under the same `script -qfc` (so the pty's own cost is in both)
// Run alone: node --import tsx bench/startup.ts
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { median } from './cluster.js';

const CLI = fileURLToPath(new URL('../bin/hobbykube.js', import.meta.url));
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 10);

/** ms from spawn until `until` text is seen on stdout (or until exit when undefined). */
function timeTo(cmd: string, args: string[], until: string | undefined, cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
    let seen = '';
    let done = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')}: no "${until}" within 20 s: ${JSON.stringify(stripVTControlCharacters(seen).slice(-300))}`));
    }, 20_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      seen += s;
      if (!done && until !== undefined && stripVTControlCharacters(seen).includes(until)) {
        done = true;
        const ms = performance.now() - t0;
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(ms);
      }
    });
    child.on('exit', () => {
      if (done) return;
      clearTimeout(timer);
      if (until === undefined) resolve(performance.now() - t0);
      else reject(new Error(`${cmd} exited before "${until}": ${JSON.stringify(stripVTControlCharacters(seen).slice(-300))}`));
    });
  });
}

export interface StartupRow {
  case: string;
  medianMs: number;
  baselineMedianMs: number;
  ratio: number;
  runs: number;
}

export async function startup(): Promise<StartupRow[]> {
  const cwd = mkdtempSync(join(tmpdir(), 'hk-bench-start-'));
  const env = { PATH: process.env.PATH, HOME: cwd, TERM: 'xterm-256color', HOBBYKUBE_HOME: join(cwd, 'state'), LANG: 'C.UTF-8' };
  const inPty = (command: string) => ['-qfc', `stty cols 100 rows 30; exec ${command}`, '/dev/null'];
  // A killed wizard leaves a draft behind: every wizard run gets a fresh state folder.
  let fresh = 0;
  const wizardEnv = () => ({ ...env, HOBBYKUBE_HOME: join(cwd, `state-${++fresh}`) });
  const help: number[] = [];
  const bare: number[] = [];
  const frame: number[] = [];
  const barePty: number[] = [];
  // One warm-up of each (disk cache), not counted.
  await timeTo(process.execPath, [CLI, '--help'], undefined, cwd, env);
  await timeTo('script', inPty(`${process.execPath} ${CLI}`), 'Cluster name', cwd, wizardEnv());
  for (let i = 0; i < RUNS; i++) {
    bare.push(await timeTo(process.execPath, ['-e', '0'], undefined, cwd, env));
    help.push(await timeTo(process.execPath, [CLI, '--help'], undefined, cwd, env));
    barePty.push(await timeTo('script', inPty(`${process.execPath} -e 0`), undefined, cwd, env));
    frame.push(await timeTo('script', inPty(`${process.execPath} ${CLI}`), 'Cluster name', cwd, wizardEnv()));
  }
  return [
    { case: '--help to exit', medianMs: median(help), baselineMedianMs: median(bare), ratio: median(help) / median(bare), runs: RUNS },
    { case: 'first wizard frame (pty)', medianMs: median(frame), baselineMedianMs: median(barePty), ratio: median(frame) / median(barePty), runs: RUNS },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await startup(), null, 2));
}
