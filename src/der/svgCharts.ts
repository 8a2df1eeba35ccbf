// A small hand-written SVG generator for the evaluation report: a scatter plane with an optional
// frontier line and error bars, and horizontal stacked bars. No dependency; every text is escaped.

export interface ScatterPoint {
  x: number;
  y: number;
  label: string;
  /** Points of one group share a colour and a legend entry. */
  group: string;
  /** Half-widths of error bars (e.g. one std over seeds). */
  xErr?: number;
  yErr?: number;
}

export interface ScatterOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Drawn as a line through these points in the given order (e.g. the Pareto frontier). */
  frontier?: readonly { x: number; y: number }[];
  frontierLabel?: string;
  width?: number;
  height?: number;
}

export interface StackedBar {
  label: string;
  segments: readonly number[];
}

const PALETTE = ['#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const SEGMENT_COLORS = ['#08519c', '#3182bd', '#6baed6', '#9ecae1', '#c6dbef', '#fdae6b', '#e6550d', '#a63603'];

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const num = (v: number): string => (Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '0');

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function formatTick(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(4)).toString();
}

function padRange(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi === lo) [lo, hi] = [lo - 0.5 * Math.max(1e-3, Math.abs(lo)), hi + 0.5 * Math.max(1e-3, Math.abs(hi))];
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

function svgOpen(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
}

export function scatterSvg(points: readonly ScatterPoint[], options: ScatterOptions): string {
  const width = options.width ?? 820;
  const height = options.height ?? 520;
  const m = { left: 70, right: 190, top: 34, bottom: 50 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const [x0, x1] = padRange(points.flatMap((p) => [p.x - (p.xErr ?? 0), p.x + (p.xErr ?? 0)]));
  const [y0, y1] = padRange(points.flatMap((p) => [p.y - (p.yErr ?? 0), p.y + (p.yErr ?? 0)]));
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => m.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const out = svgOpen(width, height, options.title);
  out.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  for (const t of niceTicks(x0, x1)) {
    out.push(`<line x1="${num(sx(t))}" y1="${m.top}" x2="${num(sx(t))}" y2="${m.top + plotH}" stroke="#eee"/>`);
    out.push(`<text x="${num(sx(t))}" y="${m.top + plotH + 15}" text-anchor="middle">${escapeXml(formatTick(t))}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    out.push(`<line x1="${m.left}" y1="${num(sy(t))}" x2="${m.left + plotW}" y2="${num(sy(t))}" stroke="#eee"/>`);
    out.push(`<text x="${m.left - 6}" y="${num(sy(t) + 4)}" text-anchor="end">${escapeXml(formatTick(t))}</text>`);
  }
  out.push(`<text x="${m.left + plotW / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  out.push(`<text x="16" y="${m.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${m.top + plotH / 2})">${escapeXml(options.yLabel)}</text>`);

  const groups = [...new Set(points.map((p) => p.group))];
  const color = (g: string) => PALETTE[groups.indexOf(g) % PALETTE.length];
  if (options.frontier && options.frontier.length > 0) {
    const path = options.frontier.map((p) => `${num(sx(p.x))},${num(sy(p.y))}`).join(' ');
    out.push(`<polyline class="frontier" points="${path}" fill="none" stroke="#444" stroke-width="1.5" stroke-dasharray="5 3"/>`);
  }
  for (const p of points) {
    const c = color(p.group);
    if (p.xErr) out.push(`<line x1="${num(sx(p.x - p.xErr))}" y1="${num(sy(p.y))}" x2="${num(sx(p.x + p.xErr))}" y2="${num(sy(p.y))}" stroke="${c}"/>`);
    if (p.yErr) out.push(`<line x1="${num(sx(p.x))}" y1="${num(sy(p.y - p.yErr))}" x2="${num(sx(p.x))}" y2="${num(sy(p.y + p.yErr))}" stroke="${c}"/>`);
    out.push(
      `<circle class="point" cx="${num(sx(p.x))}" cy="${num(sy(p.y))}" r="4.5" fill="${c}" fill-opacity="0.85"><title>${escapeXml(`${p.label}: ${formatTick(p.x)}, ${p.y.toFixed(4)}`)}</title></circle>`,
    );
    out.push(`<text x="${num(sx(p.x) + 6)}" y="${num(sy(p.y) - 5)}" font-size="9" fill="#333">${escapeXml(p.label)}</text>`);
  }
  const legendX = m.left + plotW + 14;
  groups.forEach((g, i) => {
    out.push(`<circle cx="${legendX + 5}" cy="${m.top + 10 + i * 16}" r="4.5" fill="${color(g)}"/>`);
    out.push(`<text x="${legendX + 14}" y="${m.top + 14 + i * 16}">${escapeXml(g)}</text>`);
  });
  if (options.frontier && options.frontier.length > 0) {
    const y = m.top + 10 + groups.length * 16;
    out.push(`<line x1="${legendX}" y1="${y}" x2="${legendX + 10}" y2="${y}" stroke="#444" stroke-dasharray="5 3"/>`);
    out.push(`<text x="${legendX + 14}" y="${y + 4}">${escapeXml(options.frontierLabel ?? 'Pareto frontier')}</text>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** One horizontal bar per entry, split into segments (shares of the bar's total). */
export function stackedBarsSvg(
  bars: readonly StackedBar[],
  segmentLabels: readonly string[],
  options: { title: string; xLabel: string; width?: number },
): string {
  const width = options.width ?? 820;
  const barH = 16;
  const m = { left: 260, right: 30, top: 56, bottom: 40 };
  const height = m.top + bars.length * (barH + 6) + m.bottom;
  const plotW = width - m.left - m.right;
  const out = svgOpen(width, height, options.title);
  segmentLabels.forEach((label, k) => {
    const x = m.left + k * 70;
    out.push(`<rect x="${x}" y="28" width="12" height="12" fill="${SEGMENT_COLORS[k % SEGMENT_COLORS.length]}"/>`);
    out.push(`<text x="${x + 16}" y="38">${escapeXml(label)}</text>`);
  });
  bars.forEach((bar, i) => {
    const y = m.top + i * (barH + 6);
    const total = bar.segments.reduce((a, b) => a + b, 0);
    out.push(`<text x="${m.left - 6}" y="${y + barH - 4}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    let x = m.left;
    bar.segments.forEach((v, k) => {
      if (!(v > 0) || total <= 0) return;
      const w = (v / total) * plotW;
      out.push(
        `<rect class="segment" x="${num(x)}" y="${y}" width="${num(w)}" height="${barH}" fill="${SEGMENT_COLORS[k % SEGMENT_COLORS.length]}"><title>${escapeXml(`${bar.label}: ${segmentLabels[k]} = ${formatTick(v)}`)}</title></rect>`,
      );
      x += w;
    });
  });
  const axisY = m.top + bars.length * (barH + 6) + 4;
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(`<text x="${num(m.left + t * plotW)}" y="${axisY + 12}" text-anchor="middle">${t * 100}%</text>`);
  }
  out.push(`<text x="${m.left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
