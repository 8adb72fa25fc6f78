'use strict';
// mysql and mysqldump doubles: the clients of the MySQL image, run inside a fake pod
// (pod-runtime.cjs), against a fake server whose whole state is one JSON file in the server's data
// directory (`<datadir>/hobbykube-fake-mysqld/state.json`). The data directory is the database
// pod's /var/lib/mysql: a hostPath on its node's disk, so resetting the node's disk loses it.
//
// What is modeled, as the real tools do it:
// - connecting: no --host (or localhost) is the local socket, i.e. the server of the pod the
//   client runs in (its /var/lib/mysql); --host=NAME is a Service of the cluster whose pod runs
//   MySQL (the runtime passes that view in HK_FAKE_MYSQL_SERVERS), otherwise
//   "Unknown MySQL server host". A server is initialized on first use with the root password its
//   pod was started with (MYSQL_ROOT_PASSWORD), as the image's entrypoint does on first start.
// - credentials: [client] user/password from --defaults-extra-file (a pipe such as /dev/fd/63),
//   -u/--user, -p/--password; a wrong password is "Access denied" (ERROR 1045), exit 1.
// - SQL (from -e or standard input): CREATE/DROP DATABASE, USE, CREATE/DROP TABLE, INSERT ...
//   VALUES, SHOW DATABASES, SHOW TABLES, SELECT COUNT(*)/* FROM t; SET, LOCK/UNLOCK TABLES,
//   ALTER TABLE ... DISABLE/ENABLE KEYS, transactions and FLUSH are accepted and change nothing.
//   Comments are skipped; /*!NNNNN ... */ version comments are executed, as MySQL 8 does. The
//   first failing statement stops the client with "ERROR <code> (<state>) at line <n>: ...".
//   Tables keep their CREATE TABLE text as given and their rows as the VALUES tuples given.
// - mysqldump: the real layout of a dump with --databases and --add-drop-database (header,
//   session variables, per database DROP/CREATE DATABASE and USE, per table DROP/CREATE TABLE and
//   one extended INSERT), with "-- Dump completed" (and a date unless --skip-dump-date); databases
//   and tables in name order. Loading a dump and dumping again gives the same bytes.
// Every call is recorded on the host the pod's kubectl ran on, with the pod and its node
// (HK_POD, HK_POD_NODE); the defaults file (which holds the password) is never recorded.
const fs = require('node:fs');
const path = require('node:path');
const k = require('./k8s-common.cjs');
const mysqld = require('./fake-mysqld.cjs');

const tool = path.basename(process.argv[1]);
const args = process.argv.slice(2);
k.begin(tool, args, { ...(process.env.HK_POD ? { pod: process.env.HK_POD, node: process.env.HK_POD_NODE } : {}) });

const VERSION = (() => {
  const tag = String(process.env.HK_IMAGE ?? '').split(':')[1] ?? '';
  return /^\d+\.\d+\.\d+$/.test(tag) ? tag : /^\d+\.\d+$/.test(tag) ? `${tag}.6` : '8.4.6';
})();
const SYSTEM_DATABASES = ['information_schema', 'mysql', 'performance_schema', 'sys'];

// ---- options -------------------------------------------------------------------------------------
const VALUE_OPTS = new Set(['defaults-extra-file', 'defaults-file', 'user', 'password', 'host', 'port', 'execute', 'protocol', 'default-character-set', 'socket', 'set-gtid-purged', 'max-allowed-packet', 'result-file']);
const SHORT = { u: 'user', p: 'password', h: 'host', P: 'port', e: 'execute', N: 'skip-column-names', B: 'batch', r: 'result-file' };
const FLAGS = {
  mysql: new Set(['skip-column-names', 'batch', 'silent', 'force', 'binary-mode', 'no-auto-rehash', 'raw']),
  mysqldump: new Set(['single-transaction', 'quick', 'hex-blob', 'routines', 'events', 'triggers', 'skip-dump-date', 'add-drop-database', 'databases', 'all-databases', 'no-tablespaces', 'opt', 'skip-lock-tables', 'lock-tables', 'flush-privileges', 'compact', 'skip-comments']),
};

