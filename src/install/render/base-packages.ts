// The few base packages the later steps need (apt over HTTPS, curl, gpg).
import { SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';

const BASE_PACKAGES = ['ca-certificates', 'curl', 'gpg', 'apt-transport-https'];

export function basePackagesStep(): StepScripts {
  return step({
    describe: `Install ${BASE_PACKAGES.join(', ')}`,
    probe: script(
      shd`
      for package in ${BASE_PACKAGES}; do installed "$package" || exit 1; done
      exit 0`,
      [SHELL_HELPERS.installed],
    ),
    action: script(
      shd`
      apt_update
      apt_get install -y --no-install-recommends ${BASE_PACKAGES}`,
      [SHELL_HELPERS.apt],
    ),
  });
}
