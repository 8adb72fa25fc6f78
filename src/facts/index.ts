// Node facts and preflight: what a node is, and whether it can take its role in the spec.
export type { Arch, InstalledTool, ListeningPort, NodeFacts, ResolverKind } from './types.js';
export { GATHER_SCRIPT, GATHER_SCRIPT_VERSION, WATCHED_PORTS } from './gather-script.js';
export { looksLikeFacts, parseFacts, versionIn } from './parse.js';
export { FactsError, GATHER_TIMEOUT_MS, gatherFacts, skewOf } from './gather.js';
export {
  CONTROL_PLANE_AVAILABLE_MIB,
  CONTROL_PLANE_MIN_CPUS,
  CONTROL_PLANE_MIN_MIB,
  DISK_FAIL_MIB,
  DISK_WARN_FREE_PERCENT,
  DISK_WARN_MIB,
  MAX_CLOCK_SKEW_MS,
  NODE_MIN_MIB,
  ONE_GB_CLASS_MIB,
  SUPPORTED_OS,
  WORKER_AVAILABLE_MIB,
  formatFacts,
  formatFinding,
  formatVerdict,
  ignorePreflightErrors,
  preflight,
} from './preflight.js';
export type { Finding, FindingLevel, PreflightError, Verdict } from './preflight.js';
