#!/usr/bin/env python3
"""An independent NumPy candidate for the qnn-oracle golden cases.

Written from spec/model.md and spec/reference-format.md alone (no Java read), the way a researcher would:

    python3 qnn_candidate.py CASE.json CANDIDATE_OUT.json [--bug NAME] [--seed S] [--replicas R]
                             [--flow-method exact|rk4] [--rk4-steps-per-unit N] [--dtype float64|float32]
    python3 qnn_candidate.py --list-bugs

Model (spec/model.md): x ~ N(0, I_d); teacher f*(x) = sum_j lambda_j He2(<theta_j, x>) = x^T A x - tr A,
He2(z) = z^2 - 1, A = Theta diag(lambda) Theta^T; student f(x; W) = x^T M x - tr M, M = W W^T;
risk R = 2 |M - A|_F^2; flow dW/dt = -4 (M - A) W; SGD step W' = W - (2 eta / b) sum_i e_i (x_i x_i^T - I) W.

`--bug NAME` switches in exactly one deliberate, realistic mistake (catalogue BUGS below), so that one can
see which golden cases catch it. `--dtype float32` does every operation in float32 (inputs cast with
astype(np.float32), every scalar a np.float32: NumPy 1.x promotes np.float32 scalar * Python number to
float64, NumPy 2 promotes a np.float64 scalar with a float32 array) and writes "precision": "float32".
Reads and writes the files with ../python/qnn_case.py. Numpy only; Python 3.9+.
"""
import argparse
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "python"))
import qnn_case  # noqa: E402  (the repository's case reader / candidate writer)

# name -> (one-line description, case kinds it can change)
BUGS = {
    "he2-normalisation": ("teacher labels use the orthonormal He2(z)/sqrt(2) instead of He2(z) = z^2 - 1",
                          ["sgd-replay", "statistical"]),
    "grad-missing-minus-w": ("SGD gradient uses x x^T W instead of (x x^T - I) W (forgets d tr M / dW)",
                             ["sgd-replay", "statistical"]),
    "eta-not-divided-by-batch": ("SGD step uses 2 eta sum_i instead of (2 eta / b) sum_i (invisible at b = 1)",
                                 ["sgd-replay", "statistical"]),
    "labels-without-centring": ("teacher labels y = x^T A x + eps, without the - tr A centring",
                                ["sgd-replay", "statistical"]),
    "noise-variance-s": ("label noise of variance s instead of s^2: eps = sqrt(s) g, and s instead of s^2 "
                         "in T' and in the effective ODE (invisible at s in {0, 1})",
                         ["identity", "effective", "statistical"]),
    "drift-missing-eta2": ("step drift and effective ODE without the eta^2 (noise) term",
                           ["identity", "effective"]),
    "init-variance-sigma0sq": ("W0 entries N(0, sigma0^2) instead of N(0, sigma0^2 / d)", ["statistical"]),
    "transposed-theta": ("theta read as the r directions stored as rows (reshape(r, d).T of the row-major "
                         "d x r data): wrong, non-orthonormal directions, still the right shape",
                         ["flow", "sgd-replay", "effective", "statistical"]),
}
BUG = None  # set from --bug


# ----------------------------------------------------------------------------------------------- input

DT = np.float64  # the arithmetic, set from --dtype


def k(v):
    """A constant in the working precision: keeps scalar * scalar products in DT under NumPy 1.x and 2."""
    return DT(v)


def load_teacher(inp):
    d, r = inp["d"], inp["r"]
    lam = inp["lambda"].astype(DT).reshape(r)
    theta = inp["theta"].astype(DT)  # d x r, theta[i][j] = coordinate i of direction j
    if BUG == "transposed-theta":
        # BUG: believes the file lists the r directions as rows; reshape keeps it running for any d, r.
        theta = theta.reshape(r, d).T
    assert theta.shape == (d, r), theta.shape
    A = theta @ np.diag(lam) @ theta.T
    return lam, theta, A


# ------------------------------------------------------------------------------ Gaussian identities

def label_noise_variance(s2):
    if BUG == "noise-variance-s":
        return np.sqrt(s2)  # BUG: uses s where s^2 is meant
    return s2


def noise_moment(B, M, s2):
    """T'(B, M) = E[(x^T B x - tr B + eps)^2 Q(x) M Q(x)], Q(x) = x x^T - I, eps ~ N(0, s2)."""
    d = B.shape[0]
    I = np.eye(d, dtype=DT)
    B2 = B @ B
    trB2, trM = np.trace(B2), np.trace(M)
    T = (k(2) * trB2 * trM * I + k(8) * np.trace(B2 @ M) * I + k(2) * trB2 * M + k(8) * np.trace(B @ M) * B
         + k(8) * trM * B2 + k(16) * B @ M @ B + k(8) * (B2 @ M + M @ B2))
    return T + label_noise_variance(s2) * (M + trM * I)


