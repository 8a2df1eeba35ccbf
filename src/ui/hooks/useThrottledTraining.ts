// Read the training store at most once per interval. Episode events arrive many times a second
// while training; charts that re-render on each one would keep the main thread busy. This hook
// coalesces store changes and re-renders with the latest values after `intervalMs`, and skips
// the render when the selected values did not change (shallow compare).
import { useEffect, useRef, useState } from 'react';
import { useTrainingStore, type TrainingStore } from '../../store/trainingStore';

function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a) as (keyof T)[];
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.is(a[k], b[k]));
}

export function useThrottledTraining<T>(selector: (store: TrainingStore) => T, intervalMs = 400): T {
  const selectorRef = useRef(selector);
  selectorRef.current = selector;
  const [value, setValue] = useState(() => selector(useTrainingStore.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastFlush = 0;
    const flush = () => {
      timer = null;
      lastFlush = performance.now();
      const next = selectorRef.current(useTrainingStore.getState());
      setValue((previous) => (shallowEqual(previous, next) ? previous : next));
    };
    const unsubscribe = useTrainingStore.subscribe(() => {
      if (timer !== null) return;
      timer = setTimeout(flush, Math.max(0, intervalMs - (performance.now() - lastFlush)));
    });
    flush();
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [intervalMs]);
  return value;
}
