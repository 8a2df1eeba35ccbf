// Constant recharts props, hoisted out of render: recharts 3 re-registers a series or axis when
// an object or function prop changes identity, so inline `{…}` / `() =>` props would make every
// render redo that work (measured: most of the dashboard's main-thread time while training).
export const MARGIN = { top: 6, right: 16, bottom: 6, left: 0 };
export const MARGIN_TIGHT = { top: 4, right: 8, bottom: 0, left: 0 };
export const TICK = { fontSize: 11 };
export const TICK_SMALL = { fontSize: 10 };
export const LEGEND_STYLE = { fontSize: 12 };
export const DOMAIN_DATA: [string, string] = ['dataMin', 'dataMax'];
export const DOMAIN_AUTO: [string, string] = ['auto', 'auto'];
export const DOMAIN_FROM_ZERO: [number, string] = [0, 'auto'];
export const DOMAIN_SHARE: [number, number] = [0, 1];
export const LABEL_CALLS = { value: 'expert calls k', position: 'insideBottom' as const, offset: 0, fontSize: 11 };
export const LABEL_STEP = { value: 'step index t', position: 'insideBottom' as const, offset: 0, fontSize: 11 };

export const fixed2 = (v: number) => v.toFixed(2);
/** Tick labels for auto-scaled axes: enough digits to tell neighbouring ticks apart, no float noise. */
export const tickNumber = (v: number) => (Math.abs(v) >= 1000 ? v.toExponential(1) : String(Number(v.toPrecision(4))));
export const fixed3 = (v: number) => v.toFixed(3);
export const percent = (v: number) => `${Math.round(v * 100)}%`;
export const shortNumber = (v: number) => (Math.abs(v) >= 100 ? v.toExponential(0) : v.toPrecision(2));
export const iterationLabel = (l: unknown) => `iteration ${String(l)}`;
export const stepLabel = (l: unknown) => `t = ${String(l)}`;
export const format3 = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '—');
export const precision4 = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toPrecision(4) : '—');

const tickFormatters = new Map<number, (v: number) => string>();
/** A tick formatter with `digits` decimals, one function per digit count (stable identity for recharts). */
export function fixedDigits(digits: number): (v: number) => string {
  let format = tickFormatters.get(digits);
  if (!format) {
    format = (v: number) => v.toFixed(digits);
    tickFormatters.set(digits, format);
  }
  return format;
}