def step_drift(M, A, eta, b, s2):
    """E[M' - M | M] for one SGD step (spec/model.md, claim SGD-STEP-DRIFT)."""
    B = M - A
    first = k(-4) * eta * (B @ M + M @ B)
    second = k(4) * eta * eta * (noise_moment(B, M, s2) / k(b) + (k(1) - k(1) / k(b)) * k(4) * B @ M @ B)
    if BUG == "drift-missing-eta2":
        second = k(0) * second  # BUG: keeps only the gradient-flow term
    return first + second


def run_identity(inp):
    # In float64 the rationals' correctly rounded values; in float32 those rounded once more (astype).
    M, A = inp["M"].astype(DT), inp["A"].astype(DT)
    eta, b, s2 = DT(inp["eta"]), inp["batch"], DT(inp["s2"])
    return {"noiseMoment": noise_moment(M - A, M, s2), "stepDrift": step_drift(M, A, eta, b, s2),
            "risk": k(2) * np.sum((M - A) ** 2)}


# --------------------------------------------------------------------------------- observables

def observables(W, theta, A):
    """risk, overlaps (theta_j^T M theta_j), tr M; W may carry leading replica axes."""
    M = W @ np.swapaxes(W, -1, -2)
    risk = k(2) * np.sum((M - A) ** 2, axis=(-2, -1))
    overlaps = np.sum((np.swapaxes(theta, -1, -2) @ W) ** 2, axis=-1)
    return risk, overlaps, np.sum(W ** 2, axis=(-2, -1))


def stack(obs):
    return {"risk": np.array([o[0] for o in obs]), "overlaps": np.array([o[1] for o in obs]),
            "traceM": np.array([o[2] for o in obs])}


# -------------------------------------------------------------------------------- gradient flow

def flow_exact_substeps(W0, A, taus):
    """Exact solution M(tau) = e^{A tau} W0 K^{-1} W0^T e^{A tau}, K = I + 2 W0^T G(tau) W0, applied over
    sub-steps h <= 1/lambda_max of Riccati time tau = 4t, carrying a factor W with W W^T = M:
    W <- e^{A h} W C^{-T}, K = C C^T (Cholesky)."""
    a, V = np.linalg.eigh(A)
    amax = max(np.max(np.abs(a)), k(1e-30))
    W, tau, out = W0.copy(), k(0), []
    m = W0.shape[1]
    for target in taus:
        while tau < target:
            h = min(k(1) / amax, target - tau)
            g = np.where(a == 0, h, np.expm1(k(2) * a * h) / np.where(a == 0, k(1), k(2) * a))  # int_0^h e^{2as} ds
            U = V.T @ W  # W in A's eigenbasis
            K = np.eye(m, dtype=DT) + k(2) * U.T @ (g[:, None] * U)
            C = np.linalg.cholesky(K)
            W = V @ (np.exp(a * h)[:, None] * np.linalg.solve(C, U.T).T)
            tau = tau + h if target - tau > h else target
        out.append(W.copy())
    return out


def flow_rk4(W0, A, ts, steps_per_unit):
    """Classical RK4 on dW/dt = -4 (W W^T - A) W with h <= 1 / (steps_per_unit * lambda_max)."""
    amax = max(float(np.max(np.abs(np.linalg.eigvalsh(A)))), 1e-300)
    rhs = lambda W: k(-4) * (W @ (W.T @ W) - A @ W)
    W, t, out = W0.copy(), 0.0, []
    for target in ts:
        target = float(target)
        n = int(math.ceil((target - t) * steps_per_unit * amax - 1e-9)) if target > t else 0
        h = k((target - t) / n) if n else k(0)
        for _ in range(n):
            k1 = rhs(W); k2 = rhs(W + h / k(2) * k1); k3 = rhs(W + h / k(2) * k2); k4 = rhs(W + h * k3)
            W = W + h / k(6) * (k1 + k(2) * k2 + k(2) * k3 + k4)
        t = max(t, target)
        out.append(W.copy())
    return out


def run_flow(inp, opts):
    lam, theta, A = load_teacher(inp)
    W0, ts = inp["w0"].astype(DT), inp["times"].astype(DT).reshape(-1)
    if opts.flow_method == "rk4":
        Ws = flow_rk4(W0, A, ts, opts.rk4_steps_per_unit)
    else:
        Ws = flow_exact_substeps(W0, A, k(4) * ts)
    return stack([observables(W, theta, A) for W in Ws])


# ------------------------------------------------------------------------------------ online SGD

