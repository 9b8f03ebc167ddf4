"""Training-step throughput of backprop_lab against the matmul peak and against PyTorch.

Run from the repository root::

    .venv/bin/python benchmarks/bench_training.py            # full run, ~2-4 minutes
    .venv/bin/python benchmarks/bench_training.py --quick    # a rough look, ~30 s

Every BLAS is pinned to one thread (set below, before numpy is imported, and
``torch.set_num_threads(1)``), so the figures describe one core and do not depend on how
busy the others are. See benchmarks/README.md for the cases and the targets.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import backprop_lab as bl  # noqa: E402
from backprop_lab import datasets  # noqa: E402

try:
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
except ImportError:  # the comparison is optional
    torch = None

RESULTS = Path(__file__).resolve().parent / "results"

# CPU time of this process by default: on a machine shared with other work, time spent
# waiting for the core is not the code's; --timer wall measures elapsed time instead.
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
_clock = CLOCKS["cpu"]


def clock() -> float:
    return _clock()


# ------------------------------------------------------------------ the cases


@dataclass
class Case:
    key: str
    title: str
    layer_sizes: list[int]
    activation: str
    output_activation: str
    loss: str
    X: np.ndarray
    Y: np.ndarray
    learning_rate: float
    batch_size: int | None

    def network(self, dtype) -> bl.Network:
        return bl.Network(
            self.layer_sizes,
            activation=self.activation,
            output_activation=self.output_activation,
            loss=self.loss,
            seed=0,
            dtype=dtype,
        )

    @property
    def batch(self) -> int:
        return self.batch_size or self.X.shape[0]

    def matmul_flops(self) -> int:
        """Flops of the matrix products of one training step: 2 per multiply-add.

        Forward: one product per layer. Backward: per layer, the weight gradient
        a^T delta, and the input gradient delta W^T for every layer but the first.
        """
        b, sizes = self.batch, self.layer_sizes
        flops = 0
        for layer, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
            products = 2 if layer == 0 else 3
            flops += products * 2 * b * n_in * n_out
        return flops


def make_cases() -> list[Case]:
    xor = datasets.xor()
    moons = datasets.two_moons(n_samples=200, noise=0.1, seed=0)
    rng = np.random.default_rng(0)
    n, classes = 2048, 10
    X = rng.normal(size=(n, 784))
    Y = np.eye(classes)[rng.integers(0, classes, size=n)]
    return [
        Case(
            "a",
            "2-4-1 sigmoid, XOR (4 samples, full batch)",
            [2, 4, 1],
            "sigmoid",
            "sigmoid",
            "squared_error",
            xor.X,
            xor.Y,
            0.5,
            None,
        ),
        Case(
            "b",
            "2-16-16-1 tanh, two moons (200 samples, full batch)",
            [2, 16, 16, 1],
            "tanh",
            "sigmoid",
            "binary_cross_entropy",
            moons.X,
            moons.Y,
            0.5,
            None,
        ),
        Case(
            "c",
            "784-128-10 ReLU, softmax cross-entropy (2048 samples, batch 64)",
            [784, 128, 10],
            "relu",
            "softmax",
            "cross_entropy",
            X,
            Y,
            0.05,
            64,
        ),
    ]


def batch_indices(n: int, batch_size: int | None, steps: int, seed: int = 0) -> list:
    """The batches ``Network.train`` draws: a seeded permutation, reshuffled every epoch."""
    if batch_size is None or batch_size >= n:
        return [None] * steps
    rng = np.random.default_rng(seed)
    order, cursor, batches = np.arange(n), n, []
    for _ in range(steps):
        if cursor + batch_size > n:
            order = rng.permutation(n)
            cursor = 0
        batches.append(order[cursor : cursor + batch_size])
        cursor += batch_size
    return batches


# --------------------------------------------------------------- numpy runner


def run_numpy(case: Case, dtype, steps: int) -> tuple[float, bl.Network]:
    net = case.network(dtype)
    X, Y = case.X.astype(dtype), case.Y.astype(dtype)
    start = clock()
    net.train(
        X, Y, learning_rate=case.learning_rate, iterations=steps, batch_size=case.batch_size, seed=0
    )
    return clock() - start, net


# --------------------------------------------------------------- torch runner


class TorchRun:
    """The same model in PyTorch: same initial weights, loss, plain SGD and batches."""

    def __init__(self, case: Case, dtype, steps: int):
        tdtype = torch.float64 if dtype == np.float64 else torch.float32
        net = case.network(dtype)
        self.layers = []
        for w, b in zip(net.weights, net.biases):
            linear = torch.nn.Linear(w.shape[0], w.shape[1], dtype=tdtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(np.ascontiguousarray(w.T)))
                linear.bias.copy_(torch.from_numpy(b))
            self.layers.append(linear)
        self.model = torch.nn.Sequential(*self.layers)
        self.hidden = {
            "sigmoid": torch.sigmoid,
            "tanh": torch.tanh,
            "relu": torch.relu,
            "identity": lambda z: z,
        }[case.activation]
        self.case = case
        self.X = torch.from_numpy(case.X.astype(dtype))
        self.Y = torch.from_numpy(case.Y.astype(dtype))
        self.labels = torch.from_numpy(np.argmax(case.Y, axis=1))
        self.batches = batch_indices(case.X.shape[0], case.batch_size, steps)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=case.learning_rate)

    def loss(self, x, y, labels):
        case = self.case
        z = x
        for layer, linear in enumerate(self.layers):
            z = linear(z)
            if layer < len(self.layers) - 1:
                z = self.hidden(z)
        if case.loss == "cross_entropy":
            return F.cross_entropy(z, labels)
        if case.loss == "binary_cross_entropy":
            return F.binary_cross_entropy_with_logits(z, y, reduction="sum") / z.shape[0]
        out = torch.sigmoid(z) if case.output_activation == "sigmoid" else z
        return 0.5 * ((out - y) ** 2).sum() / z.shape[0]

    def run(self) -> float:
        X, Y, labels = self.X, self.Y, self.labels
        start = clock()
        for index in self.batches:
            if index is None:
                x, y, lab = X, Y, labels
            else:
                t = torch.from_numpy(index)
                x, y, lab = X[t], Y[t], labels[t]
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.loss(x, y, lab)
            loss.backward()
            self.optimizer.step()
        return clock() - start

    def parameters(self) -> list[np.ndarray]:
        out = []
        for linear in self.layers:
            out += [linear.weight.detach().numpy().T, linear.bias.detach().numpy()]
        return out


def run_torch(case: Case, dtype, steps: int) -> tuple[float, TorchRun]:
    runner = TorchRun(case, dtype, steps)
    return runner.run(), runner


# ------------------------------------------------------------------ matmul peak


def best_square_product(matmul, A, B, C, repeats: int) -> float:
    """Best time of ``matmul(A, B, out=C)`` after one warm-up (numpy or torch alike)."""
    matmul(A, B, out=C)
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        matmul(A, B, out=C)
        best = min(best, clock() - start)
    return best


def matmul_peak(dtype, sizes=(512, 768, 1024), repeats=5) -> dict:
    rng = np.random.default_rng(0)
    best = {}
    for n in sizes:
        A = rng.normal(size=(n, n)).astype(dtype)
        B = rng.normal(size=(n, n)).astype(dtype)
        C = np.empty((n, n), dtype=dtype)
        best[n] = 2.0 * n**3 / best_square_product(np.matmul, A, B, C, repeats) / 1e9
    return {"gflops": max(best.values()), "by_size": best}


def torch_matmul_peak(dtype, sizes=(512, 768, 1024), repeats=5) -> dict:
    """The same measurement through PyTorch's BLAS (MKL in the CPU wheels), for reference."""
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    generator = torch.Generator().manual_seed(0)
    best = {}
    for n in sizes:
        A = torch.randn(n, n, dtype=tdtype, generator=generator)
        B = torch.randn(n, n, dtype=tdtype, generator=generator)
        C = torch.empty(n, n, dtype=tdtype)
        best[n] = 2.0 * n**3 / best_square_product(torch.matmul, A, B, C, repeats) / 1e9
    return {"gflops": max(best.values()), "by_size": best}


