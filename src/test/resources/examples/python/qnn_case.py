"""Read a qnn-oracle golden case into NumPy arrays and write a candidate file (spec/reference-format.md).

One small module, NumPy only (Python 3.9+), so that a candidate in any array library spends its lines on
the mathematics, not on the file format:

    import qnn_case
    case = qnn_case.load_case("test-data/cases/flow-m-lt-r.json")
    case.kind, case.id                      # "flow", "flow-m-lt-r"
    case.inputs["w0"]                       # float64 array, d x m
    case.shapes                             # {"risk": (12,), "overlaps": (12, 4), "traceM": (12,)}
    qnn_case.write_candidate("out.json", case, {"risk": ..., "overlaps": ..., "traceM": ...},
                             "my code 1.0", precision="float32")

Inputs: the integer members (d, r, m, batch, replicas, outputSteps) are Python ints / an int64 array; every
other member is a float64 array (a 0-d array for a scalar). Exact rationals "p/q" (identity cases) are parsed
with `fractions`: `case.inputs` holds their correctly rounded float64 values and `case.rationals` the same
members as `Fraction` object arrays, for a candidate that computes exactly.

Quantities: `case.shapes` maps each name the candidate must write to its shape. A statistical case's
`meanRisk` is written as `riskReplicas` (replicas x K); its shape is `(None, K)`, any number >= 2 of replicas.
"""
import json
import sys
from fractions import Fraction

import numpy as np

CASE_FORMAT = "qnn-oracle-reference"
CANDIDATE_FORMAT = "qnn-oracle-candidate"
# Case format versions read (2 adds difficulty, certification and float32 tolerances; inputs are unchanged),
# and the candidate format version written (2 only names the optional "precision" member).
CASE_VERSIONS = (1, 2)
FORMAT_VERSION = 2
PRECISIONS = ("float64", "float32")
INTEGER_INPUTS = ("d", "r", "m", "batch", "replicas", "outputSteps")


class Case:
    """One golden case: `kind`, `id`, `inputs`, `rationals`, `shapes`, `expected` (float64 arrays of the
    reference values, for looking at; `check` is the judge), `seed` (the generator's, or None) and `raw`
    (the parsed JSON)."""

    def __init__(self, raw, inputs, rationals, shapes, expected):
        self.raw = raw
        self.kind = raw["kind"]
        self.id = raw["id"]
        self.inputs = inputs
        self.rationals = rationals
        self.shapes = shapes
        self.expected = expected
        seed = raw.get("generator", {}).get("seed")
        self.seed = None if seed is None else int(seed)

    def __repr__(self):
        return "Case(%s, kind=%s, quantities=%s)" % (self.id, self.kind, self.shapes)


def _has_string(v):
    if isinstance(v, str):
        return True
    return isinstance(v, list) and any(_has_string(e) for e in v)


def _fractions(v):
    """A JSON number, "p/q" string or nested list of them as a Fraction object array (exact)."""
    a = np.asarray(v, dtype=object)
    return np.vectorize(lambda e: Fraction(e), otypes=[object])(a) if a.ndim else np.array(Fraction(v), dtype=object)


def _floats(v):
    """A JSON number, "p/q" string or nested list as float64; a rational rounds correctly (float(Fraction))."""
    if _has_string(v):
        return np.vectorize(float, otypes=[np.float64])(_fractions(v)) if np.ndim(v) else np.array(
            float(Fraction(v)))
    return np.asarray(v, dtype=np.float64)


def load_case(path):
    """Reads a case file; ValueError (one line) when it is not a version-1 or -2 qnn-oracle case."""
    with open(path, encoding="utf-8") as fh:
        raw = json.load(fh)
    if not isinstance(raw, dict) or raw.get("format") != CASE_FORMAT or raw.get("formatVersion") not in CASE_VERSIONS:
        raise ValueError("%s: not a %s case of version 1 or 2" % (path, CASE_FORMAT))
    inputs, rationals = {}, {}
    for name, v in raw["inputs"].items():
        if name in INTEGER_INPUTS:
            inputs[name] = np.asarray(v, dtype=np.int64) if isinstance(v, list) else int(v)
        else:
            inputs[name] = _floats(v)
            if _has_string(v):
                rationals[name] = _fractions(v)
    shapes, expected = {}, {}
    for name, e in raw["expected"].items():
        shape = tuple(int(n) for n in e["shape"])
        if raw["kind"] == "statistical" and name == "meanRisk":
            shapes["riskReplicas"] = (None,) + shape
        else:
            shapes[name] = shape
        expected[name] = _floats(e["values"]).reshape(shape)
    return Case(raw, inputs, rationals, shapes, expected)


def _is_fraction_array(a):
    return a.dtype == object and a.size > 0 and all(isinstance(e, Fraction) for e in a.flat)


def _json_values(name, value):
    """float64 (float32 converted exactly) nested lists; Fraction arrays as "p/q" strings (exact)."""
    a = np.asarray(value)
    if _is_fraction_array(a):
        return np.vectorize(str, otypes=[object])(a).tolist() if a.ndim else str(a.item())
    a = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        # JSON has no inf/nan; a diverged run is reported with the largest double so that `check` judges it
        # (spec/reference-format.md, statistical cases) instead of refusing the file.
        print("qnn_case: warning: %s: non-finite values replaced by %r" % (name, sys.float_info.max),
              file=sys.stderr)
        a = np.where(np.isfinite(a), a, sys.float_info.max)
    return a.tolist()


def write_candidate(path, case, quantities, implementation, precision="float64"):
    """Writes a candidate file for `case` with exactly its quantities, each checked against `case.shapes`
    (ValueError naming the first problem). Values may be float64 or float32 arrays (written as JSON numbers)
    or, for identity cases, Fraction object arrays (written as exact "p/q" strings). `precision` is the
    arithmetic the candidate computed in, "float64" or "float32"."""
    if precision not in PRECISIONS:
        raise ValueError("precision must be one of %s, not %r" % (PRECISIONS, precision))
    missing = [n for n in case.shapes if n not in quantities]
    extra = [n for n in quantities if n not in case.shapes]
    if missing or extra:
        raise ValueError("case %s: quantities missing %s, not in the case %s" % (case.id, missing, extra))
    out = {}
    for name, want in case.shapes.items():
        got = np.shape(quantities[name])
        ok = len(got) == len(want) and all(w is None or g == w for g, w in zip(got, want))
        if want and want[0] is None and ok and got[0] < 2:
            ok = False  # riskReplicas needs at least 2 replicas for a standard error
        if not ok:
            raise ValueError("case %s: %s has shape %s, the case wants %s" % (
                case.id, name, got, tuple("replicas >= 2" if w is None else w for w in want)))
        out[name] = _json_values(name, quantities[name])
    result = {"format": CANDIDATE_FORMAT, "formatVersion": FORMAT_VERSION, "case": case.id,
              "implementation": implementation, "precision": precision, "quantities": out}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(result, fh, allow_nan=False)
        fh.write("\n")


def dtype_of(precision):
    """The NumPy dtype of a precision name."""
    return {"float64": np.float64, "float32": np.float32}[precision]


__all__ = ["Case", "load_case", "write_candidate", "dtype_of", "PRECISIONS"]
