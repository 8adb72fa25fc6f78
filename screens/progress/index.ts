export { liveDisplay, type LiveDisplayOptions } from './display.js';
export { mountProgressView, type MountOptions, type MountedView } from './mount.js';
export { ProgressView, useStoreState, type ProgressViewProps, type ProgressIntent } from './ProgressView.js';
export { WorkloadsTable, workloadHealth, workloadRow } from './WorkloadsTable.js';
export { colorFromEnv } from '../common/color.js';
