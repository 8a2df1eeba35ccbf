#!/usr/bin/env bash
# Fills .gpu-carry/ (git-ignored) with what scripts/gpu/run-on-device.sh needs on a GPU machine
# that has no Node and no network: this machine's node binary (xz), Dawn's dawn.node from the
# optional `webgpu` package (xz), Debian's libvulkan1 .deb, the tfjs wasm files, and one esbuild
# bundle of scripts/gpu/bench.ts (the project's CURRENT PpoAgent: rebuild right before a run).
# Usage: npm run gpu:carry        (re-running reuses the compressed node/dawn if unchanged)
set -euo pipefail
cd "$(dirname "$0")/../.."
C=.gpu-carry
mkdir -p "$C"

node_bin=$(command -v node)
node_ver=$(node -v)
if [ ! -s "$C/node.xz" ] || [ "$(cat "$C/node.version" 2>/dev/null)" != "$node_ver" ]; then
  echo "compressing node $node_ver (xz -9, about a minute)…"
  nice -n 10 xz -9 -T2 -c "$node_bin" > "$C/node.xz.tmp" && mv "$C/node.xz.tmp" "$C/node.xz"
  echo "$node_ver" > "$C/node.version"
fi

dawn=node_modules/webgpu/dist/linux-x64/dawn.node
if [ ! -f "$dawn" ]; then
  echo "missing $dawn: install the optional dependency first (npm install webgpu)" >&2
  exit 1
fi
dawn_sum=$(sha256sum "$dawn" | cut -c1-16)
if [ ! -s "$C/dawn.node.xz" ] || [ "$(cat "$C/dawn.version" 2>/dev/null)" != "$dawn_sum" ]; then
  echo "compressing dawn.node…"
  nice -n 10 xz -9 -T2 -c "$dawn" > "$C/dawn.node.xz.tmp" && mv "$C/dawn.node.xz.tmp" "$C/dawn.node.xz"
  echo "$dawn_sum" > "$C/dawn.version"
fi

if ! ls "$C"/libvulkan1_*.deb >/dev/null 2>&1; then
  (cd "$C" && apt-get download libvulkan1)
fi
# The loader also unpacked, for a machine without dpkg or root (LD_LIBRARY_PATH).
rm -rf "$C/vulkan-lib" && mkdir -p "$C/vulkan-lib"
tmp=$(mktemp -d) && dpkg -x "$C"/libvulkan1_*.deb "$tmp" && cp -a "$tmp"/usr/lib/x86_64-linux-gnu/libvulkan.so.1* "$C/vulkan-lib/" && rm -rf "$tmp"

cp node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm*.wasm "$C/"

# One ESM file for Node 20; `require`, `__dirname` and `__filename` for the CommonJS parts (tfjs,
# the wasm backend's Emscripten loader); the optional package and
# node-fetch (tfjs's unused Node fetch) stay out of the bundle.
node_modules/.bin/esbuild scripts/gpu/bench.ts --bundle --platform=node --format=esm --target=node20 \
  --outfile="$C/bench.mjs" --external:webgpu --external:node-fetch --log-level=warning \
  --banner:js="import { createRequire as __carryRequire } from 'node:module'; import { fileURLToPath as __carryPath } from 'node:url'; const require = __carryRequire(import.meta.url); const __filename = __carryPath(import.meta.url); const __dirname = __carryPath(new URL('.', import.meta.url));"
git rev-parse --short HEAD > "$C/commit"
git status --porcelain src/agent | sed 's/^/uncommitted: /' >> "$C/commit" || true

du -sh "$C"
ls -la "$C"