def best_step_products(x, w1, w2, a1, d2, d1, repeats: int) -> float:
    """Best time of one step's five products (numpy arrays or torch tensors alike)."""
    best = float("inf")
    for _ in range(repeats):
        start = clock()
        _ = x @ w1
        _ = a1 @ w2
        _ = a1.T @ d2
        _ = d2 @ w2.T
        _ = x.T @ d1
        best = min(best, clock() - start)
    return best


def case_gemm_ceiling(case: Case, dtype, repeats=200) -> float:
    """GFLOP/s of the step's five products alone (same shapes), best of ``repeats``."""
    rng = np.random.default_rng(0)
    b = case.batch
    (n0, n1), (_, n2) = zip(case.layer_sizes[:-1], case.layer_sizes[1:])
    x = rng.normal(size=(b, n0)).astype(dtype)
    w1 = rng.normal(size=(n0, n1)).astype(dtype)
    w2 = rng.normal(size=(n1, n2)).astype(dtype)
    a1 = rng.normal(size=(b, n1)).astype(dtype)
    d2 = rng.normal(size=(b, n2)).astype(dtype)
    d1 = rng.normal(size=(b, n1)).astype(dtype)
    return case.matmul_flops() / best_step_products(x, w1, w2, a1, d2, d1, repeats) / 1e9


