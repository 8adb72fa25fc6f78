'use strict';
// The mysql client of a simulated MySQL container, talking to that pod's fake server state in
// <cluster>/mysql/<namespace>/<pod>.json. It understands what hobbykube and a person checking by
// hand send: option files (--defaults-extra-file, [client] user/password), -u/-p/-h/-D/-e,
// --protocol, and the statements CREATE DATABASE [IF NOT EXISTS], CREATE USER [IF NOT EXISTS] ...
// IDENTIFIED BY ... [ATTRIBUTE ...], ALTER USER ... IDENTIFIED BY, GRANT ALL [PRIVILEGES] ON db.*
// TO, DROP USER, SHOW DATABASES, SELECT 1, SELECT USER FROM mysql.user. Errors are MySQL's own
// (1045 access denied, 1044 no access to a database, 1049 unknown database, 1227 missing
// privilege, 1064 syntax), exit status 1. The root password is the container's
// MYSQL_ROOT_PASSWORD when the server is first used, as the image's first start sets it.
const fs = require('node:fs');
const path = require('node:path');
const k = require('./k8s-common.cjs');

const args = process.argv.slice(2);
const opts = {};
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  let m;
  if ((m = /^--([\w-]+)=(.*)$/s.exec(a))) opts[m[1].replace(/_/g, '-')] = m[2];
  else if ((m = /^--([\w-]+)$/.exec(a))) {
    const name = m[1].replace(/_/g, '-');
    if (['user', 'host', 'database', 'execute', 'protocol', 'port'].includes(name) && i + 1 < args.length) opts[name] = args[++i];
    else opts[name] = true;
  } else if ((m = /^-([uhDeP])(.*)$/s.exec(a))) {
    const name = { u: 'user', h: 'host', D: 'database', e: 'execute', P: 'port' }[m[1]];
    opts[name] = m[2] !== '' ? m[2] : args[++i];
  } else if ((m = /^-p(.*)$/s.exec(a))) opts.password = m[1];
  else if (!a.startsWith('-') && opts.database === undefined) opts.database = a;
}
const fromStdin = opts.execute === undefined;
const input = fromStdin ? k.readStdin() : String(opts.execute);
k.begin('mysql', args, fromStdin ? { stdin: input } : {});

function fail(code, state, text, line) {
  process.stderr.write(`ERROR ${code} (${state})${line !== undefined && fromStdin ? ` at line ${line}` : ''}: ${text}\n`);
  process.exit(1);
}

// ---- option file
if (opts['defaults-extra-file'] !== undefined) {
  if (args[0] === undefined || !args[0].startsWith('--defaults-extra-file')) {
    process.stderr.write('mysql: [ERROR] unknown option \'--defaults-extra-file\'.\n');
    process.exit(1);
  }
  let text;
  try { text = fs.readFileSync(opts['defaults-extra-file'], 'utf8'); } catch {
    process.stderr.write(`mysql: [ERROR] Could not open required defaults file: ${opts['defaults-extra-file']}\nmysql: [ERROR] Fatal error in defaults handling. Program aborted!\n`);
    process.exit(1);
  }
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) { section = s[1]; continue; }
    if (section !== 'client' && section !== 'mysql') continue;
    const kv = /^([\w-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    let value = kv[2];
    if (/^".*"$/.test(value) || /^'.*'$/.test(value)) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    const key = kv[1].replace(/_/g, '-');
    if (opts[key] === undefined) opts[key] = value;
  }
}

// ---- the server this container runs
const [ns, pod] = String(process.env.HK_POD ?? '').split('/');
const clusterDir = process.env.HK_CLUSTER_DIR;
if (!ns || !pod || !clusterDir) {
  process.stderr.write("ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)\n");
  process.exit(1);
}
const stateFile = path.join(clusterDir, 'mysql', ns, `${pod}.json`);
const SYSTEM = ['information_schema', 'mysql', 'performance_schema', 'sys'];
let server = k.readJson(stateFile, undefined);
if (!server) {
  const root = process.env.MYSQL_ROOT_PASSWORD ?? '';
  server = { users: { 'root@localhost': { password: root }, 'root@%': { password: root } }, databases: [...SYSTEM], grants: {} };
}
const save = () => k.writeJson(stateFile, server);

const user = String(opts.user ?? process.env.USER ?? 'root');
const password = opts.password === undefined || opts.password === true ? '' : String(opts.password);
const socket = opts.protocol === undefined ? opts.host === undefined || opts.host === 'localhost' : String(opts.protocol).toLowerCase() === 'socket';
const clientHost = socket ? 'localhost' : String(opts.host ?? '127.0.0.1');
const account = server.users[`${user}@${clientHost}`] ? `${user}@${clientHost}` : server.users[`${user}@%`] ? `${user}@%` : undefined;
if (!account || server.users[account].password !== password) {
  fail(1045, '28000', `Access denied for user '${user}'@'${clientHost}' (using password: ${password === '' ? 'NO' : 'YES'})`);
}
const isRoot = user === 'root';
const [accountUser, accountHost] = account.split('@');
const mayUse = (db) => isRoot || (server.grants[account] ?? []).includes(db);
if (opts.database !== undefined) {
  const db = String(opts.database);
  if (!mayUse(db)) fail(1044, '42000', `Access denied for user '${accountUser}'@'${accountHost}' to database '${db}'`);
  if (!server.databases.includes(db)) fail(1049, '42000', `Unknown database '${db}'`);
}

