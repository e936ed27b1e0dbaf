#!/bin/sh
# Runs the project's perf commands and the PyTorch peer (tools/peer/torch_peer.py) in one go, on
# this CPU, one thread each, and prints the ratios. Not in CI; needs Debian's python3-torch.
# Usage: tools/peer/run_peer.sh [path/to/hjepa]   (default build/app/hjepa)
set -eu
HJEPA=${1:-build/app/hjepa}
PYTHON=${PYTHON:-/usr/bin/python3}  # Debian's python3-torch installs for the system Python
HERE=$(dirname "$0")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$HJEPA" perf train --json --steps 200 > "$TMP/train.json"
"$HJEPA" perf plan --json --plans 500 > "$TMP/plan.json"
"$PYTHON" "$HERE/torch_peer.py" --train-json "$TMP/train.json" --plan-json "$TMP/plan.json" > "$TMP/peer.json"
"$PYTHON" - "$TMP/train.json" "$TMP/plan.json" "$TMP/peer.json" <<'PY'
import json, sys
train, plan, peer = (json.load(open(p)) for p in sys.argv[1:4])
r_train = train["windows_per_second"] / peer["train"]["windows_per_second"]
r_plan = peer["plan"]["ms_per_step"] / plan["ms_per_step"]
print(f"train: hjepa {train['windows_per_second']:.0f} windows/s, torch {peer['train']['windows_per_second']:.0f} windows/s "
      f"(batch {train['batch']}, unroll {train['unroll']}): {r_train:.1f}x (bar 25x)")
print(f"plan:  hjepa {plan['ms_per_step']:.3f} ms, torch {peer['plan']['ms_per_step']:.2f} ms per agent step "
      f"(horizon {plan['horizon']}, {plan['iterations']} iterations, {plan['restarts']} restarts): {r_plan:.1f}x (bar 50x)")
print(f"hjepa plan: {plan['flops_per_step'] / 1e6:.1f} MFLOP per step, {100 * plan['fraction_of_peak']:.1f}% of one core's peak "
      f"({plan['peak_gflops']:.1f} GFLOP/s: {plan['peak_basis']})")
print(json.dumps({"train_ratio": r_train, "plan_ratio": r_plan, "hjepa_train": train, "hjepa_plan": plan, "torch": peer}))
PY
