// The step that gives a linked workload its database and MySQL user (src/workloads/database.ts has
// the names, the Secret and the SQL):
//
//   <cp>/database-user-<workload>
//     probe  the workload's user logs in to its database with its password (from secrets.yaml, on
//            stdin) inside the database's pod: done. Anything else (no pod yet, no user, another
//            password): run.
//     run    wait until the database's StatefulSet is ready (first start initialises MySQL), then
//            send the SQL on stdin to the mysql client in the pod, logged in as root with the
//            container's own MYSQL_ROOT_PASSWORD, then log in as the user to check.
//
// Both go through `kubectl exec -i` on the control plane: the mysql client runs inside the database
// container that is already there (no Job, no image pull, no pod to schedule on a small node; the
// client's few MiB count against that container's limit). Passwords travel only on stdin (SSH →
// kubectl → the container) and sit in a 0600 option file inside the container for the client's
// lifetime; no command line holds one.
import { ADMIN_CONF, script, shd } from '../install/render/script.js';
import { exitFailure, QUICK_TIMEOUT_MS, runQuick, StepFailure, type Step, type StepContext } from '../install/step.js';
import { raw } from '../shell/quote.js';
import { mysqlNames } from '../spec/rules.js';
import type { DatabaseWorkload, Workload } from '../spec/types.js';
import type { SecretValues } from '../state/secrets.js';
import { formatDuration } from '../text/duration.js';
import { userSql } from './database.js';
import { parseLists } from './kubectl.js';
import { NAMESPACE, NAME_LABEL } from './labels.js';
import { RolloutTracker } from './rollout.js';

/** Inside the database container: log in as root with the container's MYSQL_ROOT_PASSWORD; SQL on stdin. */
export const CONTAINER_ROOT_SCRIPT = [
  'set -e',
  'umask 077',
  'f=$(mktemp)',
  `trap 'rm -f "$f"' EXIT`,
  `printf '[client]\\nuser=root\\npassword="%s"\\n' "$MYSQL_ROOT_PASSWORD" >"$f"`,
  'mysql --defaults-extra-file="$f" --protocol=socket',
].join('\n');

/** Inside the database container: log in as user $1 to database $2 with the password on stdin's first line. */
export const CONTAINER_LOGIN_SCRIPT = [
  'set -e',
  'umask 077',
  'IFS= read -r password',
  'f=$(mktemp)',
  `trap 'rm -f "$f"' EXIT`,
  `printf '[client]\\nuser=%s\\npassword="%s"\\n' "$1" "$password" >"$f"`,
  `mysql --defaults-extra-file="$f" --protocol=tcp --host=127.0.0.1 --database="$2" --execute='SELECT 1' >/dev/null`,
].join('\n');

/** The database's pod: its StatefulSet has one replica, so it is NAME-0. */
export const databasePod = (database: string): string => `${database}-0`;

export interface DatabaseUserStepInput {
  cp: string;
  workload: Exclude<Workload, DatabaseWorkload>;
  database: DatabaseWorkload;
  secrets: SecretValues;
  after: string[];
  /** How long the database may take to become ready (first start: MySQL initialises its data). */
  readyTimeoutMs?: number;
  pollMs?: number;
}

export function databaseUserStep(input: DatabaseUserStepInput): Step {
  const { cp, workload, database } = input;
  const { database: dbName, user } = mysqlNames(workload.name);
  const pod = databasePod(database.name);
  const exec = `kubectl --kubeconfig ${ADMIN_CONF} exec -i -n ${NAMESPACE} ${pod} -c mysql --`;
  const login = script(shd`${raw(exec)} sh -c ${CONTAINER_LOGIN_SCRIPT} sh ${user} ${dbName}`);
  const create = script(shd`${raw(exec)} sh -c ${CONTAINER_ROOT_SCRIPT}`);
  const status = script(shd`
    kubectl --kubeconfig ${ADMIN_CONF} get statefulset ${database.name} -n ${NAMESPACE} -o json
    kubectl --kubeconfig ${ADMIN_CONF} get pods -n ${NAMESPACE} -l ${`${NAME_LABEL}=${database.name}`} -o json
  `);
  const readyTimeoutMs = input.readyTimeoutMs ?? 10 * 60_000;
  const password = (): string => {
    const value = input.secrets.databaseUsers[database.name]?.[workload.name];
    if (value === undefined) throw new StepFailure(`no password for ${workload.name}'s user on ${database.name} in secrets.yaml`);
    return value;
  };
  const canLogIn = async (ctx: StepContext): Promise<boolean> => {
    const value = password();
    ctx.redactor.add(value);
    const result = await runQuick(await ctx.host(cp), login, { stdin: `${value}\n` });
    return result.code === 0;
  };
  const waitReady = async (ctx: StepContext, output: (line: string, stream: 'stdout' | 'stderr') => void): Promise<void> => {
    const tracker = new RolloutTracker([`StatefulSet/${database.name}`]);
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      const result = await runQuick(await ctx.host(cp), status);
      if (result.code !== 0) throw exitFailure(ctx, `could not read ${database.name}'s status (exit code ${result.code})`, result);
      const items = parseLists(result.stdout);
      const progress = tracker.update({ workloads: items.filter((i) => i.kind === 'StatefulSet'), pods: items.filter((i) => i.kind === 'Pod'), timeMs: Date.now() });
      for (const line of progress.lines) output(line, 'stdout');
      if (progress.failures.length > 0) throw new StepFailure(`${database.name} did not start: ${progress.failures.join('; ')}`, undefined, progress.failures);
      if (progress.done) return;
      if (Date.now() >= deadline) throw new StepFailure(`${database.name} was not ready after ${formatDuration(readyTimeoutMs)}`, undefined, progress.lines);
      await new Promise((resolve) => setTimeout(resolve, input.pollMs ?? 3000));
    }
  };
  return {
    id: `${cp}/database-user-${workload.name}`,
    node: cp,
    title: `Give ${workload.name} its own database ${dbName} and user ${user} on ${database.name}`,
    after: input.after,
    timeoutMs: readyTimeoutMs + QUICK_TIMEOUT_MS * 3,
    retry: true,
    artifacts: [
      { name: 'probe.sh', content: `${login}# stdin: the user's password\n` },
      { name: 'status.sh', content: status },
      { name: 'action.sh', content: `${create}# stdin: the statements below, with the password\n` },
      { name: 'statements.sql', content: userSql(workload.name, '[redacted]') },
      { name: 'container-login.sh', content: `${CONTAINER_LOGIN_SCRIPT}\n` },
      { name: 'container-root.sh', content: `${CONTAINER_ROOT_SCRIPT}\n` },
    ],
    async probe(ctx) {
      return (await canLogIn(ctx)) ? { done: true, reason: `${user} logs in to ${dbName} on ${database.name}` } : { done: false, reason: '' };
    },
    async run(ctx, output) {
      await waitReady(ctx, output);
      const value = password();
      ctx.redactor.add(value);
      const result = await runQuick(await ctx.host(cp), create, { stdin: userSql(workload.name, value) });
      if (result.code !== 0) throw exitFailure(ctx, `could not create ${workload.name}'s user on ${database.name} (exit code ${result.code})`, result);
      if (!(await canLogIn(ctx))) throw new StepFailure(`${user} still cannot log in to ${dbName} on ${database.name} after creating it`);
      output(`database ${dbName} and user ${user} ready on ${database.name} (nothing is ever dropped or revoked)`, 'stdout');
    },
  };
}