// ---- statements
function statements(text) {
  const out = [];
  let cur = '';
  let quote = '';
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (quote) {
      cur += ch;
      if (ch === '\\' && quote !== '`') { cur += text[++i] ?? ''; continue; }
      if (ch === quote) { if (text[i + 1] === quote) { cur += text[++i]; continue; } quote = ''; }
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') { quote = ch; cur += ch; continue; }
    if (ch === ';') { if (cur.trim()) out.push({ sql: cur.trim(), line: startLine }); cur = ''; startLine = line; continue; }
    if (cur.trim() === '' && ch === '\n') startLine = line;
    cur += ch;
  }
  if (cur.trim()) out.push({ sql: cur.trim(), line: startLine });
  return out;
}
const STR = String.raw`'((?:[^'\\]|''|\\.)*)'`;
const IDENT = '(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)';
const unstr = (s) => s.replace(/''/g, "'").replace(/\\(.)/g, (m, c) => ({ n: '\n', t: '\t', 0: '\0' }[c] ?? c));
const unident = (s) => (s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s);
const ACCOUNT = `${STR}@${STR}`;
const needRoot = (what, line) => { if (!isRoot) fail(1227, '42000', `Access denied; you need (at least one of) the ${what} privilege(s) for this operation`, line); };

for (const { sql, line } of statements(input)) {
  let m;
  const s = sql.replace(/\s+/g, ' ');
  if ((m = new RegExp(`^CREATE DATABASE (IF NOT EXISTS )?${IDENT}$`, 'i').exec(s))) {
    needRoot('CREATE', line);
    const db = unident(m[2]);
    if (server.databases.includes(db)) { if (!m[1]) fail(1007, 'HY000', `Can't create database '${db}'; database exists`, line); }
    else server.databases.push(db);
  } else if ((m = new RegExp(`^CREATE USER (IF NOT EXISTS )?${ACCOUNT} IDENTIFIED BY ${STR}(?: ATTRIBUTE ${STR})?$`, 'i').exec(s))) {
    needRoot('CREATE USER', line);
    const key = `${unstr(m[2])}@${unstr(m[3])}`;
    if (server.users[key]) { if (!m[1]) fail(1396, 'HY000', `Operation CREATE USER failed for '${unstr(m[2])}'@'${unstr(m[3])}'`, line); }
    else server.users[key] = { password: unstr(m[4]), ...(m[5] !== undefined ? { attribute: JSON.parse(unstr(m[5])) } : {}) };
  } else if ((m = new RegExp(`^ALTER USER (IF EXISTS )?${ACCOUNT} IDENTIFIED BY ${STR}(?: ATTRIBUTE ${STR})?$`, 'i').exec(s))) {
    needRoot('CREATE USER', line);
    const key = `${unstr(m[2])}@${unstr(m[3])}`;
    if (!server.users[key]) { if (!m[1]) fail(1396, 'HY000', `Operation ALTER USER failed for '${unstr(m[2])}'@'${unstr(m[3])}'`, line); }
    else server.users[key] = { ...server.users[key], password: unstr(m[4]), ...(m[5] !== undefined ? { attribute: JSON.parse(unstr(m[5])) } : {}) };
  } else if ((m = new RegExp(`^GRANT ALL (?:PRIVILEGES )?ON ${IDENT}\\.\\* TO ${ACCOUNT}$`, 'i').exec(s))) {
    needRoot('GRANT OPTION', line);
    const key = `${unstr(m[2])}@${unstr(m[3])}`;
    if (!server.users[key]) fail(1410, '42000', 'You are not allowed to create a user with GRANT', line);
    const db = unident(m[1]);
    server.grants[key] = [...new Set([...(server.grants[key] ?? []), db])];
  } else if ((m = new RegExp(`^DROP USER (IF EXISTS )?${ACCOUNT}$`, 'i').exec(s))) {
    needRoot('CREATE USER', line);
    const key = `${unstr(m[2])}@${unstr(m[3])}`;
    if (!server.users[key] && !m[1]) fail(1396, 'HY000', `Operation DROP USER failed for '${unstr(m[2])}'@'${unstr(m[3])}'`, line);
    delete server.users[key];
    delete server.grants[key];
  } else if (/^SELECT 1$/i.test(s)) {
    process.stdout.write('1\n1\n');
  } else if (/^SHOW DATABASES$/i.test(s)) {
    process.stdout.write(`Database\n${server.databases.filter(mayUse).sort().join('\n')}\n`);
  } else if (/^SELECT (User|user|USER) FROM mysql\.user$/i.test(s)) {
    needRoot('SELECT', line);
    process.stdout.write(`User\n${[...new Set(Object.keys(server.users).map((a) => a.split('@')[0]))].sort().join('\n')}\n`);
  } else {
    fail(1064, '42000', `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${s.slice(0, 40)}' at line 1`, line);
  }
  save();
}
save();
process.exit(0);