function fail(code, message) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const opt = { flags: new Set(), positional: [] };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  let m;
  if ((m = /^--([a-z-]+)(?:=(.*))?$/s.exec(a))) {
    const name = m[1];
    if (VALUE_OPTS.has(name)) {
      if (m[2] !== undefined) opt[name] = m[2];
      else if (name === 'password') opt.password = ''; // --password alone would prompt: no terminal here
      else if (i + 1 < args.length) opt[name] = args[++i];
      else fail(tool === 'mysql' ? 7 : 1, `${tool}: [ERROR] option '--${name}' requires an argument.`);
    } else if (FLAGS[tool].has(name)) opt.flags.add(name);
    else fail(tool === 'mysql' ? 7 : 1, `${tool}: [ERROR] unknown option '--${name}'.`);
  } else if ((m = /^-([A-Za-z])(.*)$/s.exec(a))) {
    const name = SHORT[m[1]];
    if (!name) fail(tool === 'mysql' ? 7 : 1, `${tool}: [ERROR] unknown option '-${m[1]}'.`);
    if (VALUE_OPTS.has(name)) opt[name] = m[2] !== '' ? m[2] : name === 'password' ? '' : args[++i];
    else opt.flags.add(name);
  } else opt.positional.push(a);
}

// [client] options from the defaults file (a pipe the caller made with <(...)); never recorded.
if (opt['defaults-extra-file'] !== undefined) {
  let text;
  try { text = fs.readFileSync(opt['defaults-extra-file'], 'utf8'); } catch (e) {
    fail(1, `${tool}: [ERROR] Could not open required defaults file: ${opt['defaults-extra-file']}\n${tool}: [ERROR] Fatal error in defaults handling. Program aborted!`);
  }
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[([^\]]+)\]$/.exec(line);
    if (s) { section = s[1].trim(); continue; }
    if (section !== 'client' && section !== tool) continue;
    const kv = /^([A-Za-z_-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    let value = kv[2].trim();
    if (/^".*"$|^'.*'$/.test(value)) value = value.slice(1, -1);
    const key = kv[1].replace(/_/g, '-');
    if (key === 'user' && opt.user === undefined) opt.user = value;
    if (key === 'password' && opt.password === undefined) opt.password = value;
    if (key === 'host' && opt.host === undefined) opt.host = value;
  }
}

// ---- the server -----------------------------------------------------------------------------------
const user = opt.user ?? 'root';
const local = opt.host === undefined || opt.host === 'localhost';
const clientAddress = local ? 'localhost' : (process.env.HK_POD_IP ?? '10.244.1.2');

function serverDir() {
  if (local) {
    if (!fs.existsSync('/var/lib/mysql')) {
      fail(tool === 'mysql' ? 1 : 2, tool === 'mysql'
        ? "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)"
        : "mysqldump: Got error: 2002: Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2) when trying to connect");
    }
    return '/var/lib/mysql';
  }
  let servers = {};
  try { servers = JSON.parse(process.env.HK_FAKE_MYSQL_SERVERS ?? '{}'); } catch { /* none */ }
  const dir = servers[opt.host];
  if (!dir) {
    fail(tool === 'mysql' ? 1 : 2, tool === 'mysql'
      ? `ERROR 2005 (HY000): Unknown MySQL server host '${opt.host}' (-2)`
      : `mysqldump: Got error: 2005: Unknown MySQL server host '${opt.host}' (-2) when trying to connect`);
  }
  return dir;
}

const dir = serverDir();
// The local server is the pod's own: started (initialized) with the pod's root password if new.
const state = local && process.env.MYSQL_ROOT_PASSWORD ? mysqld.initialize(dir, process.env.MYSQL_ROOT_PASSWORD, VERSION) : mysqld.load(dir);
if (!state) {
  fail(tool === 'mysql' ? 1 : 2, `${tool === 'mysql' ? 'ERROR 2003 (HY000)' : 'mysqldump: Got error: 2003'}: Can't connect to MySQL server on '${opt.host ?? 'localhost'}:3306' (111)`);
}
if (user !== 'root' || opt.password === undefined || mysqld.sha256(opt.password) !== state.rootSha256) {
  const using = opt.password === undefined || opt.password === '' ? 'NO' : 'YES';
  const message = `Access denied for user '${user}'@'${clientAddress}' (using password: ${using})`;
  fail(tool === 'mysql' ? 1 : 2, tool === 'mysql' ? `ERROR 1045 (28000): ${message}` : `mysqldump: Got error: 1045: ${message} when trying to connect`);
}

