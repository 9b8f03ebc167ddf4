"""Full-batch updates per second: the browser engine under Node against numpy's ``train``.

Run from the repository root::

    .venv/bin/python benchmarks/bench_engine.py              # about 20 s
    .venv/bin/python benchmarks/bench_engine.py --seconds 2  # longer timed runs

The networks 2-4-2-1, 2-8-8-1 and 2-16-16-1 (tanh hidden layers, a sigmoid output,
binary cross-entropy) train on 200 two-moons points by full-batch gradient descent, from
the same weights, in numpy (``Network.train``, its BLAS pinned to one thread) and in
JavaScript (``backprop_lab/explorers/js/engine.js``'s ``train`` under Node). Each side
runs a warm-up and then ``--rounds`` timed runs of about ``--seconds`` each; the best
rate of each is kept. The timer is each process's CPU time (``--timer wall`` for elapsed
time): the machines are shared, and time spent waiting for a core is not the code's.
Budgets (issue 15): the engine at least 1x numpy on 2-4-2-1, 0.8x on
2-8-8-1 and 0.4x on 2-16-16-1. See benchmarks/README.md.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import backprop_lab as bl  # noqa: E402
from backprop_lab.explorers.js_engine import ENGINE_PATH  # noqa: E402

CASES = {"2-4-2-1": [2, 4, 2, 1], "2-8-8-1": [2, 8, 8, 1], "2-16-16-1": [2, 16, 16, 1]}
BUDGETS = {"2-4-2-1": 1.0, "2-8-8-1": 0.8, "2-16-16-1": 0.4}

# The Node side: warm up, then time `rounds` runs of `iterations` updates; print rates.
NODE_DRIVER = """
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
const job = JSON.parse(readFileSync(0, "utf8"));
const engine = await import(pathToFileURL(job.engine).href);
const copy = (net) => ({ ...net, weights: structuredClone(net.weights),
                         biases: structuredClone(net.biases) });
engine.train(copy(job.net), job.X, job.Y, { learningRate: 0.1, iterations: 2000 });
const seconds = job.timer === "cpu"
  ? () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; }
  : () => performance.now() / 1000;
const rates = [];
for (let r = 0; r < job.rounds; r++) {
  const start = seconds();
  engine.train(copy(job.net), job.X, job.Y, { learningRate: 0.1, iterations: job.iterations });
  rates.push(job.iterations / (seconds() - start));
}
process.stdout.write(JSON.stringify(rates));
"""


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def numpy_rate(net: bl.Network, X, Y, seconds: float, rounds: int, timer: str) -> float:
    """Best updates per second of ``Network.train`` (after a warm-up)."""
    clock = CLOCKS[timer]
    net.copy().train(X, Y, learning_rate=0.1, iterations=500)
    start = clock()
    net.copy().train(X, Y, learning_rate=0.1, iterations=1000)
    iterations = max(1000, int(seconds * 1000 / (clock() - start)))
    best = 0.0
    for _ in range(rounds):
        start = clock()
        net.copy().train(X, Y, learning_rate=0.1, iterations=iterations)
        best = max(best, iterations / (clock() - start))
    return best


def node_rate(node: str, net: bl.Network, X, Y, iterations: int, rounds: int, timer: str) -> float:
    """Best updates per second of the engine's ``train`` under Node."""
    job = {
        "engine": str(ENGINE_PATH),
        "net": {
            "sizes": net.layer_sizes,
            "activation": net.activation,
            "outputActivation": net.output_activation,
            "loss": net.loss_name,
            "weights": [w.tolist() for w in net.weights],
            "biases": [b.tolist() for b in net.biases],
        },
        "X": X.tolist(),
        "Y": Y.tolist(),
        "iterations": iterations,
        "rounds": rounds,
        "timer": timer,
    }
    done = subprocess.run(
        [node, "--input-type=module", "-e", NODE_DRIVER],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"node failed:\n{done.stderr}")
    return max(json.loads(done.stdout))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one timed run")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs per side (best kept)")
    parser.add_argument(
        "--timer",
        choices=sorted(CLOCKS),
        default="cpu",
        help="CPU time of each process (default; the machine may be shared) or elapsed time",
    )
    args = parser.parse_args()
    node = shutil.which("node")
    if node is None:
        raise SystemExit("node (Node 20) must be on PATH")
    version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    X, Y = bl.datasets.two_moons(200, noise=0.1, seed=0)
    print(
        f"full-batch updates/s ({args.timer} time, best of {args.rounds}), 200 points, "
        f"tanh hidden, sigmoid + BCE; Node {version}"
    )
    print(f"{'network':<10} {'numpy':>10} {'engine':>10} {'ratio':>7} {'budget':>7}  met")
    all_met = True
    for name, sizes in CASES.items():
        net = bl.Network(sizes, "tanh", "sigmoid", "binary_cross_entropy", seed=0)
        ours = numpy_rate(net, X, Y, args.seconds, args.rounds, args.timer)
        iterations = max(1000, int(args.seconds * ours))
        theirs = node_rate(node, net, X, Y, iterations, args.rounds, args.timer)
        ratio = theirs / ours
        met = ratio >= BUDGETS[name]
        all_met &= met
        print(
            f"{name:<10} {ours:>10,.0f} {theirs:>10,.0f} {ratio:>6.2f}x "
            f"{BUDGETS[name]:>6.1f}x  {'yes' if met else 'NO'}"
        )
    return 0 if all_met else 1


if __name__ == "__main__":
    sys.exit(main())
