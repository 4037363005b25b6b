#!/usr/bin/env python3
"""An independent PyTorch candidate for the qnn-oracle golden cases, gradients by autograd.

    python3 qnn_torch.py CASE.json CANDIDATE_OUT.json [--dtype float64|float32] [--seed S] [--replicas R]
                         [--steps-per-unit N]

Written from spec/model.md and spec/reference-format.md the way a PyTorch user would: the model is the
per-sample loss l = (f(x; W) - y)^2 / 2 with f(x; W) = x^T W W^T x - tr(W W^T) and every gradient of the
dynamics comes from autograd on a loss, never from a hand-derived gradient formula:

- sgd-replay, statistical: `loss.backward()` on the batch loss (1/b) sum_i (f(x_i) - y_i)^2 / 2 and
  W -= eta * W.grad. Its gradient is (1/b) sum_i e_i grad_W f(x_i) = (2 / b) sum_i e_i (x_i x_i^T - I) W,
  so learning rate eta gives exactly the spec's step W' = W - (2 eta / b) sum_i e_i (x_i x_i^T - I) W.
- flow: dW/dt = -grad_W L(W), L the population loss E[l] = |W W^T - A|_F^2 + s^2 / 2 (spec/model.md: the
  flow's time t has dW/dt = -grad L = -4 (M - A) W; the reported risk R = E[(f - f*)^2] = 2 L - s^2 is
  twice it). L is written as |W W^T - A|_F^2 (the Gaussian expectation E[(x^T B x - tr B)^2] = 2 tr B^2 is
  the one closed formula used) and its gradient comes from torch.autograd.grad. Classical fixed-step RK4.
- effective: the mean ODE of online SGD in overlap coordinates Q = Theta^T W, P = W_perp^T W_perp
  (spec/reference-format.md, "Points for implementers"). Its drift is the population gradient flow written
  in (Q, P): W = Theta Q + Theta_perp U is an orthogonal change of variables, L = |Q Q^T - Lambda|^2 +
  2 tr(Q P Q^T) + tr P^2 depends on U only through P = U^T U, so dQ/dt = -dL/dQ and dU/dt = -U S with
  S = dL/dP + dL/dP^T, i.e. dP/dt = -(S P + P S), both from autograd of L(Q, P). The O(eta) noise term
  4 eta bracket(Q, G) of proofs-notes/effective-dynamics.md (0.1) is written out. Classical RK4.
- identity: T'(B, M), the step drift and the risk evaluated with torch tensors (closed forms; no gradient).

`--dtype float32` sets torch's default dtype and casts every input to it (so every tensor and operation
is float32) and writes "precision": "float32". Files are read and written by ../python/qnn_case.py.
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python"))
import qnn_case  # noqa: E402  (the repository's case reader / candidate writer)

DT = torch.float64  # set from --dtype
# RK4 steps per unit of lambda_max t on the flow and per unit of the rate bound of the effective ODE, by
# precision (run_flow and run_effective say why).
FLOW_STEPS = {"float64": 250, "float32": 100}
EFFECTIVE_STEPS = {"float64": 25, "float32": 25}


def tensor(a):
    """A case input (NumPy float64) as a tensor of the working dtype."""
    return torch.as_tensor(np.asarray(a, dtype=np.float64)).to(DT)


def teacher(inp):
    lam = tensor(inp["lambda"]).reshape(inp["r"])
    theta = tensor(inp["theta"])  # d x r, column j = theta_j
    return lam, theta, theta @ torch.diag(lam) @ theta.T


def observables(W, theta, A):
    """risk 2 |M - A|_F^2, overlaps theta_j^T M theta_j, tr M; W may carry leading replica axes."""
    M = W @ W.transpose(-1, -2)
    risk = 2 * ((M - A) ** 2).sum(dim=(-2, -1))
    overlaps = ((theta.T @ W) ** 2).sum(dim=-1)
    return risk, overlaps, (W ** 2).sum(dim=(-2, -1))


def stack(obs):
    return {"risk": torch.stack([o[0] for o in obs]), "overlaps": torch.stack([o[1] for o in obs]),
            "traceM": torch.stack([o[2] for o in obs])}


def rk4(rhs, state, times, h_max):
    """Classical RK4 on a tuple of tensors, fixed step: each interval between output times is cut into
    ceil(length / h_max) equal steps. Returns the state at every time (times non-decreasing, from 0)."""
    t, out = 0.0, []
    for target in times:
        target = float(target)
        n = int(math.ceil((target - t) / h_max - 1e-9)) if target > t else 0
        h = (target - t) / n if n else 0.0
        for _ in range(n):
            k1 = rhs(state)
            k2 = rhs(tuple(s + h / 2 * k for s, k in zip(state, k1)))
            k3 = rhs(tuple(s + h / 2 * k for s, k in zip(state, k2)))
            k4 = rhs(tuple(s + h * k for s, k in zip(state, k3)))
            state = tuple(s + h / 6 * (a + 2 * b + 2 * c + e) for s, a, b, c, e in zip(state, k1, k2, k3, k4))
        t = max(t, target)
        out.append(state)
    return out


# -------------------------------------------------------------------------------------- the model

def student(X, W):
    """f(x; W) = x^T W W^T x - tr(W W^T) for the rows of X (..., b, d); W (..., d, m)."""
    return ((X @ W) ** 2).sum(dim=-1) - (W ** 2).sum(dim=(-2, -1)).unsqueeze(-1)


def teacher_labels(X, theta, lam, eps):
    """y = sum_j lambda_j He2(<theta_j, x>) + eps, He2(z) = z^2 - 1."""
    return ((X @ theta) ** 2 - 1) @ lam + eps


def population_loss(W, A):
    """E[(f - f*)^2] / 2 = |W W^T - A|_F^2 (the population loss without the constant s^2 / 2)."""
    return ((W @ W.T - A) ** 2).sum()


# ----------------------------------------------------------------------------------------------- flow

def run_flow(inp, opts):
    lam, theta, A = teacher(inp)
    W0 = tensor(inp["w0"])

    def rhs(state):
        W = state[0].detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(population_loss(W, A), W)
        return (-grad,)

    # Step h = 1 / (N lambda_max), N = --steps-per-unit; h 8 lambda_max <= 0.08 is far inside RK4's stability
    # interval. float64, N = 250: measured on the four flow cases in units of the case tolerance
    # (abs + rel |expected|), the worst deviation from the expected values is 2.3, 0.15, 0.0092, 0.00058 at
    # N = 100, 200, 400, 800 (flow-long-time, overlaps), falling 16x per halving as RK4's h^4 says, and
    # halving the step changes the result by 0.94 of that deviation: the integrator, not the reference, is
    # measured. N = 250 gives 0.059 (17x margin) at 14 s for flow-long-time (62500 steps).
    # float32, N = 100: there round-off grows with the number of steps and swamps the truncation error
    # (2e-7 relative at N = 100, measured in float64); N = 250 was 1.5-4x worse than N = 100, N = 50 mixed.
    lmax = float(lam.abs().max())
    states = rk4(rhs, (W0,), inp["times"], 1.0 / (opts.steps_per_unit * max(lmax, 1e-12)))
    return stack([observables(s[0], theta, A) for s in states])


# ----------------------------------------------------------------------------------------------- SGD

def sgd_step(W, X, eps, theta, lam, eta):
    """One step on the batch loss (1/b) sum_i (f(x_i) - y_i)^2 / 2 by autograd; W may carry replica axes,
    whose losses are summed (replicas do not interact, so each gets its own gradient)."""
    W = W.detach().requires_grad_(True)
    loss = ((student(X, W) - teacher_labels(X, theta, lam, eps)) ** 2 / 2).mean(dim=-1).sum()
    loss.backward()
    with torch.no_grad():
        return W - eta * W.grad  # lr = eta: (1/b) sum e_i grad f = (2/b) sum e_i (x x^T - I) W


def run_sgd_replay(inp):
    lam, theta, A = teacher(inp)
    d, b, eta = inp["d"], inp["batch"], tensor(inp["eta"])
    W, S = tensor(inp["w0"]), tensor(inp["samples"])
    steps = [int(n) for n in inp["outputSteps"]]
    if S.shape[0] < b * max(steps, default=0):
        raise SystemExit("case has %d samples, needs %d" % (S.shape[0], b * max(steps)))
    k, obs = 0, []
    for target in steps:
        while k < target:
            rows = S[k * b:(k + 1) * b]
            W = sgd_step(W, rows[:, :d], rows[:, d], theta, lam, eta)
            k += 1
        obs.append(observables(W, theta, A))
    return stack(obs)


def run_statistical(inp, opts):
    lam, theta, A = teacher(inp)
    d, m, b = inp["d"], inp["m"], inp["batch"]
    eta, sigma0, s = tensor(inp["eta"]), tensor(inp["sigma0"]), tensor(inp["noise"])
    steps = [int(n) for n in inp["outputSteps"]]
    R = opts.replicas or int(inp.get("replicas", 64))
    gen = torch.Generator().manual_seed(opts.seed)
    W = torch.randn((R, d, m), generator=gen, dtype=DT) * (sigma0 / torch.sqrt(tensor(d)))  # W0 ~ N(0, sigma0^2 / d)
    k, cols = 0, []
    for target in steps:
        while k < target:
            X = torch.randn((R, b, d), generator=gen, dtype=DT)
            eps = s * torch.randn((R, b), generator=gen, dtype=DT)
            W = sgd_step(W, X, eps, theta, lam, eta)
            k += 1
        cols.append(observables(W, theta, A)[0])
    return {"riskReplicas": torch.stack(cols).T}  # replicas x K


# ------------------------------------------------------------------------------------ effective ODE

def run_effective(inp, opts):
    lam, theta, A = teacher(inp)
    d, b = inp["d"], inp["batch"]
    eta, s2 = tensor(inp["eta"]), tensor(inp["s2"])
    W0 = tensor(inp["w0"])
    L = torch.diag(lam)

    def overlap_loss(Q, P):
        """|W W^T - A|_F^2 in overlaps: |Q Q^T - Lambda|^2 + 2 tr(Q P Q^T) + tr P^2 (spec/model.md)."""
        return ((Q @ Q.T - L) ** 2).sum() + 2 * torch.trace(Q @ P @ Q.T) + (P * P).sum()

    def bracket(Q, G):
        """W^T T'(B, I) W / b + (1 - 1/b) 4 W^T B^2 W in (Q, G), proofs-notes/effective-dynamics.md (0.1)."""
        QLQ = Q.T @ L @ Q
        G2 = G @ G
        WB2W = G2 @ G - G @ QLQ - QLQ @ G + Q.T @ torch.diag(lam * lam) @ Q
        trB2 = torch.trace(G2) - 2 * torch.trace(QLQ) + (lam * lam).sum()
        trB = torch.trace(G) - lam.sum()
        return (((2 * d + 10) * trB2 * G + 8 * trB * (G2 - QLQ) + (8 * d + 32) * WB2W + s2 * (d + 1) * G) / b
                + (1 - 1 / b) * 4 * WB2W)

    def rhs(state):
        Q = state[0].detach().requires_grad_(True)
        P = state[1].detach().requires_grad_(True)
        dQ, dP = torch.autograd.grad(overlap_loss(Q, P), (Q, P))
        with torch.no_grad():
            S = dP + dP.T
            G = P + Q.T @ Q
            drift = -(S @ P + P @ S) + 4 * eta * bracket(Q, G)
            return -dQ, (drift + drift.T) / 2

    Q0 = theta.T @ W0
    P0 = W0.T @ W0 - Q0.T @ Q0
    # Step h = 1 / (N rate), rate = 8 max(lambda_max, tr G0) (1 + eta (d + 4)) bounds the drift's and the
    # bracket's fastest linear rates (generously); N = --steps-per-unit = 25. Measured on effective-b1 in
    # float64, in units of its tolerance: deviation from the expected risk 4.9e-3, 3.0e-4, 1.9e-5 at
    # N = 12.5, 25, 50 (16x per halving, RK4's h^4), and N = 25 against N = 800 differs by 3.1e-4.
    rate = 8 * max(float(lam.abs().max()), float(torch.trace(W0.T @ W0)), 1e-12) * (1 + float(eta) * (d + 4))
    states = rk4(rhs, (Q0, P0), inp["times"], 1.0 / (opts.steps_per_unit * rate))
    risks = [2 * overlap_loss(Q, P) for Q, P in states]  # R = 2 L: a sum of non-negative terms
    return {"risk": torch.stack(risks)}


