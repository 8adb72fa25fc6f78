// Waiting until a node reports Ready (runs on the control plane).
import { SHELL_HELPERS, checkNodeName, script, shd, step, type StepScripts } from './script.js';

export function waitReadyStep(nodeName: string, timeoutSeconds = 300): StepScripts {
  checkNodeName(nodeName);
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds <= 0) throw new Error(`not a timeout: ${timeoutSeconds}`);
  return step({
    describe: `Wait until node ${nodeName} is Ready`,
    probe: script(
      shd`
      status=$(kq get node ${nodeName} -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) || exit 1
      [ "$status" = True ] || exit 1
      exit 0`,
      [SHELL_HELPERS.kubectlQuick],
    ),
    action: script(
      shd`
      for _ in $(seq 1 30); do
        if kc get node ${nodeName} >/dev/null 2>&1; then break; fi
        sleep 2
      done
      kc wait --for=condition=Ready ${'node/' + nodeName} --timeout=${timeoutSeconds}s`,
      [SHELL_HELPERS.kubectl],
    ),
  });
}
