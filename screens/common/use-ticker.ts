// The clock of a live view: `now` and a frame count that advance every `tickMs` while `active`,
// and stop (with one last reading of the clock) when it is not.
import { useEffect, useState } from 'react';

export function useTicker(active: boolean, tickMs: number, clock: () => number): { now: number; frame: number } {
  const [tick, setTick] = useState(() => ({ now: clock(), frame: 0 }));
  useEffect(() => {
    if (!active) {
      setTick((t) => ({ now: clock(), frame: t.frame }));
      return;
    }
    const timer = setInterval(() => setTick((t) => ({ now: clock(), frame: t.frame + 1 })), tickMs);
    return () => clearInterval(timer);
  }, [active, tickMs, clock]);
  return tick;
}