# ---------------------------------------------------------------------------------------- identity

def run_identity(inp):
    M, A = tensor(inp["M"]), tensor(inp["A"])
    d, b, eta, s2 = inp["d"], inp["batch"], tensor(inp["eta"]), tensor(inp["s2"])
    B = M - A
    I = torch.eye(d, dtype=DT)
    B2 = B @ B
    trB2, trM = torch.trace(B2), torch.trace(M)
    # T'(B, M) = E[(x^T B x - tr B + eps)^2 Q(x) M Q(x)], Q(x) = x x^T - I (spec/model.md)
    T = (2 * trB2 * trM * I + 8 * torch.trace(B2 @ M) * I + 2 * trB2 * M + 8 * torch.trace(B @ M) * B
         + 8 * trM * B2 + 16 * B @ M @ B + 8 * (B2 @ M + M @ B2) + s2 * (M + trM * I))
    drift = -4 * eta * (B @ M + M @ B) + 4 * eta * eta * (T / b + (1 - 1 / b) * 4 * B @ M @ B)
    return {"noiseMoment": T, "stepDrift": drift, "risk": 2 * (B ** 2).sum()}


# -------------------------------------------------------------------------------------------- main

def main(argv=None):
    global DT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("case")
    ap.add_argument("out")
    ap.add_argument("--dtype", choices=qnn_case.PRECISIONS, default="float64",
                    help="torch default dtype of every tensor (written as the candidate's precision)")
    ap.add_argument("--seed", type=int, help="statistical: torch.Generator seed (default: the case's generator seed)")
    ap.add_argument("--replicas", type=int, help="statistical: number of runs (default: the case's suggestion)")
    ap.add_argument("--steps-per-unit", type=float,
                    help="RK4 steps per unit of lambda_max t (flow, default %s) or of the rate bound t "
                         "(effective, default %s); see the comments" % (FLOW_STEPS, EFFECTIVE_STEPS))
    opts = ap.parse_args(argv)
    DT = {"float64": torch.float64, "float32": torch.float32}[opts.dtype]
    torch.set_default_dtype(DT)
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead (and the tests run several at once)
    try:
        case = qnn_case.load_case(opts.case)
    except ValueError as e:
        raise SystemExit(str(e))
    if opts.seed is None:
        opts.seed = case.seed or 0
    if opts.steps_per_unit is None:
        opts.steps_per_unit = (EFFECTIVE_STEPS if case.kind == "effective" else FLOW_STEPS)[opts.dtype]
    runners = {"identity": lambda: run_identity(case.inputs), "flow": lambda: run_flow(case.inputs, opts),
               "sgd-replay": lambda: run_sgd_replay(case.inputs),
               "effective": lambda: run_effective(case.inputs, opts),
               "statistical": lambda: run_statistical(case.inputs, opts)}
    if case.kind not in runners:
        raise SystemExit("unknown kind " + repr(case.kind))
    start = time.perf_counter()
    computed = runners[case.kind]()
    quantities = {}
    for name in case.shapes:
        value = computed[name].detach()
        if value.dtype != DT:  # an operation left the working precision: a bug of this script
            raise SystemExit("internal: %s computed in %s, not %s" % (name, value.dtype, opts.dtype))
        quantities[name] = value.numpy()
    settings = {"flow": "rk4 steps-per-unit=%g" % opts.steps_per_unit,
                "effective": "rk4 steps-per-unit=%g" % opts.steps_per_unit,
                "statistical": "torch.Generator seed=%d" % opts.seed}.get(case.kind, "")
    implementation = "torch %s qnn_torch.py dtype=%s autograd %s" % (torch.__version__, opts.dtype, settings)
    try:
        qnn_case.write_candidate(opts.out, case, quantities, implementation.rstrip(), precision=opts.dtype)
    except ValueError as e:
        raise SystemExit(str(e))
    print("%s %s: %.2f s" % (case.id, opts.dtype, time.perf_counter() - start), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
