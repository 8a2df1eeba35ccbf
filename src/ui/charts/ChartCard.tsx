// A chart's frame: a visible title (the chart's accessible name), a one-line "how to read"
// caption, and the SIMULATED label when the run uses the simulated pool.
import type { ReactNode } from 'react';
import { SimulatedBadge } from './SimulatedBadge';

export interface ChartCardProps {
  title: string;
  caption: string;
  simulated: boolean;
  /** Controls shown at the right of the title (a slider, a scope switch). */
  tools?: ReactNode;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}

export function ChartCard({ title, caption, simulated, tools, children, testId, wide }: ChartCardProps) {
  const id = `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section className={`chart-card${wide ? ' wide' : ''}`} aria-labelledby={id} data-testid={testId}>
      <div className="chart-head">
        <h3 id={id}>
          {title} <SimulatedBadge simulated={simulated} />
        </h3>
        {tools && <div className="chart-tools">{tools}</div>}
      </div>
      <p className="chart-caption">{caption}</p>
      <div className="chart-body">{children}</div>
    </section>
  );
}

/**
 * Says why a chart has no data yet. With `overlay` it sits over the (empty) chart: charts are
 * mounted before training starts, because mounting is their most expensive update.
 */
export function EmptyChart({ text, overlay }: { text: string; overlay?: boolean }) {
  return <p className={overlay ? 'chart-empty overlay' : 'chart-empty'}>{text}</p>;
}
