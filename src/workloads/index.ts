// Workloads and add-ons: rendering, capacity check, apply and rollout steps.
export * from './labels.js';
export * from './templates.js';
export * from './render.js';
export * from './mysql.js';
export * from './addons.js';
export * from './capacity.js';
export * from './secrets.js';
export * from './rollout.js';
export * from './kubectl.js';
export * from './prune.js';
export * from './apply.js';
export * from './memory.js';
export * from './dump.js';
