// `hobbykube exec NAME -- CMD...`: the command in one of the workload's containers (src/apps/pods.ts
// picks it), through kubectl on the control plane. From a terminal it is interactive: a pty for
// this SSH session only and `kubectl exec -t` (stderr then arrives with stdout, as in any
// terminal); elsewhere stdin is passed on and stdout and stderr stay apart. The exit status is the
// command's own.
import { containerOf, execPod } from '../../apps/pods.js';
import { execScript } from '../../apps/commands.js';
import { controlPlaneOf } from '../../install/plan.js';
import { UsageError } from '../errors.js';
import type { Context } from '../context.js';
import { openSession } from '../session.js';
import { choosePods, target, writer } from './logs.js';

export async function run(context: Context): Promise<number> {
  const t = target(context, 'hobbykube exec NAME -- COMMAND [ARGS...]');
  const command = context.rest;
  if (command.length === 0) throw new UsageError(`missing the command: put it after "--", such as hobbykube exec ${t.workload.name} -- sh`, 'exec');
  const tty = context.stdinIsTTY && context.stdout.isTTY && process.stdin.isTTY === true;
  const session = openSession(context, t.spec);
  const stdin = process.stdin;
  try {
    const host = await session.host(controlPlaneOf(t.spec).name);
    if (!host.stream) throw new Error('the transport cannot stream');
    const [pod] = await choosePods(host, t, execPod);
    if (tty) stdin.setRawMode(true);
    const onResize = (listener: (rows: number, cols: number) => void) => {
      const handler = () => listener(process.stdout.rows, process.stdout.columns);
      process.stdout.on('resize', handler);
      return () => process.stdout.off('resize', handler);
    };
    return await host.stream(execScript(pod!, containerOf(t.workload), command, tty), {
      sudo: true,
      input: stdin,
      stdout: writer(context.stdout),
      stderr: writer(context.stderr),
      ...(tty ? { pty: { rows: process.stdout.rows || 24, cols: process.stdout.columns || 80, term: process.env.TERM ?? 'xterm-256color' }, onResize } : {}),
    });
  } finally {
    if (tty) stdin.setRawMode(false);
    stdin.pause();
    stdin.unref?.();
    await session.close();
  }
}