def he2(z):
    if BUG == "he2-normalisation":
        return (z * z - k(1)) / np.sqrt(k(2))  # BUG: the orthonormal Hermite polynomial He2 / sqrt(2!)
    if BUG == "labels-without-centring":
        return z * z  # BUG: y = x^T A x, no - tr A
    return z * z - k(1)


def sgd_step(W, X, eps, theta, lam, eta):
    """One minibatch step. X: (..., b, d), eps: (..., b), W: (..., d, m)."""
    b = X.shape[-2]
    XW = X @ W
    f = np.sum(XW ** 2, axis=-1) - np.sum(W ** 2, axis=(-2, -1))[..., None]  # x^T M x - tr M
    y = he2(X @ theta) @ lam + eps  # sum_j lambda_j He2(<theta_j, x>) + eps
    e = f - y
    grad = np.swapaxes(X, -1, -2) @ (e[..., None] * XW) - np.sum(e, axis=-1)[..., None, None] * W
    if BUG == "grad-missing-minus-w":
        grad = np.swapaxes(X, -1, -2) @ (e[..., None] * XW)  # BUG: x x^T W instead of (x x^T - I) W
    scale = k(2) * eta / k(b)
    if BUG == "eta-not-divided-by-batch":
        scale = k(2) * eta  # BUG
    return W - scale * grad


def run_sgd_replay(inp):
    lam, theta, A = load_teacher(inp)
    d, b, eta = inp["d"], inp["batch"], DT(inp["eta"])
    W, S = inp["w0"].astype(DT), inp["samples"].astype(DT)
    steps = [int(n) for n in inp["outputSteps"]]
    if S.shape[0] < b * max(steps, default=0):
        raise SystemExit("case has %d samples, needs %d" % (S.shape[0], b * max(steps)))
    step, obs = 0, []
    for target in steps:
        while step < target:
            rows = S[step * b:(step + 1) * b]
            W = sgd_step(W, rows[:, :d], rows[:, d], theta, lam, eta)
            step += 1
        obs.append(observables(W, theta, A))
    return stack(obs)


def run_statistical(inp, opts):
    lam, theta, A = load_teacher(inp)
    d, m, b = inp["d"], inp["m"], inp["batch"]
    eta, sigma0, s = DT(inp["eta"]), DT(inp["sigma0"]), DT(inp["noise"])
    steps = [int(n) for n in inp["outputSteps"]]
    R = opts.replicas or int(inp.get("replicas", 64))
    rng = np.random.default_rng(opts.seed)
    W = rng.standard_normal((R, d, m), dtype=DT) * (sigma0 / np.sqrt(k(d)))
    if BUG == "init-variance-sigma0sq":
        W = W * np.sqrt(k(d))  # BUG: entries N(0, sigma0^2)
    noise_std = np.sqrt(s) if BUG == "noise-variance-s" else s  # BUG variant: variance s, not s^2
    step, cols = 0, []
    for target in steps:
        while step < target:
            X = rng.standard_normal((R, b, d), dtype=DT)
            eps = noise_std * rng.standard_normal((R, b), dtype=DT)
            W = sgd_step(W, X, eps, theta, lam, eta)
            step += 1
        cols.append(observables(W, theta, A)[0])
    return {"riskReplicas": np.array(cols).T}  # replicas x K


# ------------------------------------------------------------------------------- effective ODE