// ---- SQL ------------------------------------------------------------------------------------------
/** Statements of a script: split on ';' outside quotes and comments; version comments kept as code. */
function statements(sql) {
  const out = [];
  let cur = '';
  let line = 1;
  let startLine = 1;
  let quote = '';
  let inVersionComment = false;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i];
    if (cur.trim() === '') startLine = line;
    if (ch === '\n') line += 1;
    if (quote) {
      cur += ch;
      if (ch === '\\' && quote !== '`') { cur += sql[++i] ?? ''; continue; }
      if (ch === quote) {
        if (sql[i + 1] === quote) { cur += sql[++i]; continue; }
        quote = '';
      }
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') { quote = ch; cur += ch; continue; }
    if (ch === '-' && sql[i + 1] === '-' && /[\s]/.test(sql[i + 2] ?? '\n')) {
      while (i < sql.length && sql[i] !== '\n') i++;
      line += 1;
      continue;
    }
    if (ch === '#') { while (i < sql.length && sql[i] !== '\n') i++; line += 1; continue; }
    if (ch === '/' && sql[i + 1] === '*') {
      if (sql[i + 2] === '!') {
        i += 3;
        while (/\d/.test(sql[i] ?? '')) i++;
        i -= 1;
        inVersionComment = true;
        cur += ' ';
        continue;
      }
      const end = sql.indexOf('*/', i + 2);
      const skipped = sql.slice(i, end < 0 ? sql.length : end + 2);
      line += (skipped.match(/\n/g) ?? []).length;
      i = end < 0 ? sql.length : end + 1;
      cur += ' ';
      continue;
    }
    if (ch === '*' && sql[i + 1] === '/' && inVersionComment) { inVersionComment = false; i++; cur += ' '; continue; }
    if (ch === ';') {
      if (cur.trim() !== '') out.push({ text: cur.trim(), line: startLine });
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim() !== '') out.push({ text: cur.trim(), line: startLine });
  return out;
}

const ID = '(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)';
const unquote = (id) => (id.startsWith('`') ? id.slice(1, -1).replace(/``/g, '`') : id);
const quoteId = (id) => `\`${id.replace(/`/g, '``')}\``;

/** The top-level parenthesized groups of a VALUES list, as written: "(1,'a')". */
function tuples(text) {
  const out = [];
  let depth = 0;
  let start = -1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') { i++; continue; }
      if (ch === quote) { if (text[i + 1] === quote) { i++; continue; } quote = ''; }
      continue;
    }
    if (ch === "'" || ch === '"') { quote = ch; continue; }
    if (ch === '(') { if (depth === 0) start = i; depth++; continue; }
    if (ch === ')') {
      depth--;
      if (depth === 0) out.push(text.slice(start, i + 1));
      if (depth < 0) return undefined;
      continue;
    }
    if (depth === 0 && !/[\s,]/.test(ch)) return undefined;
  }
  return depth === 0 && quote === '' ? out : undefined;
}

/** A tuple's values for SELECT output: strings unquoted, NULL as NULL. */
function fields(tuple) {
  const inner = tuple.slice(1, -1);
  const out = [];
  let cur = '';
  let quote = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (quote) {
      if (ch === '\\') { const n = inner[++i]; cur += n === 'n' ? '\n' : n === 't' ? '\t' : n === '0' ? '\0' : n; continue; }
      if (ch === quote) { if (inner[i + 1] === quote) { cur += ch; i++; continue; } quote = ''; continue; }
      cur += ch;
      continue;
    }
    if (ch === "'" || ch === '"') { quote = ch; continue; }
    if (ch === ',') { out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur.trim());
  return out;
}

class SqlError extends Error {
  constructor(code, sqlState, message) { super(message); this.code = code; this.sqlState = sqlState; }
}
const syntax = (text) => new SqlError(1064, '42000', `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${text.slice(0, 80)}' at line 1`);

