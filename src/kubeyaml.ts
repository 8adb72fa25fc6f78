// YAML for Kubernetes tools (kubectl, kubeadm, helm, a kubeconfig): every string reaches them
// as the same string. They read YAML 1.1 through go-yaml (sigs.k8s.io/yaml), where plain `yes`,
// `on`, `y` and `off` are booleans, `012` and `0o17` are octal numbers, `1_000` and `0x1F`
// numbers, `~` null. The `yaml` library writes for YAML 1.2 and leaves those unquoted, so an
// environment value "on" arrived as `value: on`, a boolean, and the API server refused the
// Deployment (issue 12). Here a string is written plain only when a YAML 1.1 reader, a YAML 1.2
// reader and go-yaml's number syntax would all read it back as that same string; otherwise it is
// double-quoted. Keys get the same treatment (a Secret key named ON stays "ON").
import { Document, parseDocument, Scalar, visit } from 'yaml';

const OPTIONS = { lineWidth: 0 } as const;

// go-yaml v2 reads a plain scalar that Go's strconv.ParseInt(s, 0, 64) or its float pattern
// accepts as a number, after dropping underscores: that covers 0o17, -0o17, 0b101, 1_000, 0x1F,
// 017, +5, 1e3, .5 (gopkg.in/yaml.v2 resolve.go). Some of these no YAML schema calls a number.
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

// Characters YAML 1.1 readers (libyaml, go-yaml) will not take raw: DEL and the C1 controls are
// "control characters are not allowed", and NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are line
// breaks there (not in YAML 1.2). JSON.stringify, which the yaml library's double-quoted style
// builds on, leaves them raw: a string holding one is double-quoted and they are escaped after.
const RAW_UNSAFE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const RAW_UNSAFE_ALL = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;
const ESCAPES: Record<string, string> = { '\x85': '\\N', '\u2028': '\\L', '\u2029': '\\P' };
const escapeRaw = (ch: string): string => ESCAPES[ch] ?? (ch.charCodeAt(0) < 0x100 ? `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

const verdicts = new Map<string, boolean>();

function readsBack(text: string, version: '1.1' | '1.2'): boolean {
  try {
    const doc = parseDocument(text, { version, prettyErrors: false });
    if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
    return doc.toJS() === text;
  } catch {
    return false; // an alias to nothing, a directive ...
  }
}

/** True when `text` may be written as a plain scalar for any Kubernetes tool. */
export function plainIsSafe(text: string): boolean {
  const known = verdicts.get(text);
  if (known !== undefined) return known;
  const bare = text.replace(/_/g, '');
  const safe =
    text !== '<<' && // go-yaml's merge key
    !RAW_UNSAFE.test(text) &&
    !GO_INT.test(bare) &&
    !GO_FLOAT.test(bare) &&
    readsBack(text, '1.1') &&
    readsBack(text, '1.2');
  if (verdicts.size < 10_000) verdicts.set(text, safe);
  return safe;
}

/** Marks every string under `node` that may not be written plain to be double-quoted. */
export function quoteForKube(node: Parameters<typeof visit>[0]): void {
  visit(node, {
    Scalar(_key, scalar: Scalar) {
      if (typeof scalar.value === 'string' && !plainIsSafe(scalar.value)) scalar.type = Scalar.QUOTE_DOUBLE;
    },
  });
}

/**
 * One document, every string written so that YAML 1.1 and 1.2 readers see the same string. The
 * characters of RAW_UNSAFE occur only inside double-quoted scalars (quoteForKube put every string
 * holding one there), where their escapes mean the same character to every reader.
 */
export function kubeYaml(value: unknown): string {
  const doc = new Document(value);
  quoteForKube(doc);
  return doc.toString(OPTIONS).replace(RAW_UNSAFE_ALL, escapeRaw);
}

/** A multi-document stream of `kubeYaml` documents. */
export function kubeYamlStream(values: readonly unknown[]): string {
  return values.map((v) => kubeYaml(v)).join('---\n');
}
