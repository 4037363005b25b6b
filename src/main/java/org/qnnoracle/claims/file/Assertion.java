package org.qnnoracle.claims.file;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;
import org.qnnoracle.symbolic.SymjaSession;

/**
 * A claim file's assertion: a Symja expression parsed once, when the file is read, and evaluated at each point the
 * quantifier looks at with the observables' numbers substituted for its symbols. Symja's relaxed parser lower-cases
 * user symbols, so observable names are matched case-insensitively.
 *
 * <p>When the assertion is one comparison, its two sides are also evaluated numerically, so that a report can say
 * how far the worst point is from the bound ({@link #sides}); that is the claim's measured value.
 */
final class Assertion {
  /** The comparison an assertion may be; others (And, Or, ...) are judged but report counts of failing points. */
  enum Comparison { LESS_EQUAL, LESS, GREATER_EQUAL, GREATER, OTHER }

  private final String text;
  private final IExpr parsed;
  private final Set<String> symbols;
  private final Comparison comparison;

  private Assertion(String text, IExpr parsed, Set<String> symbols, Comparison comparison) {
    this.text = text;
    this.parsed = parsed;
    this.symbols = symbols;
    this.comparison = comparison;
  }

  /**
   * Parses {@code text}; throws {@link SymjaSession.SymbolicException} with the position of a syntax error.
   */
  static Assertion parse(String text) {
    IExpr e = SymjaSession.get().parse(text);
    return new Assertion(text, e, Expressions.symbols(e), comparisonOf(e));
  }

  String text() {
    return text;
  }

  /** The user symbols (lower case) the expression uses: each must be an observable the claim provides. */
  Set<String> symbols() {
    return symbols;
  }

  Comparison comparison() {
    return comparison;
  }

  /** Whether the right-hand side is the bare symbol {@code tol}: then the claim's bound is its tolerance. */
  boolean boundIsTolerance() {
    return comparison != Comparison.OTHER && ((IAST) parsed).arg2().isSymbol()
        && ((IAST) parsed).arg2().toString().toLowerCase(Locale.ROOT).equals("tol");
  }

  /**
   * Evaluates the assertion with {@code values} (lower-case names) substituted: TRUE, FALSE, or UNDECIDED when
   * Symja does not reduce it to a truth value (a symbol left over, a complex number compared).
   */
  Verdict judge(Map<String, IExpr> values) {
    IExpr r = SymjaSession.get().evaluate(Expressions.substitute(parsed, values));
    if (r.isTrue()) {
      return Verdict.TRUE;
    }
    return r.isFalse() ? Verdict.FALSE : Verdict.UNDECIDED;
  }

  /** The two sides of a comparison as doubles (NaN where a side is not a real number); null for OTHER. */
  double[] sides(Map<String, IExpr> values) {
    if (comparison == Comparison.OTHER) {
      return null;
    }
    IAST ast = (IAST) parsed;
    return new double[] {Expressions.number(ast.arg1(), values), Expressions.number(ast.arg2(), values)};
  }

  /** How far a point is from failing, larger = worse: lhs - rhs for &lt;, &lt;=; rhs - lhs for &gt;, &gt;=. */
  double excess(double[] sides) {
    return switch (comparison) {
      case LESS_EQUAL, LESS -> sides[0] - sides[1];
      case GREATER_EQUAL, GREATER -> sides[1] - sides[0];
      case OTHER -> Double.NaN;
    };
  }

  enum Verdict { TRUE, FALSE, UNDECIDED }

  private static Comparison comparisonOf(IExpr e) {
    if (!(e instanceof IAST ast) || ast.argSize() != 2) {
      return Comparison.OTHER;
    }
    String head = ast.head().toString();
    return switch (head) {
      case "LessEqual" -> Comparison.LESS_EQUAL;
      case "Less" -> Comparison.LESS;
      case "GreaterEqual" -> Comparison.GREATER_EQUAL;
      case "Greater" -> Comparison.GREATER;
      default -> Comparison.OTHER;
    };
  }
}