let current = opt.positional[0];
const output = [];
const skipNames = opt.flags.has('skip-column-names');

function db(name) {
  if (name === undefined) throw new SqlError(1046, '3D000', 'No database selected');
  const d = state.databases[name];
  if (!d) throw new SqlError(1049, '42000', `Unknown database '${name}'`);
  return d;
}
function table(dbName, name) {
  const t = db(dbName).tables[name];
  if (!t) throw new SqlError(1146, '42S02', `Table '${dbName}.${name}' doesn't exist`);
  return t;
}
function result(header, rows) {
  if (!skipNames) output.push(header.join('\t'));
  for (const r of rows) output.push(r.join('\t'));
}

function execute(text) {
  let m;
  const t = text.replace(/\s+/g, ' ').trim();
  if ((m = new RegExp(`^CREATE DATABASE (IF NOT EXISTS )?${ID}`, 'i').exec(t))) {
    const name = unquote(m[2]);
    if (state.databases[name] || SYSTEM_DATABASES.includes(name)) {
      if (m[1]) return;
      throw new SqlError(1007, 'HY000', `Can't create database '${name}'; database exists`);
    }
    state.databases[name] = { tables: {} };
    return;
  }
  if ((m = new RegExp(`^DROP DATABASE (IF EXISTS )?${ID}$`, 'i').exec(t))) {
    const name = unquote(m[2]);
    if (SYSTEM_DATABASES.includes(name)) throw new SqlError(3552, 'HY000', `Access to system schema '${name}' is rejected.`);
    if (!state.databases[name]) { if (m[1]) return; throw new SqlError(1008, 'HY000', `Can't drop database '${name}'; database doesn't exist`); }
    delete state.databases[name];
    if (current === name) current = undefined;
    return;
  }
  if ((m = new RegExp(`^USE ${ID}$`, 'i').exec(t))) { db(unquote(m[1])); current = unquote(m[1]); return; }
  if ((m = new RegExp(`^DROP TABLE (IF EXISTS )?${ID}$`, 'i').exec(t))) {
    const d = db(current);
    const name = unquote(m[2]);
    if (!d.tables[name]) { if (m[1]) return; throw new SqlError(1051, '42S02', `Unknown table '${current}.${name}'`); }
    delete d.tables[name];
    return;
  }
  if ((m = new RegExp(`^CREATE TABLE (IF NOT EXISTS )?${ID} ?\\(`, 'i').exec(t))) {
    const d = db(current);
    const name = unquote(m[2]);
    if (d.tables[name]) { if (m[1]) return; throw new SqlError(1050, '42S01', `Table '${name}' already exists`); }
    d.tables[name] = { create: text.trim(), rows: [] };
    return;
  }
  if ((m = new RegExp(`^INSERT INTO ${ID} ?(\\([^)]*\\) ?)?VALUES ?`, 'i').exec(t))) {
    const tbl = table(current, unquote(m[1]));
    const values = /\bVALUES\s*/i.exec(text);
    const groups = tuples(text.slice(values.index + values[0].length));
    if (!groups || groups.length === 0) throw syntax(text);
    tbl.rows.push(...groups);
    return;
  }
  if (/^(SET |LOCK TABLES |UNLOCK TABLES$|START TRANSACTION|BEGIN$|COMMIT$|ROLLBACK$|FLUSH )/i.test(t)) return;
  if ((m = new RegExp(`^ALTER TABLE ${ID} (DISABLE|ENABLE) KEYS$`, 'i').exec(t))) { table(current, unquote(m[1])); return; }
  if (/^SHOW DATABASES$/i.test(t)) return result(['Database'], [...SYSTEM_DATABASES, ...Object.keys(state.databases)].sort().map((d) => [d]));
  if (/^SHOW TABLES$/i.test(t)) return result([`Tables_in_${current}`], Object.keys(db(current).tables).sort().map((x) => [x]));
  if ((m = new RegExp(`^SELECT (COUNT\\(\\*\\)|\\*) FROM (?:${ID}\\.)?${ID}$`, 'i').exec(t))) {
    const tbl = table(m[2] ? unquote(m[2]) : current, unquote(m[3]));
    if (m[1] === '*') return result(['*'], tbl.rows.map(fields));
    return result(['COUNT(*)'], [[String(tbl.rows.length)]]);
  }
  if ((m = /^SELECT (\d+)$/i.exec(t))) return result([m[1]], [[m[1]]]);
  throw syntax(text);
}