def torch_gemm_ceiling(case: Case, dtype, repeats=200) -> float:
    """:func:`case_gemm_ceiling` through PyTorch (the same five products and shapes)."""
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    g = torch.Generator().manual_seed(0)
    b = case.batch
    (n0, n1), (_, n2) = zip(case.layer_sizes[:-1], case.layer_sizes[1:])
    x, w1 = torch.randn(b, n0, dtype=tdtype, generator=g), torch.randn(n0, n1, dtype=tdtype)
    w2, a1 = torch.randn(n1, n2, dtype=tdtype), torch.randn(b, n1, dtype=tdtype)
    d2, d1 = torch.randn(b, n2, dtype=tdtype), torch.randn(b, n1, dtype=tdtype)
    return case.matmul_flops() / best_step_products(x, w1, w2, a1, d2, d1, repeats) / 1e9


# ----------------------------------------------------------------------- driver


def calibrate(run, target_seconds: float, minimum: int = 20) -> int:
    """Steps for one timed run to take about ``target_seconds``."""
    steps = minimum
    while True:
        elapsed = run(steps)
        if elapsed >= 0.1 or steps >= 10**6:
            break
        steps *= 4
    return max(minimum, int(steps * target_seconds / max(elapsed, 1e-9)))


def agreement(case: Case, dtype, steps: int = 20) -> float:
    """Largest parameter difference between the numpy and torch runs after ``steps``."""
    _, net = run_numpy(case, dtype, steps)
    _, runner = run_torch(case, dtype, steps)
    ours = [p for pair in zip(net.weights, net.biases) for p in pair]
    diffs = [np.max(np.abs(a - b)) for a, b in zip(ours, runner.parameters())]
    return float(max(diffs))


def bench_case(case: Case, dtype, rounds: int, seconds: float, use_torch: bool) -> dict:
    name = np.dtype(dtype).name
    np_steps = calibrate(lambda s: run_numpy(case, dtype, s)[0], seconds)
    result = {"case": case.key, "title": case.title, "dtype": name, "numpy_steps": np_steps}
    numpy_rates, torch_rates = [], []
    if use_torch:
        torch_steps = calibrate(lambda s: run_torch(case, dtype, s)[0], seconds)
        result["torch_steps"] = torch_steps
    for r in range(rounds):  # alternate, so drifts in machine load hit both alike
        order = ["numpy", "torch"] if r % 2 == 0 else ["torch", "numpy"]
        for which in order:
            if which == "numpy":
                numpy_rates.append(np_steps / run_numpy(case, dtype, np_steps)[0])
            elif use_torch:
                torch_rates.append(torch_steps / run_torch(case, dtype, torch_steps)[0])
    result["numpy_steps_per_s"] = max(numpy_rates)
    result["numpy_steps_per_s_median"] = statistics.median(numpy_rates)
    if use_torch:
        result["torch_steps_per_s"] = max(torch_rates)
        result["torch_steps_per_s_median"] = statistics.median(torch_rates)
        result["ratio"] = result["numpy_steps_per_s"] / result["torch_steps_per_s"]
        result["ratio_median"] = (
            result["numpy_steps_per_s_median"] / result["torch_steps_per_s_median"]
        )
        result["max_param_difference_after_20_steps"] = agreement(case, dtype)
    result["matmul_flops_per_step"] = case.matmul_flops()
    result["gflops"] = case.matmul_flops() * result["numpy_steps_per_s"] / 1e9
    if use_torch:
        result["torch_gflops"] = case.matmul_flops() * result["torch_steps_per_s"] / 1e9
    return result


