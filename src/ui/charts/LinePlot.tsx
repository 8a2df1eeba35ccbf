// A small SVG line chart over the iteration axis for the dashboard's reward plots: a few series
// on a left (and optional right) y axis, optional dots, a dashed reference line, and a hover
// tooltip shared by the plots of one `syncId` (hovering one plot shows the same iteration in the
// others). Recharts drew these before, but each of its updates ends in a synchronous re-render of
// the whole chart (its internal store notifies through useSyncExternalStore, which React never
// time-slices): 40–80 ms of main-thread CPU per update on a 2-core machine, once per PPO
// iteration. Rows come downsampled (chartData.rewardRows), so this draws at most ~600 points.
import { memo, useSyncExternalStore, type MouseEvent, type ReactElement } from 'react';
import { niceScale, type AxisScale } from './chartData';
import { fixedDigits, format3 } from './chartProps';

export interface LineSeries<R> {
  name: string;
  color: string;
  value(row: R): number;
  axis?: 'left' | 'right';
  strokeWidth?: number;
  opacity?: number;
  /** Draw a dot at each point. */
  dots?: boolean;
}

export interface LinePlotProps<R> {
  width: number;
  height: number;
  /** Rows in increasing x order. */
  rows: readonly R[];
  x(row: R): number;
  series: readonly LineSeries<R>[];
  left: AxisScale | null;
  right?: AxisScale | null;
  leftWidth?: number;
  rightWidth?: number;
  /** A dashed horizontal line on the left axis. */
  reference?: { y: number; label: string; color: string } | null;
  /** Plots with the same id show the hovered x together. */
  syncId: string;
  ariaLabel: string;
}

// The hovered x of each sync group: a tiny external store (hovering redraws only these small SVGs).
const hovered = new Map<string, number | null>();
const listeners = new Map<string, Set<() => void>>();
function setHovered(id: string, x: number | null): void {
  if (hovered.get(id) === x) return;
  hovered.set(id, x);
  listeners.get(id)?.forEach((l) => l());
}
function subscribe(id: string, listener: () => void): () => void {
  if (!listeners.has(id)) listeners.set(id, new Set());
  listeners.get(id)!.add(listener);
  return () => listeners.get(id)!.delete(listener);
}

const TOP = 6;
const BOTTOM = 24;
const TICK_FONT = 11;
const GRID = '#e3e7ee';
const AXIS = '#666';
const FALLBACK: AxisScale = { domain: [0, 1], ticks: [0, 0.5, 1], digits: 1 };

/** Integer x ticks (iterations) over [lo, hi]. */
function xTicks(lo: number, hi: number): { domain: [number, number]; ticks: number[] } {
  if (!(hi > lo)) return { domain: [lo - 1, lo + 1], ticks: [lo] };
  const nice = niceScale([lo, hi], 6);
  const ticks = [...new Set((nice?.ticks ?? [lo, hi]).filter((t) => t >= lo && t <= hi && Number.isInteger(t)))];
  return { domain: [lo, hi], ticks: ticks.length > 0 ? ticks : [lo, hi] };
}

/** Index of the row whose x is nearest to `target` (rows sorted by x). */
function nearest<R>(rows: readonly R[], x: (row: R) => number, target: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x(rows[mid]) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && Math.abs(x(rows[lo - 1]) - target) <= Math.abs(x(rows[lo]) - target) ? lo - 1 : lo;
}

