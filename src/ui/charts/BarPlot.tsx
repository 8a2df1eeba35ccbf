// A small SVG bar chart (grouped or stacked bars over a few categories, optional ±error whiskers,
// a hover tooltip) for the dashboard's route-length, ΔP and expert-usage charts. Recharts drew
// these too, but each of its updates ends in a synchronous re-render of the whole chart (its
// internal store notifies through useSyncExternalStore, which React never time-slices): 40–60 ms
// of main-thread CPU per update on a 2-core machine, once per PPO iteration and chart. These
// charts have at most Tmax categories, so plain SVG drawn by React costs a few milliseconds.
import { memo, useState, type MouseEvent, type ReactElement } from 'react';
import { niceScale, type AxisScale } from './chartData';
import { fixedDigits } from './chartProps';

export interface BarSeries {
  name: string;
  color: string;
  /** One value per category (non-finite: no bar). */
  values: readonly number[];
  /** ± whisker per category (non-finite or absent: none). */
  errors?: readonly number[];
}

export interface TooltipRow {
  name: string;
  color: string;
  text: string;
}

export interface BarPlotProps {
  width: number;
  height: number;
  /** Category labels along x, in order. */
  categories: readonly (string | number)[];
  series: readonly BarSeries[];
  /** Stack the series in one bar per category instead of side by side. */
  stacked?: boolean;
  /** Fixed y axis (e.g. shares 0..1); else nice ticks over the bars, whiskers and 0. */
  yScale?: AxisScale | null;
  yFormat?: (v: number) => string;
  yAxisWidth?: number;
  xLabel: string;
  /** Draw the y = 0 line (values of both signs). */
  zeroLine?: boolean;
  /** Tooltip of category `index`: a title and one row per series. */
  tooltip(index: number): { title: string; rows: readonly TooltipRow[] };
  ariaLabel: string;
  /** Class of the bar rectangles (tests find bars by it). */
  barClassName?: string;
}

const TOP = 6;
const RIGHT = 16;
const BOTTOM = 40;
const TICK_FONT = 11;
const GRID = '#e3e7ee';
const AXIS = '#666';

/** The y axis a set of bars needs: stacked totals or each bar (± whisker), and 0. */
function autoScale(series: readonly BarSeries[], stacked: boolean, count: number): AxisScale | null {
  const values: number[] = [0];
  for (let i = 0; i < count; i++) {
    let positive = 0;
    let negative = 0;
    for (const s of series) {
      const v = s.values[i];
      if (!Number.isFinite(v)) continue;
      if (stacked) {
        if (v >= 0) positive += v;
        else negative += v;
        continue;
      }
      const e = s.errors?.[i];
      const spread = e !== undefined && Number.isFinite(e) ? Math.abs(e) : 0;
      values.push(v - spread, v + spread);
    }
    if (stacked) values.push(positive, negative);
  }
  return niceScale(values);
}

