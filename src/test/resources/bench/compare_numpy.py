#!/usr/bin/env python3
"""Side-by-side speed of qnn-oracle and NumPy/scipy on the same jobs, in one run, with the ratios.

From the repository root (README, "Measuring speed against NumPy"):

    mvn -q -Pbench test-compile && /usr/bin/python3 src/test/resources/bench/compare_numpy.py --out target/compare-numpy.md

Use the Debian interpreter /usr/bin/python3: its NumPy/scipy are linked against the system libblas.so.3, the
same OpenBLAS the Java side loads through netlib JNI, so both columns run the same kernels (the script
prints which library each side loaded and warns when they differ). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE
are passed through unchanged to both sides.

The Java half is org.qnnoracle.bench.CompareJobs (test scope), started as a child process per group of jobs;
the NumPy half is this script started as a child process (--worker) with the same environment, so
OPENBLAS_NUM_THREADS is set identically for both. Each side warms up, then times repetitions until a minimum
time and count are reached and reports the median (the scipy flow: one run, there is no JIT to warm).

Jobs (all float64):
  gemm n          C = A B, n x n (Java: Linalg.gemm on flat row-major arrays; NumPy: np.matmul(out=C))
  cholesky n      lower factor of an SPD matrix (Java: copy + Linalg.choleskyInPlace; NumPy: np.linalg.cholesky
                  and scipy.linalg.cholesky, the faster of the two is the reference: NumPy 1.24's own wrapper
                  is several times slower than the dpotrf it calls)
  sgd d m b       online SGD steps of spec/model.md, r = m, alpha = 1, sigma0 = 0.5, eta = 0.05/d, clean labels,
                  canonical teacher theta_j = e_j (NumPy reads the labels off x's first r coordinates; the
                  "dense Theta" row multiplies by a Haar Theta instead, as qnn-oracle always does)
  flow d r m      the population flow dW/dt = -4 (W W^T - A) W from the flow command's instance (alpha = 1,
                  sigma0 = 1e-3, seed 1, Haar teacher; W0 and Theta handed over from Java), 100 output times
                  on [0, 40] plus the risk at each; qnn-oracle: method exact; scipy: solve_ivp DOP853 at
                  rtol 1e-10, atol = rtol x RMS(W0) (the convention of qnn-oracle's integrators). The scipy
                  error is measured against qnn-oracle's exact curve (risk, and M at t-max).
  closedform (--paper) the overlap closed form at the paper scale (3200, 2400, 2400), a few log-spaced times;
                  NumPy/scipy run the same formulas (flow.OverlapClosedForm) on the same (Q0, P0).
Ratio = NumPy/scipy time / qnn-oracle time (above 1: qnn-oracle is faster).
"""

import argparse
import ctypes
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

# (name, target ratio) per row kind
TARGETS = {
    "gemm": 0.8,
    "cholesky": 0.8,
    "sgd:1000:50:64": 1.5,
    "sgd:800:600:800": 1.0,
    "sgd:1000:50:1": 3.0,
    "flow": 20.0,
}


# --------------------------------------------------------------------------------------------------------------
# NumPy / scipy side (runs in a child process: python3 compare_numpy.py --worker JSON)
# --------------------------------------------------------------------------------------------------------------

