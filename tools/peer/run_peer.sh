#!/bin/sh
# Runs the project's perf commands and the PyTorch peer (tools/peer/torch_peer.py) in one go, on
# this CPU, one thread each, and prints the ratios. Not in CI; needs Debian's python3-torch.
# Usage: tools/peer/run_peer.sh [path/to/hjepa]   (default build/app/hjepa)
#   RUNS=N (default 1): N rounds back to back, each hjepa then the peer; prints every round's ratios,
#   their medians, and the ratio of each side's median. On a shared VM single rounds swing by 2x
#   (both sides), so quote the medians of several rounds.
set -eu
HJEPA=${1:-build/app/hjepa}
PYTHON=${PYTHON:-/usr/bin/python3}  # Debian's python3-torch installs for the system Python
RUNS=${RUNS:-1}
case "$RUNS" in '' | *[!0-9]* | 0) echo "run_peer.sh: RUNS must be a positive integer, got '$RUNS'" >&2; exit 2 ;; esac
HERE=$(dirname "$0")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
i=1
while [ "$i" -le "$RUNS" ]; do
  "$HJEPA" perf train --json --steps 200 > "$TMP/train$i.json"
  "$HJEPA" perf plan --json --plans 500 > "$TMP/plan$i.json"
  "$PYTHON" "$HERE/torch_peer.py" --train-json "$TMP/train$i.json" --plan-json "$TMP/plan$i.json" > "$TMP/peer$i.json"
  i=$((i + 1))
done
"$PYTHON" - "$TMP" "$RUNS" <<'PY'
import json, statistics, sys
tmp, runs = sys.argv[1], int(sys.argv[2])
rounds = []
for i in range(1, runs + 1):
    train, plan, peer = (json.load(open(f"{tmp}/{name}{i}.json")) for name in ("train", "plan", "peer"))
    r_train = train["windows_per_second"] / peer["train"]["windows_per_second"]
    r_plan = peer["plan"]["ms_per_step"] / plan["ms_per_step"]
    rounds.append({"train_ratio": r_train, "plan_ratio": r_plan, "hjepa_train": train, "hjepa_plan": plan, "torch": peer})
    print(f"round {i}: train: hjepa {train['windows_per_second']:.0f} windows/s, torch {peer['train']['windows_per_second']:.0f} "
          f"windows/s (batch {train['batch']}, unroll {train['unroll']}): {r_train:.1f}x (bar 25x)")
    print(f"round {i}: plan:  hjepa {plan['ms_per_step']:.3f} ms, torch {peer['plan']['ms_per_step']:.2f} ms per agent step "
          f"(horizon {plan['horizon']}, {plan['iterations']} iterations, {plan['restarts']} restarts): {r_plan:.1f}x (bar 50x)")
med = statistics.median
plan = rounds[0]["hjepa_plan"]
summary = {
    "runs": runs,
    "train_ratio": med(r["train_ratio"] for r in rounds),
    "plan_ratio": med(r["plan_ratio"] for r in rounds),
    "train_ratio_of_medians": med(r["hjepa_train"]["windows_per_second"] for r in rounds) /
                              med(r["torch"]["train"]["windows_per_second"] for r in rounds),
    "plan_ratio_of_medians": med(r["torch"]["plan"]["ms_per_step"] for r in rounds) /
                             med(r["hjepa_plan"]["ms_per_step"] for r in rounds),
}
if runs > 1:
    print(f"median of {runs} rounds: train {summary['train_ratio']:.1f}x (range {min(r['train_ratio'] for r in rounds):.1f}-"
          f"{max(r['train_ratio'] for r in rounds):.1f}; ratio of the medians {summary['train_ratio_of_medians']:.1f}x), plan "
          f"{summary['plan_ratio']:.1f}x (range {min(r['plan_ratio'] for r in rounds):.1f}-{max(r['plan_ratio'] for r in rounds):.1f}; "
          f"ratio of the medians {summary['plan_ratio_of_medians']:.1f}x)")
print(f"hjepa plan: {plan['flops_per_step'] / 1e6:.1f} MFLOP per step, {100 * plan['fraction_of_peak']:.1f}% of one core's peak "
      f"({plan['peak_gflops']:.1f} GFLOP/s: {plan['peak_basis']})")
# The same count for both sides (the peer runs the same layers at the same sizes): the training step's
# FLOP rate as a share of one core's peak, and what the 25x bar asks of hjepa against this peer.
train = rounds[0]["hjepa_train"]
if "flops_per_window" in train:
    fpw, peak = train["flops_per_window"], train["peak_gflops"]
    h_train = med(r["hjepa_train"]["windows_per_second"] for r in rounds)
    t_train = med(r["torch"]["train"]["windows_per_second"] for r in rounds)
    summary["train_fraction_of_peak"] = h_train * fpw / 1e9 / peak
    summary["torch_train_fraction_of_peak"] = t_train * fpw / 1e9 / peak
    print(f"train: {fpw / 1e3:.1f} kFLOP per window; hjepa {h_train * fpw / 1e9:.1f} GFLOP/s ({100 * summary['train_fraction_of_peak']:.1f}% "
          f"of the nominal peak), torch {t_train * fpw / 1e9:.2f} GFLOP/s ({100 * summary['torch_train_fraction_of_peak']:.1f}%); 25x this torch "
          f"would be {25 * t_train * fpw / 1e9:.1f} GFLOP/s ({100 * 25 * summary['torch_train_fraction_of_peak']:.1f}% of the nominal peak)")
    measured = med(r["hjepa_train"].get("measured_peak_gflops", 0) for r in rounds)
    if measured > 0:  # the FMA loop's rate on this core (the nominal clock can be a VM's base clock)
        summary["measured_peak_gflops"] = measured
        summary["train_fraction_of_measured_peak"] = h_train * fpw / 1e9 / measured
        summary["torch_train_fraction_of_measured_peak"] = t_train * fpw / 1e9 / measured
        print(f"measured FMA peak {measured:.1f} GFLOP/s: hjepa train {100 * summary['train_fraction_of_measured_peak']:.1f}%, torch "
              f"{100 * summary['torch_train_fraction_of_measured_peak']:.1f}%, hjepa plan "
              f"{100 * med(r['hjepa_plan']['gflops'] for r in rounds) / measured:.1f}%")
summary["rounds"] = rounds
print(json.dumps(summary))
PY
