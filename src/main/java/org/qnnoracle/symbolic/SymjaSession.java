package org.qnnoracle.symbolic;

import java.util.ArrayList;
import java.util.List;
import org.hipparchus.fraction.BigFraction;
import org.matheclipse.core.eval.ExprEvaluator;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IFraction;
import org.matheclipse.core.interfaces.IInteger;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.parser.ExprParser;
import org.matheclipse.parser.client.SyntaxError;

/**
 * The one Symja evaluator of this JVM. Creating an {@link ExprEvaluator} costs about 2 s and Symja's
 * evaluation engine is shared, not thread-safe, so every call goes through this lazily created,
 * synchronised instance: claim runs on several threads at once take turns here. Each call's answer depends on
 * its input only (nothing here assigns a variable, and claim-file expressions reach it with every user symbol
 * replaced by a number; the one function defined, by SymjaExpectations, is defined once under the session's
 * lock and never changed), so the order in which concurrent runs' calls interleave does
 * not change a result. Sequences of calls that belong together hold the session's monitor around them. Symja returns a failed evaluation unevaluated instead of throwing, so callers
 * use {@link #evalRational} or {@link #isZero}, which check the shape of the answer.
 */
public final class SymjaSession {
  private static SymjaSession instance;

  private final ExprEvaluator evaluator;

  private SymjaSession() {
    this.evaluator = new ExprEvaluator(false, (short) 100);
  }

  public static synchronized SymjaSession get() {
    if (instance == null) {
      instance = new SymjaSession();
    }
    return instance;
  }

  /** Evaluates Symja input and returns its printed form. */
  public synchronized String eval(String input) {
    return evaluator.eval(input).toString();
  }

  /** Evaluates input that must reduce to an exact rational; throws {@link SymbolicException} otherwise. */
  public synchronized BigFraction evalRational(String input) {
    IExpr r = evaluator.eval(input);
    BigFraction q = rational(r);
    if (q == null) {
      throw new SymbolicException("Symja did not reduce '" + abbreviate(input) + "' to a rational; got "
          + abbreviate(r.toString()));
    }
    return q;
  }

  /**
   * Evaluates input that must reduce to a list of exact rationals, e.g. a CoefficientList; throws
   * {@link SymbolicException} otherwise.
   */
  public synchronized List<BigFraction> evalRationalList(String input) {
    IExpr r = evaluator.eval(input);
    if (r instanceof IAST list && list.isList()) {
      List<BigFraction> out = new ArrayList<>(list.argSize());
      for (int i = 1; i <= list.argSize(); i++) {
        BigFraction q = rational(list.get(i));
        if (q == null) {
          break;
        }
        out.add(q);
      }
      if (out.size() == list.argSize()) {
        return out;
      }
    }
    throw new SymbolicException("Symja did not reduce '" + abbreviate(input)
        + "' to a list of rationals; got " + abbreviate(r.toString()));
  }

  /**
   * Evaluates Symja input and returns its printed form cut to at most maxChars characters (with
   * "..." appended when cut): for diagnostics of large results.
   */
  public synchronized String evalAbbreviated(String input, int maxChars) {
    String s = evaluator.eval(input).toString();
    return s.length() <= maxChars ? s : s.substring(0, maxChars) + "...";
  }

  private static BigFraction rational(IExpr r) {
    if (r instanceof IInteger i) {
      return new BigFraction(i.toBigNumerator());
    }
    if (r instanceof IFraction f) {
      return f.toBigFraction();
    }
    return null;
  }

  /** Long inputs (expanded integrands run to tens of kilobytes) are cut in messages. */
  static String abbreviate(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
  }

  /**
   * Parses Symja input in the relaxed syntax (lower-case function names, {@code f(x)} calls) without evaluating
   * it; a syntax error becomes a {@link SymbolicException} whose message gives the character position (1-based).
   */
  public synchronized IExpr parse(String input) {
    try {
      return new ExprParser(evaluator.getEvalEngine(), true).parse(input);
    } catch (SyntaxError e) {
      throw new SymbolicException("parse error at character " + (e.getStartOffset() + 1) + ": " + e.getError());
    } catch (RuntimeException e) {
      throw new SymbolicException("parse error: " + e.getMessage());
    }
  }

  /** Evaluates a parsed expression (numbers substituted for its symbols by the caller). */
  public synchronized IExpr evaluate(IExpr expr) {
    return evaluator.eval(expr);
  }

  /**
   * The real value of {@code expr} evaluated numerically (Symja's N), or NaN when it is not a real number; the
   * conversion to a double is done holding the session too, so nothing of Symja's engine is touched outside it.
   */
  public synchronized double numericValue(IExpr expr) {
    IExpr r = evaluator.eval(org.matheclipse.core.expression.F.N(expr));
    return r.isReal() ? r.evalf() : Double.NaN;
  }

  /** True when the expression simplifies (after Expand) to exactly 0. */
  public synchronized boolean isZero(String input) {
    IExpr r = evaluator.eval("Expand(" + input + ")");
    return r.isZero();
  }

  /** A symbolic evaluation that did not produce an answer of the expected form. */
  public static final class SymbolicException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SymbolicException(String message) {
      super(message);
    }
  }
}
