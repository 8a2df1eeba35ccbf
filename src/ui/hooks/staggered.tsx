// Staggered chart updates. Each recharts chart costs tens of milliseconds to update on a slow
// machine; when one batch of training events changes several charts at once, rendering them in
// one task makes a long task. A staggered component keeps showing its previous props and applies
// new ones (its first props too) through a shared queue that updates ONE component at a time.
// The update itself is a React transition, so React renders it in slices of a few milliseconds
// and yields in between; the queue moves on when that component has committed.
import { memo, startTransition, useEffect, useRef, useState, type ComponentType } from 'react';

/** A queued job; a returned promise holds the queue until it settles. */
type Job = () => void | Promise<void>;

const queue: Job[] = [];
let pumping = false;

/** Longest a job may hold the queue (a transition that never commits must not stall the charts). */
const JOB_TIMEOUT_MS = 2000;

async function pump(): Promise<void> {
  const job = queue.shift();
  if (!job) {
    pumping = false;
    return;
  }
  const result = job();
  if (result) await Promise.race([result, new Promise<void>((resolve) => setTimeout(resolve, JOB_TIMEOUT_MS))]);
  setTimeout(() => void pump(), 0);
}

export function enqueue(job: Job): void {
  queue.push(job);
  if (!pumping) {
    pumping = true;
    setTimeout(() => void pump(), 0);
  }
}

export function dequeue(job: Job): void {
  const i = queue.indexOf(job);
  if (i >= 0) queue.splice(i, 1);
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a) as (keyof typeof a)[];
  return ka.length === Object.keys(b).length && ka.every((k) => Object.is(a[k], b[k]));
}

/** Wrap a component so that prop changes reach it through the shared one-at-a-time queue. */
export function staggered<P extends object>(Inner: ComponentType<P>, label?: string): ComponentType<P> {
  const Shown = memo(Inner);
  const inner = Inner as ComponentType<P> & { type?: { name?: string } };
  // An explicit label survives minification (function names do not).
  const name = label ?? inner.displayName ?? (inner.name || inner.type?.name) ?? 'Component';
  function Staggered(props: P) {
    // Even the first render goes through the queue: mounting a chart is its most expensive update.
    const [shown, setShown] = useState<P | null>(null);
    const latest = useRef(props);
    latest.current = props;
    const pending = useRef<Job | null>(null);
    const committed = useRef<(() => void) | null>(null);
    const mounted = useRef(true);
    useEffect(() => {
      // A commit of new props releases the queue.
      committed.current?.();
      committed.current = null;
    }, [shown]);
    useEffect(() => {
      if (pending.current || (shown !== null && shallowEqual(latest.current, shown))) return;
      // The job reads the newest props when it runs, so a queued update is never stale.
      const job: Job = () => {
        pending.current = null;
        if (!mounted.current) return;
        const started = performance.now();
        return new Promise<void>((resolve) => {
          committed.current = () => {
            // A user-timing entry per chart update (start to commit), for traces and the e2e test.
            performance.measure(`chart update: ${name}`, { start: started, end: performance.now() });
            resolve();
          };
          startTransition(() => setShown(latest.current));
        });
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
        committed.current?.();
      };
    }, []);
    return shown === null ? <div className="stagger-placeholder" aria-busy="true" /> : <Shown {...shown} />;
  }
  Staggered.displayName = `Staggered(${name})`;
  return Staggered;
}