TARGETS = {("c", "ratio"): 1.3, ("c", "peak_fraction"): 0.60, ("b", "ratio"): 2.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs")
    parser.add_argument("--rounds", type=int, default=None, help="alternating rounds")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per timed run")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    parser.add_argument("--cases", default="abc", help="which cases, e.g. 'c'")
    parser.add_argument(
        "--timer",
        choices=sorted(CLOCKS),
        default="cpu",
        help="cpu: CPU time of this process (default); wall: elapsed time",
    )
    args = parser.parse_args(argv)
    global _clock
    _clock = CLOCKS[args.timer]
    rounds = args.rounds or (2 if args.quick else 5)
    seconds = args.seconds or (0.15 if args.quick else 0.5)
    use_torch = torch is not None and not args.no_torch

    print(
        f"backprop_lab {bl.__version__}, numpy {np.__version__}"
        + (f", torch {torch.__version__}" if torch is not None else ", torch not installed")
        + f"; Python {platform.python_version()} on {platform.machine()}, 1 BLAS thread, "
        f"{args.timer} time"
    )
    peak64 = matmul_peak(np.float64)
    peak32 = matmul_peak(np.float32)
    print(
        f"matmul peak (best of 512/768/1024 square): float64 {peak64['gflops']:.1f} GFLOP/s, "
        f"float32 {peak32['gflops']:.1f} GFLOP/s"
    )

    torch_peaks = None
    if use_torch:
        torch_peaks = {
            "float64": torch_matmul_peak(np.float64),
            "float32": torch_matmul_peak(np.float32),
        }
        print(
            f"the same through torch (MKL): float64 {torch_peaks['float64']['gflops']:.1f} "
            f"GFLOP/s, float32 {torch_peaks['float32']['gflops']:.1f} GFLOP/s"
        )

    cases = [c for c in make_cases() if c.key in args.cases]
    results = []
    for case in cases:
        for dtype in (np.float64, np.float32):
            result = bench_case(case, dtype, rounds, seconds, use_torch)
            result["peak_fraction"] = result["gflops"] / peak64["gflops"]
            if case.key == "c":
                result["gemm_ceiling_gflops"] = case_gemm_ceiling(case, dtype)
                if use_torch:
                    result["torch_gemm_ceiling_gflops"] = torch_gemm_ceiling(case, dtype)
            results.append(result)

    header = f"{'case':<5}{'dtype':<9}{'numpy steps/s':>15}{'torch steps/s':>15}{'ratio':>8}"
    header += f"{'GFLOP/s':>9}{'of f64 peak':>13}"
    print()
    for case in cases:
        print(f"({case.key}) {case.title}")
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        torch_rate = f"{r['torch_steps_per_s']:>15,.0f}" if use_torch else f"{'-':>15}"
        ratio = f"{r['ratio']:>7.2f}x" if use_torch else f"{'-':>8}"
        flops = f"{r['gflops']:>9.1f}{r['peak_fraction']:>12.0%}" if r["case"] == "c" else ""
        print(
            f"({r['case']}) {r['dtype']:<9}{r['numpy_steps_per_s']:>15,.0f}{torch_rate}"
            f"{ratio}{flops}"
        )
    print()
    print("steps/s: best of the alternating rounds (medians in the JSON); ratio = numpy/torch.")
    for r in results:
        if r["case"] == "c":
            print(
                f"(c) {r['dtype']}: the step's five products alone reach "
                f"{r['gemm_ceiling_gflops']:.1f} GFLOP/s at these shapes; "
                + (
                    f"through torch {r['torch_gemm_ceiling_gflops']:.1f}; "
                    f"a whole torch step reaches {r['torch_gflops']:.1f} GFLOP/s"
                    if use_torch
                    else ""
                )
            )
        if use_torch:
            print(
                f"({r['case']}) {r['dtype']}: numpy and torch parameters agree to "
                f"{r['max_param_difference_after_20_steps']:.1e} after 20 steps"
            )

    verdicts = []
    for r in results:
        for (key, metric), target in TARGETS.items():
            if r["case"] == key and r["dtype"] == "float64" and metric in r:
                ok = r[metric] >= target
                verdicts.append(
                    {
                        "case": key,
                        "dtype": r["dtype"],
                        "metric": metric,
                        "target": target,
                        "value": r[metric],
                        "met": ok,
                    }
                )
    if verdicts:
        print()
        for v in verdicts:
            shown = f"{v['value']:.0%}" if v["metric"] == "peak_fraction" else f"{v['value']:.2f}x"
            wanted = (
                f"{v['target']:.0%}" if v["metric"] == "peak_fraction" else f"{v['target']:.1f}x"
            )
            print(
                f"target ({v['case']}) {v['metric']} >= {wanted}: {shown} "
                f"{'met' if v['met'] else 'MISSED'}"
            )

    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    record = {
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "when": stamp,
        "versions": {
            "backprop_lab": bl.__version__,
            "numpy": np.__version__,
            "torch": getattr(torch, "__version__", None),
            "python": platform.python_version(),
        },
        "matmul_peak_gflops": {"float64": peak64, "float32": peak32},
        "torch_matmul_peak_gflops": torch_peaks,
        "rounds": rounds,
        "timer": args.timer,
        "seconds_per_run": seconds,
        "results": results,
        "targets": verdicts,
    }
    for path in (RESULTS / f"bench_training-{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")
    print(f"\nwritten to {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
