'use strict';
// The fake MySQL server's state (used by fake-mysql.cjs, the clients, and pod-runtime.cjs, which
// starts servers): one JSON file in the server's data directory. A server is initialized once, with
// the root password its pod was started with, as the mysql image's entrypoint does on first start
// with an empty /var/lib/mysql; after that the password in the pod's environment no longer matters.
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const STATE = 'hobbykube-fake-mysqld/state.json';
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');

function stateFile(dataDir) { return path.join(dataDir, STATE); }

function load(dataDir) {
  try { return JSON.parse(fs.readFileSync(stateFile(dataDir), 'utf8')); } catch { return undefined; }
}

function save(dataDir, state) {
  const file = stateFile(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 1), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** First start of a server on an empty data directory; a no-op when it was initialized before. */
function initialize(dataDir, rootPassword, version) {
  const existing = load(dataDir);
  if (existing) return existing;
  const state = { version, rootSha256: sha256(rootPassword), databases: {} };
  save(dataDir, state);
  return state;
}

module.exports = { load, save, initialize, sha256, stateFile };
