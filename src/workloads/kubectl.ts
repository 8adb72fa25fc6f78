// kubectl as the workload steps run it on the control plane (server-side apply with hobbykube as
// the field manager), and the parser of what `kubectl get -o json` prints.
import { quote } from '../shell/quote.js';
import { ADMIN_CONF } from '../install/render/script.js';

export const FIELD_MANAGER = 'hobbykube';
// hobbykube's own command text; the one interpolated value goes through the quoting helper.
export const KUBECTL = `kubectl --kubeconfig ${quote(ADMIN_CONF)}`;
export const APPLY_COMMAND = `${KUBECTL} apply --server-side --field-manager=${FIELD_MANAGER} --force-conflicts -f -`;
export const DIFF_COMMAND = `${KUBECTL} diff --server-side --field-manager=${FIELD_MANAGER} --force-conflicts -f -`;

/** Items of one or more concatenated `kubectl get -o json` outputs. */
export function parseLists(stdout: string): Array<Record<string, unknown>> {
  const items: Array<Record<string, unknown>> = [];
  // Each `kubectl get -o json` prints one JSON document; split on top-level objects.
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < stdout.length; i++) {
    const ch = stdout[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0 && start >= 0) {
        const doc = JSON.parse(stdout.slice(start, i + 1)) as { kind?: string; items?: Array<Record<string, unknown>> };
        if (Array.isArray(doc.items)) items.push(...doc.items);
        else items.push(doc as Record<string, unknown>);
        start = -1;
      }
    }
  }
  return items;
}
