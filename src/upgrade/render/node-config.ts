// A worker's `kubeadm upgrade node`: it downloads the cluster's kubelet-config ConfigMap and writes
// /var/lib/kubelet/config.yaml from it. That ConfigMap holds no per-node settings, so the patches
// directory is passed again: without it a small worker's kubelet loses its reservations, maxPods
// and swap settings, and with swap on and failSwapOn back at its default it does not start at all.
// The kubelet patch is written afresh from the node's facts (what `apply` writes at the join).
import { renderKubeletPatch } from '../../install/render/kubeadm-config.js';
import { checkNodeName, KUBELET_PATCH_PATH, PATCHES_DIR, script, shd, step, type StepScripts } from '../../install/render/script.js';
import { nodeReader, reportedVersion, targetVersion } from './common.js';

export interface NodeConfigInput {
  nodeName: string;
  memTotalMiB: number;
  resolvedStub: boolean;
  /** The upgrade's minor, "1.37". */
  minor: string;
}

export function upgradeNodeStep(input: NodeConfigInput): StepScripts {
  checkNodeName(input.nodeName);
  return step({
    describe: `Upgrade ${input.nodeName}'s kubelet configuration: kubeadm upgrade node, with its kubelet patch`,
    files: [{ path: KUBELET_PATCH_PATH, content: renderKubeletPatch({ memTotalMiB: input.memTotalMiB, role: 'worker', resolvedStub: input.resolvedStub }), mode: 0o644, secret: false }],
    probe: script(
      shd`
      # Done once the node runs the new kubelet (restarted after this step).
      ${targetVersion(input.minor)}
      ${reportedVersion(input.nodeName)}
      [ "$reported" = "$target" ] || exit 1
      exit 0`,
      [nodeReader('kubelet')],
    ),
    action: script(shd`kubeadm upgrade node --patches ${PATCHES_DIR}`),
  });
}
