// How every headless Chromium of this project starts (the e2e tests through playwright.config.ts,
// the browser benchmarks through scripts/bench/chromium.ts): Debian's Chromium, since Playwright
// cannot download its own browser on this network, with the launch arguments tried on this
// machine (shared/notes/setup.md). WebGPU runs on SwiftShader where there is no GPU.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
];
