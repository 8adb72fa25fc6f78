// Database links (pure): `database: mysql` on a worker, app or cron job gives that workload a
// database and a MySQL user of its own on that database workload, never root.
//
//   names      database and user = the workload's name with "-" as "_" (src/spec/rules.ts mysqlNames)
//   password   generated once (src/workloads/secrets.ts), kept in secrets.yaml under databaseUsers
//   Secret     <workload>-database: DATABASE_URL, DATABASE_HOST, DATABASE_PORT, DATABASE_NAME,
//              DATABASE_USER, DATABASE_PASSWORD; the pods read them with secretKeyRef, first in the
//              env list, so the owner's own env values may use $(DATABASE_USER) and the like
//   URL        mysql2://USER:PASSWORD@DB.default.svc.cluster.local:3306/NAME: Rails reads its adapter
//              from the scheme (mysql2), as Kamal's accessories do; user and password URL-encoded.
//              Tools that want mysql:// build it from the discrete variables.
//   SQL        CREATE DATABASE IF NOT EXISTS, CREATE USER IF NOT EXISTS ... IDENTIFIED BY ...
//              ATTRIBUTE (marks the user as hobbykube's), ALTER USER (the password follows
//              secrets.yaml), GRANT ALL ON db.*: sent on stdin to the mysql client inside the
//              database's own pod (kubectl exec), which logs in as root with the container's
//              MYSQL_ROOT_PASSWORD from a 0600 option file: no pod of its own, no password in any
//              command line. Nothing is ever dropped or revoked.
import { DATABASE_ENV, mysqlNames } from '../spec/rules.js';
import type { ClusterSpec, DatabaseWorkload, Workload } from '../spec/types.js';
import { NAMESPACE, objectLabels } from './labels.js';
import type { K8sObject } from './templates.js';

export const MYSQL_PORT = 3306;
export const databaseSecretName = (workload: string): string => `${workload}-database`;

/** The workloads that link a database, with it. */
export function databaseLinks(spec: ClusterSpec): Array<{ workload: Exclude<Workload, DatabaseWorkload>; database: DatabaseWorkload }> {
  const databases = new Map(spec.spec.workloads.filter((w): w is DatabaseWorkload => w.kind === 'database').map((d) => [d.name, d]));
  return spec.spec.workloads.flatMap((w) => {
    if (w.kind === 'database' || w.database === undefined) return [];
    const database = databases.get(w.database);
    return database ? [{ workload: w, database }] : [];
  });
}

/** The database Service's name inside the cluster. */
export const databaseHost = (database: string): string => `${database}.${NAMESPACE}.svc.cluster.local`;

/** The values of a link's Secret. */
export function databaseEnv(database: string, workload: string, password: string): Record<(typeof DATABASE_ENV)[number], string> {
  const { database: name, user } = mysqlNames(workload);
  const host = databaseHost(database);
  return {
    DATABASE_URL: `mysql2://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${MYSQL_PORT}/${encodeURIComponent(name)}`,
    DATABASE_HOST: host,
    DATABASE_PORT: String(MYSQL_PORT),
    DATABASE_NAME: name,
    DATABASE_USER: user,
    DATABASE_PASSWORD: password,
  };
}

/** The pod's env entries reading a link's Secret (first in the container's env list). */
export function databaseEnvRefs(workload: string): Array<Record<string, unknown>> {
  return DATABASE_ENV.map((name) => ({ name, valueFrom: { secretKeyRef: { name: databaseSecretName(workload), key: name } } }));
}

/** The Secret of one link; `password` undefined: "[redacted]" values for printing. */
export function databaseSecret(cluster: string, database: string, workload: string, password: string | undefined, redacted: string): K8sObject {
  const values = databaseEnv(database, workload, password ?? redacted);
  const obj: K8sObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: databaseSecretName(workload), namespace: NAMESPACE, labels: objectLabels(cluster, workload) },
    type: 'Opaque',
  };
  if (password === undefined) obj.stringData = Object.fromEntries(Object.keys(values).map((k) => [k, redacted]));
  else obj.data = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
  return obj;
}

/** A MySQL string literal: quote doubled, backslash escaped (the server's default sql_mode). */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A MySQL identifier in backquotes. */
export function sqlIdentifier(value: string): string {
  return `\`${value.replace(/`/g, '``')}\``;
}

/** The statements that make (or keep) a link's database and user; idempotent. */
export function userSql(workload: string, password: string): string {
  const { database, user } = mysqlNames(workload);
  const account = `${sqlString(user)}@'%'`;
  const attribute = sqlString(JSON.stringify({ managedBy: 'hobbykube', workload }));
  return [
    `CREATE DATABASE IF NOT EXISTS ${sqlIdentifier(database)};`,
    `CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ${sqlString(password)} ATTRIBUTE ${attribute};`,
    `ALTER USER ${account} IDENTIFIED BY ${sqlString(password)};`,
    `GRANT ALL PRIVILEGES ON ${sqlIdentifier(database)}.* TO ${account};`,
    '',
  ].join('\n');
}
