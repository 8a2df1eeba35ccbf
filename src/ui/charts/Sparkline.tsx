// A tiny SVG line chart for small multiples. Recharts costs tens of milliseconds per chart update
// on a slow machine; six of them per PPO update were a main-thread long task. This draws one
// polyline with min/max/last labels, and a native tooltip per point via <title>.
import { memo, useMemo } from 'react';

export interface SparklineProps {
  rows: readonly { iteration: number; value: number }[];
  label: string;
  width?: number;
  height?: number;
  color?: string;
}

const PAD = { left: 4, right: 4, top: 6, bottom: 6 };

export const Sparkline = memo(function Sparkline({ rows, label, width = 260, height = 80, color = '#6b46c1' }: SparklineProps) {
  const geometry = useMemo(() => {
    if (rows.length === 0) return null;
    let min = Infinity;
    let max = -Infinity;
    for (const r of rows) {
      min = Math.min(min, r.value);
      max = Math.max(max, r.value);
    }
    const x0 = rows[0].iteration;
    const x1 = rows[rows.length - 1].iteration;
    const span = max - min || Math.abs(max) || 1;
    const lo = max === min ? min - span / 2 : min;
    const hi = max === min ? max + span / 2 : max;
    const sx = (x: number) => PAD.left + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (width - PAD.left - PAD.right);
    const sy = (y: number) => PAD.top + (1 - (y - lo) / (hi - lo)) * (height - PAD.top - PAD.bottom);
    return { min, max, points: rows.map((r) => ({ x: sx(r.iteration), y: sy(r.value), r })) };
  }, [rows, width, height]);
  if (!geometry) return null;
  const last = rows[rows.length - 1];
  const fmt = (v: number) => (Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(3));
  return (
    <div className="sparkline">
      <svg
        width="100%"
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}: last ${fmt(last.value)} at iteration ${last.iteration}, range ${fmt(geometry.min)} to ${fmt(geometry.max)}`}
      >
        <polyline
          fill="none"
          stroke={color}
          strokeWidth={1.5}
          vectorEffect="non-scaling-stroke"
          points={geometry.points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ')}
        />
        {geometry.points.length <= 60 &&
          geometry.points.map((p) => (
            <circle key={p.r.iteration} cx={p.x} cy={p.y} r={2} fill={color}>
              <title>{`iteration ${p.r.iteration}: ${fmt(p.r.value)}`}</title>
            </circle>
          ))}
      </svg>
      <div className="sparkline-scale">
        <span>min {fmt(geometry.min)}</span>
        <span>max {fmt(geometry.max)}</span>
        <span>
          last <b>{fmt(last.value)}</b> (it {last.iteration})
        </span>
      </div>
    </div>
  );
});
