#!/usr/bin/env python3
"""The PyTorch peer of the PPO step the workbench times (scripts/gpu/bench.ts).

Same work as one PpoAgent gradient step with the tuned preset: actor 384->256->256->11 and critic
384->256->256->1 (tanh, orthogonal init), masked softmax policy, clipped surrogate, clipped value
loss, entropy bonus, per-network grad-norm clip 0.5, Adam (eps 1e-5; lr 3e-4 actor, 1e-3 critic).
Times the median step after warm-up on CUDA (synchronised) and on CPU with one thread.

Usage: python3 torch_peer.py --out DIR [--batches 256,1024,4096,16384] [--steps 7] [--budget-s 150]
Writes DIR/torch-bench.json. Without torch it writes a note saying so and exits 0.
"""
import argparse
import json
import os
import platform
import statistics
import time

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--batches", default="256,1024,4096,16384")
parser.add_argument("--steps", type=int, default=7)
parser.add_argument("--budget-s", type=float, default=150)
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)
out_file = os.path.join(args.out, "torch-bench.json")

try:
    import torch
except ImportError as err:  # the peer is optional: say so and let the run go on
    json.dump({"rows": [], "torch": None, "note": f"PyTorch is not installed here ({err}); the torch columns are empty"}, open(out_file, "w"), indent=2)
    print(f"torch peer skipped: {err}")
    raise SystemExit(0)

STATE, HIDDEN, ACTIONS = 384, 256, 11
CLIP, ENT, VCOEF, MAXNORM = 0.2, 0.01, 0.5, 0.5


def mlp(out_dim, gain):
    net = torch.nn.Sequential(torch.nn.Linear(STATE, HIDDEN), torch.nn.Tanh(), torch.nn.Linear(HIDDEN, HIDDEN), torch.nn.Tanh(), torch.nn.Linear(HIDDEN, out_dim))
    for i, layer in enumerate([net[0], net[2], net[4]]):
        torch.nn.init.orthogonal_(layer.weight, gain if i == 2 else 2 ** 0.5)
        torch.nn.init.zeros_(layer.bias)
    return net


def make_batch(n, device, gen):
    states = torch.randn(n, STATE, generator=gen) * 0.5
    allowed = torch.rand(n, ACTIONS, generator=gen) > 0.25
    allowed[:, 0] = True
    mask_add = torch.where(allowed, 0.0, -1e9)
    actions = torch.multinomial(allowed.float(), 1, generator=gen).squeeze(1)
    old_logp = -torch.log(allowed.float().sum(1))
    old_v = torch.randn(n, generator=gen) * 0.1
    adv = torch.randn(n, generator=gen)
    ret = torch.randn(n, generator=gen)
    return [t.to(device) for t in (states, mask_add, actions, old_logp, old_v, adv, ret)]


def ppo_step(actor, critic, opt_a, opt_c, batch):
    states, mask_add, actions, old_logp, old_v, adv, ret = batch
    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
    logp_all = torch.log_softmax(actor(states) + mask_add, dim=1)
    p = logp_all.exp()
    entropy = -(p * logp_all).sum(1).mean()
    logp = logp_all.gather(1, actions[:, None]).squeeze(1)
    ratio = (logp - old_logp).exp()
    pg = -torch.min(adv * ratio, adv * ratio.clamp(1 - CLIP, 1 + CLIP)).mean()
    v = critic(states).squeeze(1)
    v_clipped = old_v + (v - old_v).clamp(-CLIP, CLIP)
    vloss = torch.max((v - ret) ** 2, (v_clipped - ret) ** 2).mean()
    loss = pg + VCOEF * vloss - ENT * entropy
    opt_a.zero_grad(set_to_none=True)
    opt_c.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(actor.parameters(), MAXNORM)
    torch.nn.utils.clip_grad_norm_(critic.parameters(), MAXNORM)
    opt_a.step()
    opt_c.step()
    return loss


def time_device(device, label, batches, started):
    rows = []
    for n in batches:
        if time.time() - started > args.budget_s:
            print(f"{label} batch {n}: skipped, over the {args.budget_s} s budget")
            continue
        torch.manual_seed(1)
        gen = torch.Generator().manual_seed(2)
        actor, critic = mlp(ACTIONS, 0.01).to(device), mlp(1, 1.0).to(device)
        opt_a = torch.optim.Adam(actor.parameters(), lr=3e-4, eps=1e-5)
        opt_c = torch.optim.Adam(critic.parameters(), lr=1e-3, eps=1e-5)
        batch = make_batch(n, device, gen)
        sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
        for _ in range(3):
            ppo_step(actor, critic, opt_a, opt_c, batch)
        sync()
        times = []
        for _ in range(args.steps):
            t0 = time.perf_counter()
            ppo_step(actor, critic, opt_a, opt_c, batch)
            sync()
            times.append((time.perf_counter() - t0) * 1000)
        row = {"backend": label, "batch": n, "steps": len(times), "medianMs": statistics.median(times), "minMs": min(times), "meanMs": statistics.mean(times), "sdMs": statistics.stdev(times) if len(times) > 1 else 0.0}
        print(f"{label} batch {n}: median {row['medianMs']:.2f} ms (mean {row['meanMs']:.2f} ± {row['sdMs']:.2f}, N={len(times)})")
        rows.append(row)
    return rows


started = time.time()
batches = [int(b) for b in args.batches.split(",")]
result = {"torch": torch.__version__, "cuda": torch.version.cuda, "gpu": None, "cpu": platform.processor() or platform.machine(), "rows": []}
if torch.cuda.is_available():
    result["gpu"] = torch.cuda.get_device_name(0)
    result["rows"] += time_device(torch.device("cuda"), "torch-cuda", batches, started)
else:
    result["note"] = "no CUDA device visible to torch; CPU only"
torch.set_num_threads(1)
result["rows"] += time_device(torch.device("cpu"), "torch-cpu-1t", batches, started)
json.dump(result, open(out_file, "w"), indent=2)
