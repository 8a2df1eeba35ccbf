// Staggered chart updates. Each recharts chart costs tens of milliseconds to update on a slow
// machine; when one batch of training events changes several charts at once, rendering them in
// one task makes a long task. A staggered component keeps showing its previous props and applies
// new ones (and its first props) through a shared queue that renders ONE component per macrotask (flushSync inside a
// setTimeout job), so input events and paints get in between.
import { memo, useEffect, useRef, useState, type ComponentType } from 'react';
import { flushSync } from 'react-dom';

const queue: (() => void)[] = [];
let pumping = false;

function pump(): void {
  const job = queue.shift();
  if (!job) {
    pumping = false;
    return;
  }
  job();
  setTimeout(pump, 0);
}

function enqueue(job: () => void): void {
  queue.push(job);
  if (!pumping) {
    pumping = true;
    setTimeout(pump, 0);
  }
}

function dequeue(job: () => void): void {
  const i = queue.indexOf(job);
  if (i >= 0) queue.splice(i, 1);
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a) as (keyof typeof a)[];
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is(a[k], b[k]));
}

/** Wrap a component so that prop changes reach it through the shared one-per-task queue. */
export function staggered<P extends object>(Inner: ComponentType<P>): ComponentType<P> {
  const Shown = memo(Inner);
  const inner = Inner as ComponentType<P> & { type?: { name?: string } };
  const name = inner.displayName ?? (inner.name || inner.type?.name) ?? 'Component';
  function Staggered(props: P) {
    // Even the first render goes through the queue: mounting a chart is its most expensive update.
    const [shown, setShown] = useState<P | null>(null);
    const latest = useRef(props);
    latest.current = props;
    const pending = useRef<(() => void) | null>(null);
    const mounted = useRef(true);
    useEffect(() => {
      if (pending.current || (shown !== null && shallowEqual(latest.current, shown))) return;
      // The job reads the newest props when it runs, so a queued update is never stale.
      const job = () => {
        pending.current = null;
        if (!mounted.current) return;
        const started = performance.now();
        flushSync(() => setShown(latest.current));
        // A user-timing entry per chart update, so a trace (or the e2e test) can see what each costs.
        performance.measure(`chart update: ${name}`, { start: started, end: performance.now() });
      };
      pending.current = job;
      enqueue(job);
    });
    useEffect(() => {
      mounted.current = true;
      return () => {
        mounted.current = false;
        if (pending.current) dequeue(pending.current);
        pending.current = null;
      };
    }, []);
    return shown === null ? <div className="stagger-placeholder" aria-busy="true" /> : <Shown {...shown} />;
  }
  Staggered.displayName = `Staggered(${name})`;
  return Staggered;
}
