// A fixed-height box that hands its measured width to a chart. Replaces recharts'
// ResponsiveContainer, whose ResizeObserver re-renders every chart in the same task when the
// page layout shifts (a scrollbar appears, a card grows); here a width change goes through the
// staggered queue (one chart per task) like any other chart update.
import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { dequeue, enqueue } from '../hooks/staggered';

export interface ChartFrameProps {
  height: number;
  children: (width: number) => ReactNode;
}

export function ChartFrame({ height, children }: ChartFrameProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    let latest = Math.floor(element.clientWidth);
    let queued = false;
    let alive = true;
    const apply = () => {
      queued = false;
      if (alive) flushSync(() => setWidth(latest));
    };
    // The first width is known now: render at once (the chart's own mount is already staggered).
    setWidth(latest);
    const observer = new ResizeObserver((entries) => {
      const next = Math.floor(entries[0].contentRect.width);
      if (next === latest) return;
      latest = next;
      if (!queued) {
        queued = true;
        enqueue(apply);
      }
    });
    observer.observe(element);
    return () => {
      alive = false;
      observer.disconnect();
      dequeue(apply);
    };
  }, []);
  return (
    <div ref={ref} className="chart-frame" style={{ height }}>
      {width > 0 ? children(width) : null}
    </div>
  );
}
