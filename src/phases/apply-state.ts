// The state of `apply` (and of add-worker, which applies for one worker): the shared flow state
// plus what the owner asked for and what the capacity check decided.
import type { EncryptionKey } from '../state/encryption-keys.js';
import type { RollingStrategy, WorkloadMemory } from '../workloads/index.js';
import type { FlowState } from './flow.js';

export interface ApplyOptions {
  /** Only these workers are surveyed and planned (add-worker); the other workers are read (facts) and get one step, their firewall's allowed nodes. */
  workers?: string[];
  /** The question asked before running. */
  question?: string;
  /** Also delete objects hobbykube made that the spec no longer has (the caller has asked the owner). */
  prune?: boolean;
}

export interface ApplyState extends FlowState {
  readonly options: ApplyOptions;
  /** Per workload: surge or not (the capacity check, after the owner accepted maxSurge 0). */
  strategies?: Map<string, RollingStrategy>;
  /** Per workload: its memory request and limit (the capacity check). */
  memory?: Map<string, WorkloadMemory>;
  /** The keys Secrets are encrypted with at rest, the first one writing (encryption-keys.ts). */
  encryptionKeys?: EncryptionKey[];
}
