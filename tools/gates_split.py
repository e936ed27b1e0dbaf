#!/usr/bin/env python3
"""Splits a gates-suite bench CSV by whether not knowing the gates cost the oracle anything.

An episode is "gate-bound" when `oracle-sighted` (the oracle without the episode's gates: each taken
for open until seen within the range rays' reach) took more steps than `oracle` (which knows them).
For each group and agent it prints the episodes, successes, all steps, and the median steps/oracle
over successes. The CSV must hold both oracles, as docs/make_results.sh's gates run writes it.

Usage: tools/gates_split.py results/gates.csv
"""
import csv
import statistics
import sys


def main(path):
    rows = list(csv.DictReader(open(path, newline="")))
    by_case = {}
    for r in rows:
        by_case.setdefault((r["map"], r["task"], r["start"]), {})[(r["agent"], r["model_seed"])] = r
    agents = []
    for r in rows:
        if r["agent"] not in agents:
            agents.append(r["agent"])
    if "oracle" not in agents or "oracle-sighted" not in agents:
        sys.exit(f"{path}: needs rows of both oracle and oracle-sighted (bench --agents ...,oracle,oracle-sighted)")

    def steps(case, agent):
        return [int(r["steps"]) for (a, _), r in case.items() if a == agent]

    groups = {"gate-bound": [], "other": []}
    for case in by_case.values():
        bound = steps(case, "oracle-sighted")[0] > steps(case, "oracle")[0]
        groups["gate-bound" if bound else "other"].append(case)
    for name, cases in groups.items():
        print(f"{name}: {len(cases)} cases")
        for agent in agents:
            rs = [r for case in cases for (a, _), r in case.items() if a == agent]
            wins = [r for r in rs if r["success"] == "1"]
            ratios = [int(r["steps"]) / int(r["oracle_steps"]) for r in wins]
            median = f"{statistics.median(ratios):.3f}" if ratios else "-"
            print(f"  {agent:16s} episodes {len(rs):4d}  successes {len(wins):4d}  steps {sum(int(r['steps']) for r in rs):6d}"
                  f"  median steps/oracle {median}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
