#!/usr/bin/python3
"""The PyTorch peer of `hjepa perf train` and `hjepa perf plan` (not in CI).

Builds level 1 at the sizes the perf commands report (E1 and P1 layer widths, P1's input
features, the inverse-dynamics and colour heads, batch, unroll, horizon, iterations, restarts)
and times, on one thread, the same two things in PyTorch:
  train: one joint step: stop-gradient targets E1(o_1..k), s0 = E1(o_0), k residual P1 steps,
         prediction MSE + VICReg variance on s0 + inverse dynamics (s0, s1) -> (cos, sin),
         backward, gradient clipping at norm 10, Adam;
  plan:  one agent step of the gradient planner: `iterations` x (rollout of R candidate heading
         sequences through P1 and the colour head's -log p(colour), backward to the headings,
         Adam on the angles), a final evaluation of the R candidates keeping their latents, the
         chosen one's latents.
Random data and weights: speed does not depend on them. Prints one JSON object.
Usage: torch_peer.py --train-json TRAIN.json --plan-json PLAN.json [--steps N] [--plans N]
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


def mlp(widths):
    layers = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(torch.nn.Linear(a, b))
        if i + 2 < len(widths):
            layers.append(torch.nn.GELU(approximate="tanh"))  # the project's GELU is the tanh form
    return torch.nn.Sequential(*layers)


class Inputs:
    """P1's input as `p1_inputs` lists it: s, cos h, sin h, s cos h, s sin h, cos(W s + b)."""

    def __init__(self, parts, latent):
        self.parts = parts
        fourier = next((p["size"] for p in parts if p["name"] == "fourier_cos"), 0)
        g = torch.Generator().manual_seed(0)
        self.W = torch.randn(fourier, latent, generator=g) * 0.5
        self.b = torch.rand(fourier, generator=g) * 2 * math.pi

    def __call__(self, s, h):  # s: B x D, h: B
        c, sn = torch.cos(h)[:, None], torch.sin(h)[:, None]
        pieces = {"s": s, "cos_heading": c, "sin_heading": sn, "s_cos_heading": s * c, "s_sin_heading": s * sn,
                  "fourier_cos": torch.cos(s @ self.W.T + self.b)}
        return torch.cat([pieces[p["name"]] for p in self.parts], dim=1)


def time_train(tj, steps):
    B, k = tj["batch"], tj["unroll"]
    e1, p1, idm = mlp(tj["e1_layers"]), mlp(tj["p1_layers"]), mlp(tj["idm_layers"])
    D, Fdim = tj["e1_layers"][-1], tj["e1_layers"][0]
    inputs = Inputs(tj["p1_inputs"], D)
    params = list(e1.parameters()) + list(p1.parameters()) + list(idm.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    frames = torch.randn(k + 1, B, Fdim)
    headings = (torch.rand(k, B) * 2 - 1) * math.pi
    times = []
    for step in range(steps + 10):
        t0 = time.perf_counter()
        with torch.no_grad():
            targets = e1(frames[1:].reshape(k * B, Fdim)).reshape(k, B, D)
        s0 = e1(frames[0])
        s, pred = s0, 0.0
        for t in range(k):
            s = s + p1(inputs(s, headings[t]))
            pred = pred + ((s - targets[t]) ** 2).sum(dim=1).mean()
        pred = pred / k
        std = torch.sqrt(s0.var(dim=0) + 1e-4)
        var = F.relu(1 - std).mean()
        s1 = e1(frames[1])
        dirs = torch.stack([torch.cos(headings[0]), torch.sin(headings[0])], dim=1)
        idm_loss = ((idm(torch.cat([s0, s1], dim=1)) - dirs) ** 2).mean()
        loss = pred + var + idm_loss
        opt.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 10.0)
        opt.step()
        if step >= 10:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"windows_per_second": B / med, "ms_per_step": 1000 * med, "steps": steps, "batch": B, "unroll": k}


def time_plan(pj, plans):
    H, iters, R = pj["horizon"], pj["iterations"], pj["restarts"]
    D = pj["p1_layers"][-1]
    p1, head = mlp(pj["p1_layers"]), mlp(pj["colour_head_layers"])
    for p in list(p1.parameters()) + list(head.parameters()):
        p.requires_grad_(False)
    inputs = Inputs(pj["p1_inputs"], D)
    colours = pj["colour_head_layers"][-1]

    def cost(s0, theta, colour, latents=None):  # theta: H x R -> costs: R; latents, if a list, gets every step's s
        s = s0.expand(theta.shape[1], D)
        total = 0
        for t in range(H):
            s = s + p1(inputs(s, theta[t]))
            if latents is not None:
                latents.append(s)
            w = 2.0 if t == H - 1 else 1.0
            total = total + w * -F.log_softmax(head(s), dim=1)[:, colour]
        return total

    times = []
    g = torch.Generator().manual_seed(5)
    for k in range(plans + 10):
        s0 = torch.randn(1, D, generator=g)
        colour = k % colours
        t0 = time.perf_counter()
        theta = ((torch.rand(H, R, generator=g) * 2 - 1) * math.pi).requires_grad_(True)
        opt = torch.optim.Adam([theta], lr=0.25, betas=(0.9, 0.999), eps=1e-6)
        for _ in range(iters):
            opt.zero_grad(set_to_none=False)
            cost(s0, theta, colour).sum().backward()  # columns are independent: d sum / d theta_r = d cost_r / d theta_r
            opt.step()
        with torch.no_grad():
            latents = []
            c = cost(s0, theta, colour, latents)
            best = int(torch.argmin(c))
            chosen = [s[best] for s in latents]  # the chosen plan's latents (the project keeps them)
        if k >= 10:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"ms_per_step": 1000 * med, "plans": plans, "horizon": H, "iterations": iters, "restarts": R}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-json", required=True)
    ap.add_argument("--plan-json", required=True)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--plans", type=int, default=100)
    a = ap.parse_args()
    tj, pj = json.load(open(a.train_json)), json.load(open(a.plan_json))
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "train": time_train(tj, a.steps), "plan": time_plan(pj, a.plans)}))


if __name__ == "__main__":
    main()
