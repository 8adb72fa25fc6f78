'use strict';
// YAML as kubectl, kubeadm and helm read it: go-yaml v2 through sigs.k8s.io/yaml, i.e. YAML 1.1
// scalars with Go's number syntax, decoded into plain values and then into typed objects whose
// string fields refuse anything but a string. Shared by the kubectl and kubeadm doubles and by
// test/workloads/kube-yaml.test.ts (what the double receives, read the way the real tools read it).
//
// Plain scalars (gopkg.in/yaml.v2 resolve.go): "", ~, null, Null, NULL are null; y, Y, yes, Yes,
// YES, on, On, ON, true, True, TRUE (and n, no, off, false ...) are booleans; after removing "_",
// whatever Go's strconv.ParseInt(s, 0, 64) accepts is an int (017 and 0o17 octal, 0x1F, 0b101,
// +5) and whatever matches [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? is a float; .inf,
// .nan forms are floats. Timestamps stay strings when decoded into interface{} (yaml.v2 keeps them
// as text for compatibility); there is no sexagesimal. Quoted scalars are always strings.
const YAML = require('yaml');

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']);
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const INF = /^[-+]?\.(?:inf|Inf|INF)$/;
const NAN = /^\.(?:nan|NaN|NAN)$/;

/** Go's ParseInt(s, 0, 64) for a text GO_INT accepts: 0x, 0o, 0b and a leading 0 (octal). */
function goInt(text) {
  const negative = text.startsWith('-');
  const digits = text.replace(/^[-+]/, '');
  const js = /^0[0-7]+$/.test(digits) ? `0o${digits.slice(1)}` : digits.replace(/^0O/, '0o').replace(/^0X/, '0x').replace(/^0B/, '0b');
  const n = BigInt(js);
  return Number(negative ? -n : n);
}

/** The value go-yaml gives a plain (unquoted) scalar. */
function resolvePlain(text) {
  if (NULLS.has(text)) return null;
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  if (INF.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (NAN.test(text)) return NaN;
  if (/^[-+.0-9]/.test(text)) {
    const bare = text.replace(/_/g, '');
    if (GO_INT.test(bare)) return goInt(bare);
    if (GO_FLOAT.test(bare)) return Number(bare);
  }
  return text;
}

// One tag per plain-scalar type, all defaults, so that the yaml library resolves every plain
// scalar the way go-yaml does (the core schema's own null/bool/int/float tags are replaced).
const PLAIN_TAGS = [
  { tag: 'tag:yaml.org,2002:null', test: /^(?:|~|null|Null|NULL)$/ },
  { tag: 'tag:yaml.org,2002:bool', test: /^(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|[Tt]rue|TRUE|[Ff]alse|FALSE)$/ },
  { tag: 'tag:yaml.org,2002:float', test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/ },
  { tag: 'tag:yaml.org,2002:int', test: /^[-+0-9][-+0-9_xXoObBa-fA-F]*$/, when: (t) => GO_INT.test(t.replace(/_/g, '')) },
  { tag: 'tag:yaml.org,2002:float', test: /^[-+.0-9][-+.0-9_eE]*$/, when: (t) => GO_FLOAT.test(t.replace(/_/g, '')) },
].map(({ tag, test, when }) => ({
  tag,
  default: true,
  // The yaml library tries tags in order with `test`; `when` narrows the broad patterns.
  test: when ? { test: (s) => test.test(s) && when(s) } : test,
  resolve: (text) => resolvePlain(text),
  identify: () => false,
}));

const PARSE_OPTIONS = {
  version: '1.1',
  schema: 'failsafe',
  customTags: PLAIN_TAGS,
  uniqueKeys: false,
  merge: false,
};

/**
 * Documents of a stream as go-yaml decodes them into interface{} (then JSON: keys become
 * strings); `texts` holds each document's own text.
 */
function parseStream(text) {
  const docs = [];
  const texts = [];
  // libyaml's reader refuses raw DEL and C1 controls, and takes NEL, LS and PS for line breaks.
  const control = /[\x7f-\x84\x86-\x9f\ufffe\uffff]/.exec(text);
  if (control) return { error: `yaml: control characters are not allowed (0x${control[0].charCodeAt(0).toString(16)})`, docs, texts };
  text = text.replace(/[\x85\u2028\u2029]/g, '\n');
  for (const d of YAML.parseAllDocuments(text, PARSE_OPTIONS)) {
    if (d.errors.length) return { error: d.errors[0].message, docs, texts };
    docs.push(toJson(d.toJS({ maxAliasCount: 100 })));
    texts.push(text.slice(d.range[0], d.range[2])); // as written: these tags cannot write YAML back
  }
  return { docs, texts };
}

/** sigs.k8s.io/yaml converts keys to strings (true -> "true", 1 -> "1") on the way to JSON. */
function toJson(v) {
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Map) return Object.fromEntries([...v].map(([key, val]) => [String(key), toJson(val)]));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([key, val]) => [key, toJson(val)]));
  return v;
}

function podSpecs(o) {
  const spec = o.spec ?? {};
  switch (o.kind) {
    case 'Pod': return [['.spec', spec]];
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return [['.spec.template.spec', spec.template?.spec ?? {}]];
    case 'CronJob': return [['.spec.jobTemplate.spec.template.spec', spec.jobTemplate?.spec?.template?.spec ?? {}]];
    default: return [];
  }
}

function describeValue(v) {
  return `&value.valueUnstructured{Value:${v === null ? '<nil>' : typeof v === 'string' ? JSON.stringify(v) : String(v)}}`;
}

/**
 * Fields the API server types as strings (a subset: what hobbykube sends). Returns the first
 * problem as the server's typed-patch error says it, or undefined.
 */
function stringFieldProblem(o) {
  const problems = [];
  const str = (path, v) => { if (v !== undefined && typeof v !== 'string') problems.push(`${path}: expected string, got ${describeValue(v)}`); };
  const strMap = (path, m) => { if (m && typeof m === 'object') for (const [key, v] of Object.entries(m)) str(`${path}.${key}`, v); };
  const md = o.metadata ?? {};
  str('.metadata.name', md.name);
  str('.metadata.namespace', md.namespace);
  strMap('.metadata.labels', md.labels);
  strMap('.metadata.annotations', md.annotations);
  if (o.kind === 'ConfigMap') strMap('.data', o.data);
  if (o.kind === 'Secret') { strMap('.data', o.data); strMap('.stringData', o.stringData); }
  for (const [at, spec] of podSpecs(o)) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      const cp = `${at}.containers[name=${JSON.stringify(c.name)}]`;
      str(`${cp}.image`, c.image);
      (c.command ?? []).forEach((w, i) => str(`${cp}.command[${i}]`, w));
      (c.args ?? []).forEach((w, i) => str(`${cp}.args[${i}]`, w));
      for (const e of c.env ?? []) { str(`${cp}.env[name=${JSON.stringify(e.name)}].name`, e.name); str(`${cp}.env[name=${JSON.stringify(e.name)}].value`, e.value); }
    }
  }
  return problems[0];
}

module.exports = { parseStream, resolvePlain, stringFieldProblem, PARSE_OPTIONS };
