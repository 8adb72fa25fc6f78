// The wizard's screens in order and their titles: what the step bar shows, what a draft
// remembers, and where "back" goes. Pure data, shared by the flow, the drafts and both front ends.
export type ScreenId = 'welcome' | 'nodes' | 'dns' | 'ingress' | 'workloads' | 'review';

export const SCREENS: readonly ScreenId[] = ['welcome', 'nodes', 'dns', 'ingress', 'workloads', 'review'];

export const SCREEN_TITLES: Record<ScreenId, string> = {
  welcome: 'Welcome',
  nodes: 'Nodes',
  dns: 'DNS',
  ingress: 'Domains & TLS',
  workloads: 'Workloads',
  review: 'Review',
};

export function isScreenId(value: unknown): value is ScreenId {
  return typeof value === 'string' && (SCREENS as readonly string[]).includes(value);
}
