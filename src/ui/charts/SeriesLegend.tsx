// A plain HTML legend. Recharts' <Legend> measures itself and re-renders its chart after every
// update; a static list of swatches costs nothing and reads the same.
import { memo } from 'react';

export interface LegendItem {
  label: string;
  color: string;
  faint?: boolean;
}

export const SeriesLegend = memo(function SeriesLegend({ items }: { items: readonly LegendItem[] }) {
  return (
    <ul className="series-legend">
      {items.map((i) => (
        <li key={i.label}>
          <span className="swatch" style={{ background: i.color, opacity: i.faint ? 0.6 : 1 }} aria-hidden="true" />
          {i.label}
        </li>
      ))}
    </ul>
  );
});
