"""The PyTorch peer of the PPO-update benchmark (scripts/bench/ppoUpdate.ts).

Runs the same gradient steps as the TF.js agent (same layer sizes, minibatch sizes, loss and Adam)
on the CPU with one thread, one update per "run" command, and answers JSON lines (see main).
Also measures the single-core sgemm peak (a large float32 matmul) in the same process, so the
achieved GFLOP/s of both sides can be compared with what the core can do; reports which BLAS torch
really calls (blas_probe: the benchmark judges a row only against an optimised one); and times
the step's single matrix products for the GEMM-ceiling row (gemm).

Run with Debian's python (python3-torch):  /usr/bin/python3 scripts/bench/ppo_update_torch.py
Config line: {"numActions", "hidden": [256, 256], "workloads": [
  {"name", "stateDim", "loss": "tuned"|"reference", "batches": [n1, n2, ...]}]}
"""
import ctypes
import json
import os
import re
import statistics
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
torch.manual_seed(0)


def mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(nn.Tanh())
    return nn.Sequential(*layers)


def make_batch(n, state_dim, num_actions, g):
    return {
        "states": torch.randn(n, state_dim, generator=g) * 0.1,
        "actions": torch.randint(0, num_actions, (n,), generator=g),
        "mask_add": torch.zeros(n, num_actions),
        "old_logp": torch.full((n,), -2.4),
        "old_values": torch.randn(n, generator=g) * 0.1,
        "advantages": torch.randn(n, generator=g),
        "returns": torch.randn(n, generator=g),
    }


def step(actor, critic, opt, b, loss_kind, params):
    """One gradient step with the loss of src/agent/ppoLoss.ts (CleanRL's), reading the statistics once."""
    tuned = loss_kind == "tuned"
    clip = 0.2 if tuned else 0.3
    adv = b["advantages"]
    if tuned:
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    logp_all = torch.log_softmax(actor(b["states"]) + b["mask_add"], dim=1)
    logp = logp_all.gather(1, b["actions"][:, None])[:, 0]
    entropy = -(logp_all.exp() * logp_all).sum(1).mean()
    log_ratio = logp - b["old_logp"]
    ratio = log_ratio.exp()
    pg = -torch.min(adv * ratio, adv * ratio.clamp(1 - clip, 1 + clip)).mean()
    value = critic(b["states"])[:, 0]
    unclipped = (value - b["returns"]) ** 2
    if tuned:
        clipped_v = b["old_values"] + (value - b["old_values"]).clamp(-clip, clip)
        v_loss = torch.max(unclipped, (clipped_v - b["returns"]) ** 2).mean()
        loss = pg + 0.5 * v_loss - 0.01 * entropy
    else:
        v_loss = unclipped.mean()
        loss = pg + v_loss
    opt.zero_grad(set_to_none=True)
    loss.backward()
    with torch.no_grad():
        approx_kl = ((ratio - 1) - log_ratio).mean()
        clip_frac = ((ratio - 1).abs() > clip).float().mean()
    norm = nn.utils.clip_grad_norm_(params, 0.5 if tuned else float("inf"))
    # One read of the statistics per step, as the TF.js agent does (it checks them for NaN first).
    stats = torch.stack([pg, v_loss, entropy, approx_kl, clip_frac, loss, norm]).tolist()
    opt.step()
    return stats


class Workload:
    """Actor, critic, Adam and fixed minibatches of one workload; `update()` runs all its steps."""

    def __init__(self, w, cfg):
        sizes_a = [w["stateDim"], *cfg["hidden"], cfg["numActions"]]
        sizes_c = [w["stateDim"], *cfg["hidden"], 1]
        self.actor, self.critic = mlp(sizes_a), mlp(sizes_c)
        self.params = list(self.actor.parameters()) + list(self.critic.parameters())
        lr_a, lr_c = (3e-4, 1e-3) if w["loss"] == "tuned" else (1e-5, 1e-6)
        self.opt = torch.optim.Adam([{"params": self.actor.parameters(), "lr": lr_a},
                                     {"params": self.critic.parameters(), "lr": lr_c}], eps=1e-5)
        g = torch.Generator().manual_seed(1)
        self.batches = [make_batch(n, w["stateDim"], cfg["numActions"], g) for n in w["batches"]]
        self.loss = w["loss"]
        self.update()  # warm-up (allocations, Adam state)

    def update(self):
        """Wall and CPU milliseconds of one update (CPU time is steadier on a shared machine)."""
        t0, c0 = time.perf_counter(), time.process_time()
        for b in self.batches:
            step(self.actor, self.critic, self.opt, b, self.loss, self.params)
        return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def sgemm_peak(n=2048, repeats=5):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - t0)
    return 2 * n ** 3 / statistics.median(times) / 1e9


def blas_probe():
    """Which BLAS torch really calls (scripts/bench/blas.ts decides from this): after one matmul, the
    lines of /proc/self/maps that name a BLAS/LAPACK library (and the one holding sgemm_), the
    address sgemm_ resolves to from libtorch_cpu (its own dependency order: with LD_LIBRARY_PATH at
    the reference libblas.so.3, libopenblas is mapped too, through liblapack), and BLAS_INFO."""
    a = torch.randn(64, 64)
    a @ a
    sgemm = None
    for lib in (os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so"), None):
        try:
            sgemm = ctypes.cast(ctypes.CDLL(lib).sgemm_, ctypes.c_void_p).value
            break
        except (OSError, AttributeError):
            continue
    lines = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split()
                path = parts[-1] if len(parts) >= 6 else ""
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                if re.search(r"blas|lapack|mkl|blis|atlas", os.path.basename(path), re.I) or (sgemm is not None and lo <= sgemm < hi):
                    lines.append(line.rstrip("\n"))
    except OSError:
        pass
    info = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return {"maps": "\n".join(lines), "sgemm": hex(sgemm) if sgemm else None, "blasInfo": info.group(1) if info else None}


def gemm(shapes, inner):
    """CPU milliseconds of each product [m, k] @ [k, n] (mean over `inner` calls), operands made
    beforehand and contiguous, as the TF.js side's (scripts/bench/ppoGemm.ts)."""
    out = []
    for m, k, n in shapes:
        pairs = [(torch.randn(m, k), torch.randn(k, n)) for _ in range(inner)]
        c0 = time.process_time()
        for a, b in pairs:
            a @ b
        out.append((time.process_time() - c0) * 1000 / inner)
    return out


def main():
    """Line protocol, so the benchmark can interleave repetitions with its own (side by side on a
    noisy machine): first line the config, then "run <name>" → {"ms", "cpuMs"}, "peak" → {"gflops"}, "info" (torch version, threads, blas_probe),
    "gemm {"shapes": [[m, k, n], ...], "inner": r}" → {"cpuMs": [per product]}."""
    cfg = json.loads(sys.stdin.readline())
    workloads = {w["name"]: Workload(w, cfg) for w in cfg["workloads"]}
    reply({"ready": True})
    for line in sys.stdin:
        cmd = line.strip()
        if cmd.startswith("run "):
            ms, cpu_ms = workloads[cmd[4:]].update()
            reply({"ms": ms, "cpuMs": cpu_ms})
        elif cmd == "peak":
            reply({"gflops": sgemm_peak()})
        elif cmd == "info":
            reply({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_probe()})
        elif cmd.startswith("gemm "):
            req = json.loads(cmd[5:])
            reply({"cpuMs": gemm(req["shapes"], req["inner"])})
        elif cmd == "quit":
            break
        else:
            reply({"error": f"unknown command {cmd!r}"})


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
