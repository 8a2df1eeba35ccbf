#!/usr/bin/env bash
# One measurement run on a GPU machine (no Node, no network needed): unpack .gpu-carry/ (made by
# `npm run gpu:carry`), make the Vulkan loader available, check the WebGPU adapter is a real GPU,
# time the PPO step on webgpu and wasm (scripts/gpu/bench.ts, bundled) and on the PyTorch peer
# (CUDA and CPU, 1 thread; skipped with a note when torch is missing), and write
# $OUT/results.md and $OUT/results.json (plus logs and nvidia-smi).
# Usage: OUT=/path/to/out bash scripts/gpu/run-on-device.sh
# Env: BENCH_ARGS (extra bench.mjs flags, e.g. "--allow-fallback --batches 256,1024"),
#      TORCH_ARGS (extra torch_peer.py flags), NODE_BUDGET_S (default 240), TORCH_BUDGET_S (default 90).
# Worst case (every budget spent, hard timeouts included) about 8 minutes; typically 1–3.
set -uo pipefail
cd "$(dirname "$0")/../.."
: "${OUT:?set OUT to the output folder}"
mkdir -p "$OUT"
C=.gpu-carry
W=$(mktemp -d)
NODE_BUDGET_S=${NODE_BUDGET_S:-240}
TORCH_BUDGET_S=${TORCH_BUDGET_S:-90}
log() { echo "[gpu $(date -u +%H:%M:%S)] $*" | tee -a "$OUT/run.log"; }

log "carry: $(cat "$C/commit" 2>/dev/null | tr '\n' ' ')"
[ -s "$C/node.xz" ] && [ -s "$C/bench.mjs" ] || { log "missing $C/node.xz or $C/bench.mjs: run npm run gpu:carry first"; exit 1; }
# xz, or Python's lzma where xz is missing.
unxz_to() {
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" > "$2"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
unxz_to "$C/node.xz" "$W/node" && chmod +x "$W/node"
unxz_to "$C/dawn.node.xz" "$W/dawn.node"
log "node $("$W/node" -v)"

# The Vulkan loader: Dawn needs libvulkan.so.1; the GPU driver provides the ICD.
if [ -z "${FORCE_CARRIED_VULKAN:-}" ] && ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then
  log "libvulkan.so.1 already present"
elif [ -z "${FORCE_CARRIED_VULKAN:-}" ] && [ "$(id -u)" = 0 ] && command -v dpkg >/dev/null 2>&1 && dpkg -x "$C"/libvulkan1_*.deb / && ldconfig; then
  log "installed libvulkan1 from the carried .deb (dpkg -x /, ldconfig)"
else
  export LD_LIBRARY_PATH="$PWD/$C/vulkan-lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  log "libvulkan.so.1 from $C/vulkan-lib (LD_LIBRARY_PATH)"
fi
# (`ls A B` fails when either is missing, so each file is tested on its own.)
if [ -z "${VK_DRIVER_FILES:-}" ] && [ ! -f /usr/share/vulkan/icd.d/nvidia_icd.json ] && [ ! -f /etc/vulkan/icd.d/nvidia_icd.json ] \
  && [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
fi
log "Vulkan ICDs: ${VK_DRIVER_FILES:-$(ls /usr/share/vulkan/icd.d/ /etc/vulkan/icd.d/ 2>/dev/null | tr '\n' ' ')}"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$W}
(nvidia-smi || echo "no nvidia-smi") > "$OUT/nvidia-smi.txt" 2>&1
(lscpu || true) > "$OUT/lscpu.txt" 2>&1

# The PyTorch peer first (short, independent of the Node side).
# The first Python that has torch (a PATH shim may hide the system's), else any Python (it writes a note).
PY=""
for candidate in python3 /usr/bin/python3 /usr/local/bin/python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import torch' >/dev/null 2>&1; then PY=$(command -v "$candidate"); break; fi
done
[ -n "$PY" ] || PY=$(command -v python3 || command -v python || true)
if [ -n "$PY" ]; then
  log "torch peer ($PY)"
  timeout $((TORCH_BUDGET_S + 60)) "$PY" scripts/gpu/torch_peer.py --out "$OUT" --budget-s "$TORCH_BUDGET_S" ${TORCH_ARGS:-} 2>&1 | tee "$OUT/torch-bench.log"
else
  log "no python: torch peer skipped"
  echo '{"rows": [], "torch": null, "note": "no python on this machine"}' > "$OUT/torch-bench.json"
fi

log "node bench (webgpu, wasm)"
DAWN_NODE_PATH="$W/dawn.node" timeout $((NODE_BUDGET_S + 90)) "$W/node" "$C/bench.mjs" --out "$OUT" --budget-s "$NODE_BUDGET_S" ${BENCH_ARGS:-} 2>&1 | grep -v 'artificially reduced' | tee "$OUT/node-bench.log"
log "node bench exit ${PIPESTATUS[0]}"

"$W/node" "$C/bench.mjs" --report "$OUT" > /dev/null 2>> "$OUT/run.log"
cat "$OUT/results.md"
log "done"
rm -rf "$W"