def timed(op, warmup, min_time, min_reps):
    """Mirrors CompareJobs.time: warm up (at least once unless warmup is None), then time until both limits."""
    if warmup is not None:
        end = time.perf_counter() + warmup
        while True:
            op()
            if time.perf_counter() >= end:
                break
    secs = []
    end = time.perf_counter() + min_time
    while True:
        t0 = time.perf_counter()
        op()
        secs.append(time.perf_counter() - t0)
        if len(secs) >= min_reps and time.perf_counter() >= end:
            break
    secs.sort()
    k = len(secs)
    median = secs[k // 2] if k % 2 else 0.5 * (secs[k // 2 - 1] + secs[k // 2])
    return {"reps": k, "sec_per_op": median, "sec_min": secs[0]}


def lambdas(r, alpha=1.0):
    import numpy as np
    lam = np.arange(1, r + 1, dtype=float) ** -alpha
    return lam / math.sqrt(float(np.sum(lam * lam)))


def np_gemm(n, t):
    import numpy as np
    rng = np.random.default_rng(1)
    a = rng.uniform(-1, 1, (n, n))
    b = rng.uniform(-1, 1, (n, n))
    c = np.empty((n, n))
    res = timed(lambda: np.matmul(a, b, out=c), **t)
    res.update(job="gemm", n=n, gflops=2.0 * n ** 3 / res["sec_per_op"] / 1e9)
    return res


def np_cholesky(n, t):
    """np.linalg.cholesky, and scipy.linalg.cholesky (LAPACK dpotrf on a copy): the faster one is the reference.

    NumPy 1.24's linalg.cholesky spends most of its time outside dpotrf (its gufunc copies in and out of
    Fortran order): about 3.6 GFLOP/s at n = 1000 on one thread where dpotrf itself runs at about 25.
    """
    import numpy as np
    from scipy.linalg import cholesky
    rng = np.random.default_rng(1)
    k = np.tril(rng.uniform(-1, 1, (n, n)), -1)
    k = k + k.T + n * np.eye(n)
    res_np = timed(lambda: np.linalg.cholesky(k), **t)
    res_sp = timed(lambda: cholesky(k, lower=True, check_finite=False), **t)
    best, name = (res_sp, "scipy.linalg.cholesky") if res_sp["sec_per_op"] < res_np["sec_per_op"] else \
        (res_np, "np.linalg.cholesky")
    res = dict(best)
    res.update(job="cholesky", n=n, best=name, gflops=n ** 3 / 3.0 / best["sec_per_op"] / 1e9,
               numpy_sec=res_np["sec_per_op"], numpy_gflops=n ** 3 / 3.0 / res_np["sec_per_op"] / 1e9,
               scipy_sec=res_sp["sec_per_op"], scipy_gflops=n ** 3 / 3.0 / res_sp["sec_per_op"] / 1e9)
    return res


def np_sgd(d, m, b, steps, r, variant, t):
    """Online SGD exactly as sgd.OnlineSgd: W <- (1 + 2 eta ebar) W - (2 eta / b) sum_i e_i x_i z_i^T."""
    import numpy as np
    rng = np.random.default_rng(1)
    lam = lambdas(r)
    w0 = rng.standard_normal((d, m)) * (0.5 / math.sqrt(d))
    theta = None
    if variant == "dense":
        theta, _ = np.linalg.qr(rng.standard_normal((d, r)))
    eta = 0.05 / d
    rate = 2.0 * eta / b
    tr_a = float(lam.sum())
    noise = 0.0
    state = {"w": w0.copy(), "tr_g": float(np.vdot(w0, w0)), "steps": 0}

    def step():
        w = state["w"]
        x = rng.standard_normal((b, d))
        eps = noise * rng.standard_normal(b)  # drawn even when the noise is 0, as qnn-oracle does
        z = x @ w
        f = np.einsum("ij,ij->i", z, z) - state["tr_g"]
        u = x[:, :r] if theta is None else x @ theta
        e = f - ((u * u) @ lam - tr_a) - eps
        w *= 1.0 + 2.0 * eta * e.mean()
        w -= x.T @ ((rate * e)[:, None] * z)
        state["tr_g"] = float(np.vdot(w, w))
        state["steps"] += 1

    def chunk():
        for _ in range(steps):
            step()

    res = timed(chunk, **t)
    if not math.isfinite(state["tr_g"]):
        raise RuntimeError("numpy sgd diverged: the timing is void")
    per = res["sec_per_op"] / steps
    res.update(job="sgd", variant=variant, d=d, m=m, b=b, r=r, steps=steps, sec_per_op=per,
               sec_min=res["sec_min"] / steps, steps_per_s=1.0 / per, total_steps=state["steps"],
               trace_g=state["tr_g"])
    return res


def risk_and_overlaps(w, theta, lam):
    """R = 2 (|Q Q^T - Lambda|^2 + 2 tr(Q P Q^T) + tr P^2), P = W_perp^T W_perp: the cancellation-free form."""
    import numpy as np
    q = theta.T @ w
    wp = w - theta @ q
    p = wp.T @ wp
    qq = q @ q.T
    qq[np.diag_indices_from(qq)] -= lam
    risk = 2.0 * (float(np.sum(qq * qq)) + 2.0 * float(np.sum((q @ p) * q)) + float(np.sum(p * p)))
    return risk, np.sum(q * q, axis=1)


def read(prefix, name, shape=None):
    import numpy as np
    a = np.fromfile(prefix + name + ".f64", dtype="<f8")
    return a if shape is None else a.reshape(shape)


def scipy_flow(d, r, m, points, tmax, rtol, prefix, reps):
    import numpy as np
    from scipy.integrate import solve_ivp
    w0 = read(prefix, "w0", (d, m))
    theta = read(prefix, "theta", (d, r))
    lam = read(prefix, "lambda")
    times = read(prefix, "times")
    java_risk = read(prefix, "risk")
    atol = rtol * math.sqrt(float(np.mean(w0 * w0)))
    lam_col = lam[:, None]

    def rhs(_t, y):
        w = y.reshape(d, m)
        return (-4.0 * (w @ (w.T @ w) - theta @ (lam_col * (theta.T @ w)))).ravel()

    out = {}

    def solve():
        sol = solve_ivp(rhs, (0.0, tmax), w0.ravel(), method="DOP853", t_eval=times, rtol=rtol, atol=atol)
        if sol.status != 0:
            raise RuntimeError("solve_ivp failed: " + sol.message)
        risks = np.empty(points)
        for i in range(points):
            risks[i], ov = risk_and_overlaps(sol.y[:, i].reshape(d, m), theta, lam)
            if not np.all(np.isfinite(ov)):
                raise RuntimeError("non-finite overlaps")
        out.update(sol=sol, risks=risks)

    res = timed(solve, warmup=None, min_time=0.0, min_reps=reps)
    sol, risks = out["sol"], out["risks"]
    risk_err = float(np.max(np.abs(risks - java_risk) / np.abs(java_risk)))
    w_end = sol.y[:, -1].reshape(d, m)
    m_err = float("nan")
    if os.path.exists(prefix + "wfinal.f64") and d <= 6000:
        wj = read(prefix, "wfinal", (d, m))
        mj = wj @ wj.T
        m_err = float(np.linalg.norm(w_end @ w_end.T - mj) / np.linalg.norm(mj))
    res.update(job="flow", method="scipy-DOP853", d=d, r=r, m=m, points=points, tmax=tmax, rtol=rtol,
               atol=atol, nfev=sol.nfev, steps=int(round((sol.nfev - 1) / 12)), risk0=float(risks[0]),
               risk_final=float(risks[-1]), risk_err_max=risk_err, m_err_final=m_err)
    return res


def closed_form_risk(lam, q0, p0, tau):
    """flow.OverlapClosedForm's formulas, one time point (see that class for the derivation)."""
    import numpy as np
    from scipy.linalg import cholesky, solve_triangular
    from scipy.linalg.lapack import dpotrf, dpotri

    def spd_inverse(k):
        c, info = dpotrf(k, lower=1, clean=1, overwrite_a=1)
        if info != 0:
            raise ArithmeticError("not positive definite")
        inv, info = dpotri(c, lower=1, overwrite_c=1)
        return np.tril(inv) + np.tril(inv, -1).T

    r, m = q0.shape
    perpendicular = bool(np.any(p0))
    if perpendicular:
        c = 2.0 * tau * p0
        c[np.diag_indices_from(c)] += 1.0
        lc = cholesky(c, lower=True, check_finite=False)
        b = solve_triangular(lc, q0.T, lower=True, check_finite=False).T
        pt = solve_triangular(lc, solve_triangular(lc, p0, lower=True, check_finite=False).T, lower=True,
                              check_finite=False)
        pt = 0.5 * (pt + pt.T)
    else:
        b, pt = q0, None
    s_inv = spd_inverse(b @ b.T)
    e = np.exp(-lam * tau)
    h = np.where(lam == 0.0, 2.0 * tau, -np.expm1(-2.0 * lam * tau) / np.where(lam == 0.0, 1.0, lam))
    fh = e[:, None] * s_inv * e[None, :]
    fh[np.diag_indices_from(fh)] += h
    mtt = spd_inverse(fh)
    diff = mtt.copy()
    diff[np.diag_indices_from(diff)] -= lam
    theta_part = float(np.sum(diff * diff))
    cross = perp = 0.0
    if perpendicular:
        s_inv_b = s_inv @ b
        j = e[:, None] * s_inv_b
        y = mtt @ j
        cross = float(np.sum(pt * (y.T @ y)))
        n_inv = j.T @ y
        if m > r:
            n_inv += np.eye(m) - b.T @ s_inv_b
        z = pt @ n_inv
        perp = float(np.sum(z * z.T))
    return 2.0 * (theta_part + 2.0 * cross + perp)


def np_closedform(d, r, m, points, prefix, t):
    import numpy as np
    q0 = read(prefix, "q0", (r, m))
    p0 = read(prefix, "p0", (m, m))
    lam = read(prefix, "lambda")
    times = read(prefix, "times")
    java_risk = read(prefix, "risk")
    out = {}

    def curve():
        out["risk"] = np.array([closed_form_risk(lam, q0, p0, 4.0 * tt) for tt in times])

    res = timed(curve, **t)
    err = float(np.max(np.abs(out["risk"] - java_risk) / np.abs(java_risk)))
    res.update(job="closedform", d=d, r=r, m=m, points=points, risk_final=float(out["risk"][-1]), risk_err_max=err)
    return res


def blas_info():
    """Which BLAS this process loaded (from /proc/self/maps) and, for OpenBLAS, its configuration."""
    import numpy as np
    a = np.ones((64, 64))
    a @ a  # make sure the BLAS is loaded
    libs = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                p = line[line.find("/"):].strip() if "/" in line else ""
                if p and ("blas" in p.lower() or "lapack" in p.lower()) and p not in libs:
                    libs.append(p)
    except OSError:
        pass
    libs.sort(key=lambda p: "openblas" not in os.path.basename(os.path.realpath(p)))  # OpenBLAS itself first
    info = {"numpy": np.__version__, "libs": [os.path.realpath(p) for p in libs]}
    try:
        import scipy
        info["scipy"] = scipy.__version__
    except ImportError:
        pass
    try:
        from threadpoolctl import threadpool_info
        info["threadpoolctl"] = threadpool_info()
    except ImportError:
        pass
    for p in libs:
        try:
            lib = ctypes.CDLL(p)
        except OSError:
            continue
        # Debian's OpenBLAS: openblas_get_config; the scipy-openblas of pip wheels: scipy_openblas_get_config64_
        for prefix, suffix in (("openblas_", ""), ("scipy_openblas_", "64_"), ("scipy_openblas_", "")):
            try:
                get_config = getattr(lib, prefix + "get_config" + suffix)
                get_core = getattr(lib, prefix + "get_corename" + suffix)
                get_threads = getattr(lib, prefix + "get_num_threads" + suffix)
            except AttributeError:
                continue
            get_config.restype = ctypes.c_char_p
            get_core.restype = ctypes.c_char_p
            info["openblas"] = {"lib": os.path.realpath(p), "config": get_config().decode(),
                                "core": get_core().decode(), "threads": get_threads()}
            break
        if "openblas" in info:
            break
    return info


def worker(spec):
    t = {"warmup": spec["warmup"], "min_time": spec["time"], "min_reps": spec["min_reps"]}
    print("# blas " + json.dumps(blas_info()), flush=True)
    for job in spec["jobs"]:
        kind = job["kind"]
        if kind == "gemm":
            res = np_gemm(job["n"], t)
        elif kind == "cholesky":
            res = np_cholesky(job["n"], t)
        elif kind == "sgd":
            res = np_sgd(job["d"], job["m"], job["b"], job["steps"], job["r"], job["variant"], t)
        elif kind == "flow":
            res = scipy_flow(job["d"], job["r"], job["m"], job["points"], job["tmax"], job["rtol"], job["prefix"],
                             job["reps"])
        elif kind == "closedform":
            res = np_closedform(job["d"], job["r"], job["m"], job["points"], job["prefix"], t)
        else:
            raise ValueError(kind)
        print("RESULT " + " ".join("%s=%s" % (k, fmt(v)) for k, v in res.items()), flush=True)


def fmt(v):
    if isinstance(v, float):
        return "%.6e" % v
    return str(v)


# --------------------------------------------------------------------------------------------------------------
# The orchestrating parent
# --------------------------------------------------------------------------------------------------------------

def parse_results(text):
    rows, comments = [], []
    for line in text.splitlines():
        if line.startswith("RESULT "):
            rows.append(dict(kv.split("=", 1) for kv in line[len("RESULT "):].split()))
        elif line.startswith("#"):
            comments.append(line[1:].strip())
    return rows, comments


def run_child(cmd, env, label, what):
    print("  [%s, OPENBLAS_NUM_THREADS=%s] %s" % (label, env["OPENBLAS_NUM_THREADS"], what), file=sys.stderr,
          flush=True)
    t0 = time.time()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("RESULT"):
            print("    " + line.rstrip(), file=sys.stderr, flush=True)
    err = proc.stderr.read()
    if proc.wait() != 0:
        sys.stderr.write(err)
        raise SystemExit("%s failed (exit %d)" % (label, proc.returncode))
    print("    (%.1f s)" % (time.time() - t0), file=sys.stderr, flush=True)
    return parse_results("".join(lines))


def java_classpath(args):
    classes = ROOT / "target" / "test-classes" / "org" / "qnnoracle" / "bench" / "CompareJobs.class"
    if not classes.exists():
        raise SystemExit("CompareJobs is not compiled: run  mvn -q -Pbench test-compile  first")
    cp_file = Path(args.classpath_file) if args.classpath_file else ROOT / "target" / "bench-classpath.txt"
    if not cp_file.exists() or cp_file.stat().st_mtime < (ROOT / "pom.xml").stat().st_mtime:
        if args.classpath_file:
            raise SystemExit("no classpath file " + str(cp_file))
        print("  writing the test classpath to %s (mvn dependency:build-classpath)" % cp_file, file=sys.stderr)
        base = ["mvn", "-q", "dependency:build-classpath", "-Dmdep.outputFile=" + str(cp_file)]
        if subprocess.run(base[:2] + ["-o"] + base[2:], cwd=ROOT, stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(base, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    deps = cp_file.read_text().strip()
    return os.pathsep.join([str(ROOT / "target" / "test-classes"), str(ROOT / "target" / "classes"), deps])


def env_with_threads(threads):
    env = dict(os.environ)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    # the other thread-count knobs a NumPy build might read, so no side is left with its default
    env["OMP_NUM_THREADS"] = str(threads)
    env.pop("QNN_LINALG", None)
    return env


def plan(args, ncpu):
    """Groups of jobs; each group runs once in a JVM and once in a NumPy worker, with one thread setting."""
    q = args.quick
    lin = [200, 400] if q else [1000, 2400]
    groups = []
    thread_settings = sorted({1, ncpu}) if args.threads is None else [int(x) for x in args.threads.split(",")]
    for th in thread_settings:
        jobs = [("gemm", n) for n in lin] + [("cholesky", n) for n in lin]
        groups.append({"name": "linalg-%dt" % th, "threads": th, "jobs": jobs})
    sgd_shapes = [(200, 10, 8, 10), (100, 30, 40, 2), (200, 10, 1, 200)] if q else \
        [(1000, 50, 64, 20), (800, 600, 800, 2), (1000, 50, 1, 2000)]
    groups.append({"name": "sgd", "threads": ncpu, "jobs": [("sgd",) + s for s in sgd_shapes]})
    if not args.no_flow:
        flow = (100, 20, 20, 10, 4.0) if q else (1000, 200, 200, 100, 40.0)
        groups.append({"name": "flow", "threads": ncpu, "jobs": [("flow",) + flow]})
    if args.paper or q:
        cf = (400, 60, 60, 2) if q else (3200, 2400, 2400, 4)
        groups.append({"name": "closedform", "threads": ncpu, "jobs": [("closedform",) + cf]})
    if args.only:
        wanted = set(args.only.split(","))
        groups = [g for g in groups if g["name"] in wanted or g["name"].split("-")[0] in wanted]
    return groups


def java_spec(job, args):
    kind = job[0]
    if kind in ("gemm", "cholesky"):
        return ["%s:%d" % job]
    if kind == "sgd":
        return ["sgd:%d:%d:%d:%d" % job[1:]]
    if kind == "flow":
        d, r, m, points, tmax = job[1:]
        specs = ["flow:%d:%d:%d:%d:%s:exact" % (d, r, m, points, repr(tmax)),
                 "flow:%d:%d:%d:%d:%s:reduced" % (d, r, m, points, repr(tmax))]
        if args.java_dp853:
            specs.append("flow:%d:%d:%d:%d:%s:dp853:%s" % (d, r, m, points, repr(tmax), repr(args.flow_rtol)))
        return specs
    if kind == "closedform":
        return ["closedform:%d:%d:%d:%d:1" % job[1:]]
    raise ValueError(kind)


def numpy_jobs(job, java_rows, args):
    kind = job[0]
    if kind in ("gemm", "cholesky"):
        return [{"kind": kind, "n": job[1]}]
    if kind == "sgd":
        d, m, b, steps = job[1:]
        return [{"kind": "sgd", "d": d, "m": m, "b": b, "steps": steps, "r": m, "variant": v}
                for v in ("canonical", "dense")]
    if kind == "flow":
        d, r, m, points, tmax = job[1:]
        prefix = next(x["dump"] for x in java_rows if x["job"] == "flow" and x["method"] == "exact"
                      and int(x["d"]) == d)
        return [{"kind": "flow", "d": d, "r": r, "m": m, "points": points, "tmax": tmax, "rtol": args.flow_rtol,
                 "prefix": prefix, "reps": args.flow_reps}]
    if kind == "closedform":
        d, r, m, points = job[1:]
        prefix = next(x["dump"] for x in java_rows if x["job"] == "closedform" and int(x["d"]) == d)
        return [{"kind": "closedform", "d": d, "r": r, "m": m, "points": points, "prefix": prefix}]
    raise ValueError(kind)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--out", help="also write the table as markdown to this file")
    ap.add_argument("--quick", action="store_true", help="tiny sizes and short timings: checks the harness only")
    ap.add_argument("--threads", help="thread counts of the gemm/Cholesky rows (default: 1 and all CPUs)")
    ap.add_argument("--paper", action="store_true", help="add the paper-scale closed form (3200, 2400, 2400)")
    ap.add_argument("--no-flow", action="store_true", help="skip the flow job (scipy DOP853 takes about a minute)")
    ap.add_argument("--java-dp853", action="store_true",
                    help="add a row: qnn-oracle's own DormandPrince853 route at the same rtol vs scipy's "
                         "(slow at full size: Hipparchus on 200,000 states, 4 runs)")
    ap.add_argument("--only", help="comma-separated job groups to run: linalg, sgd, flow, closedform")
    ap.add_argument("--flow-rtol", type=float, default=1e-10)
    ap.add_argument("--flow-reps", type=int, default=1, help="timed scipy flow runs (default 1)")
    ap.add_argument("--warmup", type=float, help="warm-up seconds per job (default 2; quick 0.2)")
    ap.add_argument("--time", type=float, help="minimum measured seconds per job (default 3; quick 0.3)")
    ap.add_argument("--min-reps", type=int, help="minimum timed repetitions (default 3; quick 2)")
    ap.add_argument("--java", default="java", help="the java executable")
    ap.add_argument("--jvm-args", default="-Xmx8g", help="JVM options of the Java side (default -Xmx8g)")
    ap.add_argument("--classpath-file", help="test classpath of the dependencies (default target/bench-classpath.txt,"
                                             " written by mvn dependency:build-classpath when missing)")
    ap.add_argument("--list", action="store_true", help="print the jobs this run would do, and exit")
    ap.add_argument("--keep-dump", action="store_true", help="keep the arrays handed from Java to NumPy")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(json.loads(args.worker))
        return

    warmup = args.warmup if args.warmup is not None else (0.2 if args.quick else 2.0)
    min_time = args.time if args.time is not None else (0.3 if args.quick else 3.0)
    min_reps = args.min_reps if args.min_reps is not None else (2 if args.quick else 3)
    ncpu = os.cpu_count() or 1
    if args.list:
        for g in plan(args, ncpu):
            print("%-11s OPENBLAS_NUM_THREADS=%d  qnn-oracle: %s" % (
                g["name"], g["threads"], " ".join(s for job in g["jobs"] for s in java_spec(job, args))))
        return
    cp = java_classpath(args)
    dump = tempfile.mkdtemp(prefix="qnn-compare-")
    java_base = [args.java] + args.jvm_args.split() + ["-cp", cp, "org.qnnoracle.bench.CompareJobs"]

    results = []  # (group, job, java rows, numpy rows)
    java_notes, numpy_blas = {}, {}
    started = time.time()
    for g in plan(args, ncpu):
        env = env_with_threads(g["threads"])
        specs = [s for job in g["jobs"] for s in java_spec(job, args)]
        timing = ["--warmup", str(warmup), "--time", str(min_time), "--min-reps", str(min_reps)]
        if g["name"] in ("flow", "closedform"):
            # warm-up = one full run; the paper-scale closed form is timed once (it runs for minutes)
            reps = 1 if g["name"] == "closedform" and not args.quick else min_reps
            timing = ["--warmup", "0", "--time", "0", "--min-reps", str(reps)]
        jrows, jcomments = run_child(java_base + timing + ["--dump", dump] + specs, env, "qnn-oracle",
                                     " ".join(timing + specs))
        java_notes[g["threads"]] = jcomments
        for job in g["jobs"]:
            nspec = {"warmup": warmup, "time": min_time, "min_reps": min_reps,
                     "jobs": numpy_jobs(job, jrows, args)}
            if job[0] == "closedform":
                nspec.update(warmup=None, time=0.0, min_reps=1 if not args.quick else 2)
            nrows, ncomments = run_child([sys.executable, str(Path(__file__).resolve()), "--worker",
                                          json.dumps(nspec)], env, "numpy", " ".join(
                                              ":".join(str(v) for k, v in j.items() if k != "prefix")
                                              for j in nspec["jobs"]))
            for c in ncomments:
                if c.startswith("blas "):
                    numpy_blas[g["threads"]] = json.loads(c[5:])
            results.append((g, job, jrows, nrows))

    if not args.keep_dump:
        shutil.rmtree(dump, ignore_errors=True)
    rows = table_rows(results, args)
    header = environment(java_notes, numpy_blas, args, warmup, min_time, min_reps)
    text = render(rows, header)
    print(text)
    print("(%.0f s in all)" % (time.time() - started))
    if args.out:
        Path(args.out).write_text(text + "\n")
        print("wrote " + args.out)


def table_rows(results, args):
    rows = []
    for g, job, jrows, nrows in results:
        kind, th = job[0], g["threads"]
        if kind in ("gemm", "cholesky"):
            n = job[1]
            j = next(x for x in jrows if x["job"] == kind and int(x["n"]) == n)
            p = nrows[0]
            ref = "%.1f GFLOP/s (%s)" % (float(p["gflops"]), ms(p["sec_per_op"]))
            if kind == "cholesky":  # the faster of np.linalg and scipy.linalg is the reference; both shown
                ref = "scipy %.1f, np.linalg %.1f GFLOP/s (%s)" % (
                    float(p["scipy_gflops"]), float(p["numpy_gflops"]), ms(p["sec_per_op"]))
            rows.append(row("%s n=%d, %d thread%s" % ("matmul" if kind == "gemm" else "Cholesky", n, th,
                                                      "" if th == 1 else "s"),
                            "%.1f GFLOP/s (%s)" % (float(j["gflops"]), ms(j["sec_per_op"])), ref,
                            float(p["sec_per_op"]) / float(j["sec_per_op"]), TARGETS[kind]))
        elif kind == "sgd":
            d, m, b = job[1:4]
            j = next(x for x in jrows if x["job"] == "sgd" and (int(x["d"]), int(x["m"]), int(x["b"])) == (d, m, b))
            target = TARGETS.get("sgd:%d:%d:%d" % (d, m, b))
            for p in nrows:
                canonical = p["variant"] == "canonical"
                rows.append(row("online SGD (d, m, b) = (%d, %d, %d)%s" % (
                    d, m, b, "" if canonical else ", NumPy with dense Theta"),
                    "%s steps/s" % sig(j["steps_per_s"]), "%s steps/s" % sig(p["steps_per_s"]),
                    float(p["sec_per_op"]) / float(j["sec_per_op"]), target if canonical else None))
        elif kind == "flow":
            d, r, m, points, tmax = job[1:]
            p = nrows[0]
            acc = "risk err %.1e, M err %.1e, %s RHS" % (float(p["risk_err_max"]), float(p["m_err_final"]),
                                                        p["nfev"])
            for j in jrows:
                if j["job"] != "flow":
                    continue
                exact = j["method"] in ("exact", "reduced")
                label = {"exact": "exact (d-space)", "reduced": "reduced (exact, overlap coordinates)"}.get(
                    j["method"], "qnn-oracle dp853 rtol " + str(j["rtol"]))
                name = "flow d=%d, r=m=%d, %d times to t=%g: %s vs scipy DOP853 rtol %g" % (
                    d, r, points, tmax, label, args.flow_rtol)
                rows.append(row(name, "%s s" % sig(j["sec_per_op"]), "%s s (%s)" % (sig(p["sec_per_op"]), acc),
                                float(p["sec_per_op"]) / float(j["sec_per_op"]), TARGETS["flow"] if exact else None))
        elif kind == "closedform":
            d, r, m, points = job[1:]
            j = next(x for x in jrows if x["job"] == "closedform")
            p = nrows[0]
            rows.append(row("closed form (d, r, m) = (%d, %d, %d), %d times" % (d, r, m, points),
                            "%s s" % sig(j["sec_per_op"]),
                            "%s s (risk rel. diff %.1e)" % (sig(p["sec_per_op"]), float(p["risk_err_max"])),
                            float(p["sec_per_op"]) / float(j["sec_per_op"]), None))
    return rows


def row(name, java, numpy, ratio, target):
    met = "-" if target is None else ("yes" if ratio >= target else "NO")
    return [name, java, numpy, "%.2fx" % ratio, "-" if target is None else ">= %gx" % target, met]


def ms(sec):
    s = float(sec)
    return "%.3g ms" % (s * 1e3) if s < 10 else "%.3g s" % s


def sig(x):
    return "%.3g" % float(x)


def environment(java_notes, numpy_blas, args, warmup, min_time, min_reps):
    lines = []
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines.append("machine: %s, %d CPUs; OPENBLAS_CORETYPE=%s, OPENBLAS_L2_SIZE=%s (passed to both sides)" % (
        cpu, os.cpu_count() or 1, os.environ.get("OPENBLAS_CORETYPE"), os.environ.get("OPENBLAS_L2_SIZE")))
    any_notes = next(iter(java_notes.values()), [])
    for c in any_notes:
        if c.startswith("linalg:") or c.startswith("java:"):
            lines.append("qnn-oracle " + c)
    info = next(iter(numpy_blas.values()), None)
    java_lib = next((c for c in any_notes if c.startswith("linalg:")), "")
    if info:
        ob = info.get("openblas")
        lines.append("NumPy %s, scipy %s (%s): %s" % (info.get("numpy"), info.get("scipy"), sys.executable,
                                                        ", ".join(info["libs"]) or "BLAS library not found"))
        if ob:
            lines.append("NumPy's OpenBLAS: %s; core %s" % (ob["config"], ob["core"]))
            threads = ", ".join("%d when asked for %d" % (v["openblas"]["threads"], k)
                                for k, v in sorted(numpy_blas.items()) if "openblas" in v)
            lines.append("OpenBLAS threads (NumPy side, checked): " + threads)
        if not any(os.path.basename(p) in java_lib for p in info["libs"]):
            lines.append("WARNING: NumPy does not use the BLAS qnn-oracle loaded, so the columns run different "
                         "builds (use /usr/bin/python3 for Debian's NumPy on the system OpenBLAS)")
        if "threadpoolctl" in info:
            lines.append("threadpoolctl: " + json.dumps(info["threadpoolctl"]))
    lines.append("timing: warm-up %gs, then >= %gs and >= %d runs, median (flow: qnn-oracle 1 warm-up run + %d runs, "
                 "scipy %d run%s)%s" % (warmup, min_time, min_reps, min_reps, args.flow_reps,
                                        "" if args.flow_reps == 1 else "s", "; QUICK MODE: tiny sizes, "
                                        "ratios mean nothing" if args.quick else ""))
    return lines


def render(rows, header):
    out = ["Measured %s." % time.strftime("%Y-%m-%d %H:%M"), ""]
    out += ["- " + h for h in header]
    out += ["", "| job | qnn-oracle | NumPy/scipy | ratio | target | met? |", "|---|---|---|---|---|---|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


if __name__ == "__main__":
    main()
