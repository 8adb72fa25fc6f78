// A small observable state holder for the flows the screens draw (the wizard, the rerun menu):
// `getState` and `subscribe` fit React's useSyncExternalStore; every change notifies at once.
export class Observable<S extends object> {
  private readonly listeners = new Set<() => void>();

  constructor(protected state: S) {}

  getState = (): S => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  protected update(patch: Partial<S>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}