export const BarPlot = memo(function BarPlot(props: BarPlotProps) {
  const { width, height, categories, series, stacked = false, yAxisWidth = 44, xLabel, zeroLine, tooltip, ariaLabel, barClassName = 'bar-plot-bar' } = props;
  const [hovered, setHovered] = useState<number | null>(null);
  const scale = props.yScale ?? autoScale(series, stacked, categories.length) ?? { domain: [0, 1] as [number, number], ticks: [0, 0.5, 1], digits: 1 };
  const yFormat = props.yFormat ?? fixedDigits(scale.digits);
  const left = yAxisWidth;
  const plotW = Math.max(1, width - left - RIGHT);
  const plotH = Math.max(1, height - TOP - BOTTOM);
  const [lo, hi] = scale.domain;
  const y = (v: number) => TOP + plotH - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo || 1)) * plotH;
  const n = Math.max(1, categories.length);
  const band = plotW / n;
  const groupW = band * 0.8;
  const barW = stacked ? groupW : groupW / Math.max(1, series.length);
  const x0 = (i: number) => left + i * band + (band - groupW) / 2;

  const bars: ReactElement[] = [];
  const whiskers: ReactElement[] = [];
  categories.forEach((_, i) => {
    let positive = 0;
    let negative = 0;
    series.forEach((s, k) => {
      const v = s.values[i];
      if (!Number.isFinite(v) || v === 0) return;
      let from: number;
      let to: number;
      if (stacked) {
        from = v >= 0 ? positive : negative;
        to = from + v;
        if (v >= 0) positive = to;
        else negative = to;
      } else {
        from = 0;
        to = v;
      }
      const x = stacked ? x0(i) : x0(i) + k * barW;
      const top = Math.min(y(from), y(to));
      bars.push(
        <rect
          key={`${k}-${i}`}
          className={barClassName}
          x={x}
          y={top}
          width={Math.max(1, barW - (stacked ? 0 : 1))}
          height={Math.max(0.5, Math.abs(y(to) - y(from)))}
          fill={s.color}
        />,
      );
      const e = s.errors?.[i];
      if (!stacked && e !== undefined && Number.isFinite(e) && e > 0) {
        const cx = x + barW / 2;
        const d = `M${cx - 3},${y(v - e)}H${cx + 3}M${cx},${y(v - e)}V${y(v + e)}M${cx - 3},${y(v + e)}H${cx + 3}`;
        whiskers.push(<path key={`e${k}-${i}`} d={d} stroke="#24532b" fill="none" />);
      }
    });
  });

  const onMove = (e: MouseEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const i = Math.floor(((e.clientX - box.left) / Math.max(1, box.width)) * n);
    setHovered(i >= 0 && i < categories.length ? i : null);
  };
  const tip = hovered === null ? null : tooltip(hovered);
  const tipLeft = hovered === null ? 0 : left + (hovered + 0.5) * band;

  return (
    <div className="bar-plot" style={{ width, height }}>
      <svg width={width} height={height} role="img" aria-label={ariaLabel}>
        {scale.ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} stroke={GRID} strokeDasharray="3 3" />
            <text x={left - 6} y={y(t)} dy="0.35em" textAnchor="end" fontSize={TICK_FONT} fill={AXIS} className="bar-plot-y-tick">
              {yFormat(t)}
            </text>
          </g>
        ))}
        {hovered !== null && <rect x={left + hovered * band} y={TOP} width={band} height={plotH} fill="#ccc" opacity={0.35} />}
        {bars}
        {whiskers}
        {zeroLine && lo <= 0 && hi >= 0 && <line x1={left} x2={left + plotW} y1={y(0)} y2={y(0)} stroke="#8a94a3" />}
        <line x1={left} x2={left + plotW} y1={TOP + plotH} y2={TOP + plotH} stroke={AXIS} />
        <line x1={left} x2={left} y1={TOP} y2={TOP + plotH} stroke={AXIS} />
        {categories.map((c, i) => (
          <text key={i} x={left + (i + 0.5) * band} y={TOP + plotH + 14} textAnchor="middle" fontSize={TICK_FONT} fill={AXIS} className="bar-plot-x-tick">
            {c}
          </text>
        ))}
        <text x={left + plotW / 2} y={height - 4} textAnchor="middle" fontSize={TICK_FONT} fill={AXIS}>
          {xLabel}
        </text>
        <rect x={left} y={TOP} width={plotW} height={plotH} fill="transparent" onMouseMove={onMove} onMouseLeave={() => setHovered(null)} />
      </svg>
      {tip && (
        <div className="bar-plot-tooltip" role="tooltip" style={{ left: tipLeft, top: TOP }} data-flip={tipLeft > width * 0.6 ? 'left' : 'right'}>
          <p className="bar-plot-tooltip-title">{tip.title}</p>
          <ul>
            {tip.rows.map((r) => (
              <li key={r.name} style={{ color: r.color }}>
                {r.name}: {r.text}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
});
