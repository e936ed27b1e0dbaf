"""Speed of the Python layer, as `hjepa perf` measures the C++ one: median microseconds of one Env.step
from Python, and env steps per second of VecEnv(n) with random actions, each the median of several
rounds. Run: PYTHONPATH=build/python python3 -m hjepa.perf [--json]."""
import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np

import hjepa


def env_step_us(steps, rounds):
    env = hjepa.Env(map_seed=1, task="red,green,blue")
    env.reset(seed=1)
    rng = np.random.default_rng(0)
    headings = [float(h) for h in rng.uniform(-math.pi, math.pi, steps)]
    medians = []
    for _ in range(rounds):
        times = []
        clock = time.perf_counter_ns
        step = env.step
        for h in headings:
            t0 = clock()
            _, _, terminated, truncated, _ = step(h)
            times.append(clock() - t0)
            if terminated or truncated:
                env.reset()
        medians.append(statistics.median(times) / 1000)
    return statistics.median(medians)


def vec_steps_per_second(num_envs, calls, rounds, threads):
    v = hjepa.VecEnv(num_envs, map_seed=1, task="red,green,blue", threads=threads)
    v.reset(seed=1)
    rng = np.random.default_rng(0)
    rates = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(calls):
            v.step(rng.uniform(-math.pi, math.pi, num_envs))  # random actions drawn in the loop, as a user would
        rates.append(num_envs * calls / (time.perf_counter() - t0))
    return statistics.median(rates), v.threads


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m hjepa.perf", description=__doc__)
    ap.add_argument("--num-envs", type=int, default=64)
    ap.add_argument("--threads", type=int, default=None, help="VecEnv worker threads (default: the machine's cores)")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if a.num_envs < 1 or a.rounds < 1 or (a.threads is not None and a.threads < 1):
        ap.error("--num-envs, --rounds and --threads must be positive integers")
    step_us = env_step_us(20000, a.rounds)
    rate, threads = vec_steps_per_second(a.num_envs, 2000, a.rounds, a.threads)
    out = {"env_step_us_median": round(step_us, 3), "vec_env": a.num_envs, "vec_threads": threads,
           "vec_steps_per_second_median": round(rate), "rounds": a.rounds, "cpus": os.cpu_count(),
           "python": sys.version.split()[0]}
    if a.json:
        print(json.dumps(out))
    else:
        print(f"Env.step from Python: {step_us:.2f} us (median of {a.rounds} rounds' medians)")
        print(f"VecEnv({a.num_envs}), {threads} threads, random actions: {rate:,.0f} env steps/s (median of {a.rounds} rounds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