// ---- mysqldump --------------------------------------------------------------------------------------
function dump() {
  let names;
  if (opt.flags.has('all-databases')) names = Object.keys(state.databases);
  else if (opt.flags.has('databases')) names = opt.positional;
  else names = opt.positional.slice(0, 1);
  if (names.length === 0) fail(1, 'Usage: mysqldump [OPTIONS] database [tables]\nOR     mysqldump [OPTIONS] --databases DB1 [DB2 DB3...]\nOR     mysqldump [OPTIONS] --all-databases\nFor more options, use mysqldump --help');
  for (const n of names) if (!state.databases[n]) fail(2, `mysqldump: Got error: 1049: Unknown database '${n}' when selecting the database`);
  const lines = [
    `-- MySQL dump 10.13  Distrib ${VERSION}, for Linux (x86_64)`,
    '--',
    `-- Host: ${opt.host ?? 'localhost'}    Database: ${names.length === 1 ? names[0] : ''}`,
    '-- ------------------------------------------------------',
    `-- Server version\t${state.version}`,
    '',
    '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
    '/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;',
    '/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;',
    '/*!50503 SET NAMES utf8mb4 */;',
    '/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;',
    "/*!40103 SET TIME_ZONE='+00:00' */;",
    '/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;',
    '/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;',
    "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
    '/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;',
  ];
  const withDbs = opt.flags.has('databases') || opt.flags.has('all-databases');
  for (const name of [...names].sort()) {
    if (withDbs) {
      lines.push('', '--', `-- Current Database: ${quoteId(name)}`, '--', '');
      if (opt.flags.has('add-drop-database')) lines.push(`/*!40000 DROP DATABASE IF EXISTS ${quoteId(name)}*/;`, '');
      lines.push(`CREATE DATABASE /*!32312 IF NOT EXISTS*/ ${quoteId(name)} /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */;`, '', `USE ${quoteId(name)};`);
    }
    const tables = state.databases[name].tables;
    for (const t of Object.keys(tables).sort()) {
      const { create, rows } = tables[t];
      lines.push('', '--', `-- Table structure for table ${quoteId(t)}`, '--', '', `DROP TABLE IF EXISTS ${quoteId(t)};`,
        '/*!40101 SET @saved_cs_client     = @@character_set_client */;', '/*!50503 SET character_set_client = utf8mb4 */;',
        `${create};`, '/*!40101 SET character_set_client = @saved_cs_client */;', '', '--', `-- Dumping data for table ${quoteId(t)}`, '--', '',
        `LOCK TABLES ${quoteId(t)} WRITE;`, `/*!40000 ALTER TABLE ${quoteId(t)} DISABLE KEYS */;`);
      if (rows.length > 0) lines.push(`INSERT INTO ${quoteId(t)} VALUES ${rows.join(',')};`);
      lines.push(`/*!40000 ALTER TABLE ${quoteId(t)} ENABLE KEYS */;`, 'UNLOCK TABLES;');
    }
  }
  lines.push(
    '/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;',
    '',
    '/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;',
    '/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;',
    '/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;',
    '/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;',
    '/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;',
    '/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;',
    '/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;',
    '',
    opt.flags.has('skip-dump-date') ? '-- Dump completed' : `-- Dump completed on ${new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')}`,
    '',
  );
  process.stdout.write(lines.join('\n'));
}

if (tool === 'mysqldump') {
  dump();
  process.exit(0);
}

const sql = opt.execute !== undefined ? opt.execute : k.readStdin();
for (const s of statements(sql)) {
  try {
    execute(s.text);
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    mysqld.save(dir, state); // what ran before the failing statement stays, as with autocommit
    if (output.length) process.stdout.write(`${output.join('\n')}\n`);
    fail(1, `ERROR ${e.code} (${e.sqlState}) at line ${s.line}: ${e.message}`);
  }
}
mysqld.save(dir, state);
if (output.length) process.stdout.write(`${output.join('\n')}\n`);