function LinePlotImpl<R>(props: LinePlotProps<R>) {
  const { width, height, rows, x, series, reference, syncId, ariaLabel, leftWidth = 48 } = props;
  const rightWidth = props.right !== undefined ? (props.rightWidth ?? 44) : 16;
  const hoverX = useSyncExternalStore(
    (l) => subscribe(syncId, l),
    () => hovered.get(syncId) ?? null,
  );
  const leftScale = props.left ?? FALLBACK;
  const rightScale = props.right ?? FALLBACK;
  const plotW = Math.max(1, width - leftWidth - rightWidth);
  const plotH = Math.max(1, height - TOP - BOTTOM);
  const xs = rows.length > 0 ? { lo: x(rows[0]), hi: x(rows[rows.length - 1]) } : { lo: 0, hi: 1 };
  const xAxis = xTicks(xs.lo, xs.hi);
  const px = (v: number) => leftWidth + ((v - xAxis.domain[0]) / (xAxis.domain[1] - xAxis.domain[0])) * plotW;
  const py = (v: number, scale: AxisScale) => TOP + plotH - ((v - scale.domain[0]) / (scale.domain[1] - scale.domain[0] || 1)) * plotH;
  const scaleOf = (s: LineSeries<R>) => (s.axis === 'right' ? rightScale : leftScale);

  const lines: ReactElement[] = [];
  series.forEach((s, k) => {
    const scale = scaleOf(s);
    let d = '';
    let pen = false;
    const dots: ReactElement[] = [];
    rows.forEach((row, i) => {
      const v = s.value(row);
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      const cx = px(x(row));
      const cy = py(v, scale);
      d += `${pen ? 'L' : 'M'}${cx.toFixed(1)},${cy.toFixed(1)}`;
      pen = true;
      if (s.dots) dots.push(<circle key={i} className="line-plot-dot" cx={cx} cy={cy} r={3} stroke={s.color} strokeOpacity={s.opacity ?? 1} fill="#fff" />);
    });
    lines.push(<path key={`l${k}`} d={d} fill="none" stroke={s.color} strokeWidth={s.strokeWidth ?? 1} strokeOpacity={s.opacity ?? 1} />);
    if (dots.length > 0) lines.push(<g key={`d${k}`}>{dots}</g>);
  });

  const onMove = (e: MouseEvent<SVGRectElement>) => {
    if (rows.length === 0) return;
    const box = e.currentTarget.getBoundingClientRect();
    const target = xAxis.domain[0] + ((e.clientX - box.left) / Math.max(1, box.width)) * (xAxis.domain[1] - xAxis.domain[0]);
    setHovered(syncId, x(rows[nearest(rows, x, target)]));
  };
  const hoverIndex = hoverX === null || rows.length === 0 ? -1 : nearest(rows, x, hoverX);
  const hoverRow = hoverIndex >= 0 && x(rows[hoverIndex]) === hoverX ? rows[hoverIndex] : null;
  const hoverPx = hoverRow ? px(x(hoverRow)) : 0;

  const yAxis = (scale: AxisScale, side: 'left' | 'right') => (
    <g className="line-plot-y-axis">
      {scale.ticks.map((t) => (
        <text
          key={t}
          className="line-plot-y-tick"
          x={side === 'left' ? leftWidth - 6 : leftWidth + plotW + 6}
          y={py(t, scale)}
          dy="0.35em"
          textAnchor={side === 'left' ? 'end' : 'start'}
          fontSize={TICK_FONT}
          fill={AXIS}
        >
          {fixedDigits(scale.digits)(t)}
        </text>
      ))}
    </g>
  );

  return (
    <div className="line-plot-frame" style={{ width, height }}>
      <svg className="line-plot" width={width} height={height} role="img" aria-label={ariaLabel}>
        {leftScale.ticks.map((t) => (
          <line key={t} x1={leftWidth} x2={leftWidth + plotW} y1={py(t, leftScale)} y2={py(t, leftScale)} stroke={GRID} strokeDasharray="3 3" />
        ))}
        {xAxis.ticks.map((t) => (
          <g key={t}>
            <line x1={px(t)} x2={px(t)} y1={TOP} y2={TOP + plotH} stroke={GRID} strokeDasharray="3 3" />
            <text x={px(t)} y={TOP + plotH + 14} textAnchor="middle" fontSize={TICK_FONT} fill={AXIS}>
              {t}
            </text>
          </g>
        ))}
        <line x1={leftWidth} x2={leftWidth + plotW} y1={TOP + plotH} y2={TOP + plotH} stroke={AXIS} />
        <line x1={leftWidth} x2={leftWidth} y1={TOP} y2={TOP + plotH} stroke={AXIS} />
        {yAxis(leftScale, 'left')}
        {props.right !== undefined && (
          <>
            <line x1={leftWidth + plotW} x2={leftWidth + plotW} y1={TOP} y2={TOP + plotH} stroke={AXIS} />
            {yAxis(rightScale, 'right')}
          </>
        )}
        {reference && Number.isFinite(reference.y) && (
          <g>
            <line
              x1={leftWidth}
              x2={leftWidth + plotW}
              y1={py(reference.y, leftScale)}
              y2={py(reference.y, leftScale)}
              stroke={reference.color}
              strokeDasharray="6 4"
            />
            <text x={leftWidth + plotW - 4} y={py(reference.y, leftScale) + 13} textAnchor="end" fontSize={TICK_FONT} fill={reference.color}>
              {reference.label}
            </text>
          </g>
        )}
        {hoverRow && <line x1={hoverPx} x2={hoverPx} y1={TOP} y2={TOP + plotH} stroke="#ccc" />}
        {lines}
        <rect x={leftWidth} y={TOP} width={plotW} height={plotH} fill="transparent" onMouseMove={onMove} onMouseLeave={() => setHovered(syncId, null)} />
      </svg>
      {hoverRow && (
        <div className="line-plot-tooltip" role="tooltip" style={{ left: hoverPx, top: TOP }} data-flip={hoverPx > width * 0.6 ? 'left' : 'right'}>
          <p className="line-plot-tooltip-title">iteration {x(hoverRow)}</p>
          <ul>
            {series.map((s) => (
              <li key={s.name} style={{ color: s.color }}>
                {s.name}: {format3(s.value(hoverRow))}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export const LinePlot = memo(LinePlotImpl) as typeof LinePlotImpl;
