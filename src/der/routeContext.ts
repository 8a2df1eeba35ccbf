// The route context: what the agent's state says about the route so far, besides the text.
// The paper's state is `Question:… Answer:…` only; a text encoder barely sees the step index or
// which expert answered last (a linear probe on USE-lite states found neither), so the critic
// cannot tell a first call from a fifth and greedy routes call the same expert again. This
// option (`state.routeContext`, a departure from the paper) appends three small codes to the
// encoded text: the step index (one-hot), the last expert (one-hot, with a slot for "none yet"),
// and the set of experts already called (multi-hot).
import type { StateEncoder } from './types';

/** The route so far, before step t: the experts called in order (failed calls are not listed). */
export interface RouteSoFar {
  /** Step index t (expert calls made so far). */
  t: number;
  /** Expert indices called so far, in order. */
  calls: readonly number[];
}

export interface RouteContextShape {
  expertCount: number;
  /** The step limit: the step one-hot has Tmax slots (t = 0..Tmax−1). */
  tmax: number;
}

/** Length of the route-context code: Tmax (step) + N + 1 (last expert or none) + N (called). */
export function routeContextDim({ expertCount, tmax }: RouteContextShape): number {
  return tmax + expertCount + 1 + expertCount;
}

/** The route-context code of one state (0/1 entries). */
export function routeContextFeatures(route: RouteSoFar, shape: RouteContextShape): Float32Array {
  const { expertCount, tmax } = shape;
  const out = new Float32Array(routeContextDim(shape));
  out[Math.min(Math.max(route.t, 0), tmax - 1)] = 1;
  const last = route.calls.length > 0 ? route.calls[route.calls.length - 1] : expertCount;
  if (last < 0 || last > expertCount || !Number.isInteger(last)) throw new Error(`route context: expert index ${last} is outside the pool of ${expertCount}`);
  out[tmax + last] = 1;
  for (const k of route.calls) out[tmax + expertCount + 1 + k] = 1;
  return out;
}

/** In words, for the route inspector: the same facts the code holds. */
export function describeRouteContext(
  route: RouteSoFar,
  shape: RouteContextShape,
  expertNames: readonly string[],
): { step: string; last: string; called: string } {
  const t = Math.min(route.t, shape.tmax - 1);
  const last = route.calls.length > 0 ? (expertNames[route.calls[route.calls.length - 1]] ?? `#${route.calls[route.calls.length - 1]}`) : 'none yet';
  const called = [...new Set(route.calls)].sort((a, b) => a - b).map((k) => expertNames[k] ?? `#${k}`);
  return { step: `step ${t + 1} of ${shape.tmax}`, last, called: called.length > 0 ? called.join(', ') : 'none yet' };
}

/**
 * An encoder whose vectors end with the route context: dim = inner dim + routeContextDim.
 * The episode runner passes each state's route; encoding without routes is an error, since the
 * agent would see zeros where it learned to read the route.
 */
export function withRouteContext(encoder: StateEncoder, shape: RouteContextShape): StateEncoder & { inner: StateEncoder; routeContext: RouteContextShape } {
  const extra = routeContextDim(shape);
  return {
    name: encoder.name,
    dim: encoder.dim + extra,
    inner: encoder,
    routeContext: shape,
    async encode(texts, routes) {
      if (!routes || routes.length !== texts.length) {
        throw new Error(`the state encoder appends the route context (state.routeContext is on), so it needs the route of each of the ${texts.length} states`);
      }
      const vectors = await encoder.encode(texts);
      return vectors.map((v, i) => {
        const out = new Float32Array(v.length + extra);
        out.set(v, 0);
        out.set(routeContextFeatures(routes[i], shape), v.length);
        return out;
      });
    },
  };
}
