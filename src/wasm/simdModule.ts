// The project's hand-written WebAssembly SIMD modules (src/agent/*.wat, src/scoring/*.wat, held as
// base64 in the generated *Module.ts files): compiled once each, or null where the engine cannot
// validate them (no WebAssembly, or no SIMD), so that every caller falls back to its JS form.
const compiled = new Map<string, WebAssembly.Module | null>();

/** The compiled module of `base64`, or null where this engine lacks WebAssembly SIMD. */
export function compileSimdModule(base64: string): WebAssembly.Module | null {
  if (compiled.has(base64)) return compiled.get(base64)!;
  let module: WebAssembly.Module | null = null;
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    if (typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
  } catch {
    module = null;
  }
  compiled.set(base64, module);
  return module;
}