def run_effective(inp, opts):
    """The mean ODE of online SGD in overlaps (spec/model.md, proofs-notes/effective-dynamics.md (1.1),
    (2.1)), integrated in (Q, P), Q = Theta^T W, P = G - Q^T Q, with fixed-step RK4; t is SGD time."""
    lam, theta, A = load_teacher(inp)
    d, b = inp["d"], inp["batch"]
    eta, s2 = DT(inp["eta"]), label_noise_variance(DT(inp["s2"]))
    if BUG == "drift-missing-eta2":
        eta_noise = k(0)  # BUG: drops 4 eta bracket, i.e. the population flow
    else:
        eta_noise = eta
    W0, ts = inp["w0"].astype(DT), inp["times"].reshape(-1)
    L, L2, sl, sl2 = np.diag(lam), np.diag(lam * lam), np.sum(lam), np.sum(lam * lam)

    def rhs(Q, P):
        G = P + Q.T @ Q
        QLQ = Q.T @ L @ Q
        G2 = G @ G
        WB2W = G2 @ G - G @ QLQ - QLQ @ G + Q.T @ L2 @ Q
        trB2 = np.trace(G2) - k(2) * np.trace(QLQ) + sl2
        trB = np.trace(G) - sl
        bracket = ((k(2 * d + 10) * trB2 * G + k(8) * trB * (G2 - QLQ) + k(8 * d + 32) * WB2W
                    + s2 * k(d + 1) * G) / k(b) + (k(1) - k(1) / k(b)) * k(4) * WB2W)
        dP = k(-4) * (G @ P + P @ G) + k(4) * eta_noise * bracket
        return k(4) * (L @ Q - Q @ G), (dP + dP.T) / k(2)

    Q = theta.T @ W0
    P = W0.T @ W0 - Q.T @ Q
    rate = 8 * max(float(np.max(np.abs(lam))), float(np.trace(W0.T @ W0)), 1e-12) * (1 + float(eta_noise) * (d + 4))
    t, out = 0.0, []
    for target in ts:
        target = float(target)
        n = int(math.ceil((target - t) * rate * opts.rk4_steps_per_unit / 8 - 1e-9)) if target > t else 0
        h = k((target - t) / n) if n else k(0)
        half, sixth = h / k(2), h / k(6)
        for _ in range(n):
            a1 = rhs(Q, P)
            a2 = rhs(Q + half * a1[0], P + half * a1[1])
            a3 = rhs(Q + half * a2[0], P + half * a2[1])
            a4 = rhs(Q + h * a3[0], P + h * a3[1])
            Q = Q + sixth * (a1[0] + k(2) * a2[0] + k(2) * a3[0] + a4[0])
            P = P + sixth * (a1[1] + k(2) * a2[1] + k(2) * a3[1] + a4[1])
        t = max(t, target)
        # R = 2 (|Q Q^T - Lambda|^2 + 2 tr(Q P Q^T) + tr P^2): a sum of non-negative terms
        risk = k(2) * (np.sum((Q @ Q.T - L) ** 2) + k(2) * np.trace(Q @ P @ Q.T) + np.sum(P * P))
        out.append((risk, np.sum(Q ** 2, axis=1), np.trace(P) + np.sum(Q ** 2)))
    return stack(out)


# ------------------------------------------------------------------------------------------- main

def main(argv=None):
    global BUG, DT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("case", nargs="?")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--bug", choices=sorted(BUGS))
    ap.add_argument("--list-bugs", action="store_true", help="print the bug catalogue as JSON and exit")
    ap.add_argument("--seed", type=int, help="statistical: seed of default_rng (default: the case's generator seed)")
    ap.add_argument("--replicas", type=int, help="statistical: number of runs (default: the case's suggestion)")
    ap.add_argument("--flow-method", choices=["exact", "rk4"], default="exact")
    ap.add_argument("--rk4-steps-per-unit", type=float, default=400.0,
                    help="RK4 steps per unit of lambda_max t (flow; effective: per unit of rate t / 8)")
    ap.add_argument("--dtype", choices=qnn_case.PRECISIONS, default="float64",
                    help="arithmetic of every array and operation (written as the candidate's precision)")
    opts = ap.parse_args(argv)
    if opts.list_bugs:
        print(json.dumps({name: {"description": v[0], "kinds": v[1]} for name, v in BUGS.items()}, indent=1))
        return 0
    if not opts.case or not opts.out:
        ap.error("CASE and CANDIDATE_OUT are required")
    BUG, DT = opts.bug, qnn_case.dtype_of(opts.dtype)
    try:
        case = qnn_case.load_case(opts.case)
    except ValueError as e:
        raise SystemExit(str(e))
    if opts.seed is None:
        opts.seed = case.seed or 0
    kind, inp = case.kind, case.inputs
    runners = {"identity": lambda: run_identity(inp), "flow": lambda: run_flow(inp, opts),
               "sgd-replay": lambda: run_sgd_replay(inp), "effective": lambda: run_effective(inp, opts),
               "statistical": lambda: run_statistical(inp, opts)}
    if kind not in runners:
        raise SystemExit("unknown kind " + repr(kind))
    computed = runners[kind]()
    quantities = {}
    for name in case.shapes:
        if name not in computed:
            raise SystemExit("this candidate does not compute %r for kind %s" % (name, kind))
        value = np.asarray(computed[name])
        if value.dtype != DT:  # an operation left the working precision: a bug of this script
            raise SystemExit("internal: %s computed in %s, not %s" % (name, value.dtype, opts.dtype))
        quantities[name] = value
    settings = "flow=%s" % opts.flow_method if kind == "flow" else (
        "seed=%d" % opts.seed if kind == "statistical" else "")
    implementation = "numpy %s qnn_candidate.py dtype=%s %s%s" % (
        np.__version__, opts.dtype, settings, " bug=" + BUG if BUG else "")
    try:
        qnn_case.write_candidate(opts.out, case, quantities, implementation.rstrip(), precision=opts.dtype)
    except ValueError as e:
        raise SystemExit(str(e))
    return 0


if __name__ == "__main__":
    sys.exit(main())
