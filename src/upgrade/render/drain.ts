// Taking a worker out and back in, on the control plane: drain before its kubelet changes,
// uncordon after it reports the new version and is Ready. One node at a time: the drain refuses
// while any other node is cordoned, and the uncordon refuses a node whose upgrade did not finish.
// hobbykube makes no PodDisruptionBudgets, so on a small cluster every eviction is granted; pods
// without room elsewhere stay Pending until the node is back (the plan says which, beforehand).
import { raw } from '../../shell/quote.js';
import { checkNodeName, SHELL_HELPERS, script, shd, step, type StepScripts } from '../../install/render/script.js';
import { nodeReader, reportedVersion, targetVersion } from './common.js';

/** How long a drain may take before kubectl gives up (evictions on a few small pods take seconds; a guess with room). */
export const DRAIN_TIMEOUT_SECONDS = 300;

export function drainStep(nodeName: string, minor: string): StepScripts {
  checkNodeName(nodeName);
  return step({
    describe: `Drain ${nodeName} (its pods move to the other nodes, or wait for it)`,
    probe: script(
      shd`
      ${targetVersion(minor)}
      ${reportedVersion(nodeName)}
      cordoned=$(kn get node ${nodeName} -o jsonpath='{.spec.unschedulable}' 2>/dev/null) || exit 1
      if [ "$cordoned" != true ]; then
        # Schedulable: done only when its upgrade is over (it was uncordoned after it).
        if [ "$reported" = "$target" ]; then exit 0; fi
        exit 1
      fi
      # Cordoned: drained when nothing but DaemonSet (and mirror) pods is left on it.
      kinds=$(kn get pods -A --field-selector ${'spec.nodeName=' + nodeName} -o jsonpath='{.items[*].metadata.ownerReferences[0].kind}' 2>/dev/null) || exit 1
      for kind in $kinds; do
        case $kind in DaemonSet | Node) ;; *) exit 1 ;; esac
      done
      exit 0`,
      [nodeReader('admin')],
    ),
    action: script(
      shd`
      # One node at a time: never drain while another node is cordoned.
      others=$(kc get nodes --no-headers | awk -v me=${nodeName} '$1 != me && $2 ~ /SchedulingDisabled/ { print $1 }')
      if [ -n "$others" ]; then
        echo "not draining ${nodeName}: $(echo "$others" | paste -sd ' ') already cordoned (SchedulingDisabled)." >&2
        echo "hobbykube drains one node at a time: finish that node's upgrade, or uncordon it (kubectl uncordon NODE), then rerun." >&2
        exit 1
      fi
      kc drain ${nodeName} --ignore-daemonsets --delete-emptydir-data --timeout=${`${DRAIN_TIMEOUT_SECONDS}s`}`,
      [SHELL_HELPERS.kubectl],
    ),
  });
}

export function uncordonStep(nodeName: string, minor: string): StepScripts {
  checkNodeName(nodeName);
  return step({
    describe: `Uncordon ${nodeName} (it runs pods again)`,
    probe: script(
      shd`
      # Done when schedulable and upgraded (before the upgrade, every node is schedulable: not done).
      ${targetVersion(minor)}
      ${reportedVersion(nodeName)}
      [ "$reported" = "$target" ] || exit 1
      cordoned=$(kn get node ${nodeName} -o jsonpath='{.spec.unschedulable}' 2>/dev/null) || exit 1
      if [ "$cordoned" = true ]; then exit 1; fi
      exit 0`,
      [nodeReader('admin')],
    ),
    action: script(
      shd`
      target=$(kubeadm version -o short)
      ${reportedVersion(nodeName)}
      ready=$(kn get node ${nodeName} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)
      if [ "$reported" != "$target" ] || [ "$ready" != True ]; then
        echo "${nodeName} reports kubelet \${reported:-unknown}, Ready \${ready:-unknown}; expected $target and Ready." >&2
        echo "Its upgrade did not finish, so it stays cordoned: rerun 'hobbykube upgrade' once the cause is fixed." >&2
        exit 1
      fi
      kc uncordon ${nodeName}`,
      [SHELL_HELPERS.kubectl, nodeReader('admin')],
    ),
  });
}

/** Waits (on the control plane) until the node is Ready and reports the new kubelet version. */
export function waitUpgradedStep(nodeName: string, minor: string, timeoutSeconds = 300): StepScripts {
  checkNodeName(nodeName);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new Error(`not a timeout: ${timeoutSeconds}`);
  const check = shd`
    ${reportedVersion(nodeName)}
    ready=$(kn get node ${nodeName} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)`;
  return step({
    describe: `Wait until ${nodeName} is Ready with the new kubelet`,
    probe: script(
      shd`
      ${targetVersion(minor)}
      ${raw(check)}
      [ "$reported" = "$target" ] && [ "$ready" = True ] && exit 0
      exit 1`,
      [nodeReader('admin')],
    ),
    action: script(
      shd`
      target=$(kubeadm version -o short)
      for _ in $(seq 1 ${timeoutSeconds / 2}); do
        ${raw(check.split('\n').join('\n  '))}
        if [ "$reported" = "$target" ] && [ "$ready" = True ]; then
          echo "${nodeName} is Ready with kubelet $target"
          exit 0
        fi
        sleep 2
      done
      echo "${nodeName} is not Ready with kubelet $target after ${`${timeoutSeconds}`} s: it reports kubelet \${reported:-unknown}, Ready \${ready:-unknown}." >&2
      echo "On ${nodeName}: systemctl status kubelet; journalctl -u kubelet -n 50" >&2
      exit 1`,
      [nodeReader('admin')],
    ),
  });
}
