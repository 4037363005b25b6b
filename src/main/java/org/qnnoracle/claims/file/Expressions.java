package org.qnnoracle.claims.file;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.matheclipse.core.expression.F;
import org.matheclipse.core.interfaces.IAST;
import org.matheclipse.core.interfaces.IExpr;
import org.matheclipse.core.interfaces.ISymbol;
import org.qnnoracle.InvalidInputException;
import org.qnnoracle.symbolic.SymjaSession;

/** Symja expressions of claim files: their user symbols, substitution of numbers, numeric evaluation. */
final class Expressions {
  private Expressions() {}

  /** {@code e} with each user symbol that {@code values} names (lower case) replaced by its value. */
  static IExpr substitute(IExpr e, Map<String, IExpr> values) {
    return F.subst(e, x -> {
      if (x instanceof ISymbol s && !s.isBuiltInSymbol()) {
        IExpr v = values.get(s.toString().toLowerCase(Locale.ROOT));
        return v == null ? F.NIL : v;
      }
      return F.NIL;
    });
  }

  /** The user symbols of {@code e}, lower case. */
  static Set<String> symbols(IExpr e) {
    Set<String> out = new TreeSet<>();
    collect(e, out);
    return out;
  }

  /** The real value of a parsed expression with {@code values} substituted, or NaN. */
  static double number(IExpr e, Map<String, IExpr> values) {
    return SymjaSession.get().numericValue(substitute(e, values));
  }

  /** The real value of the expression {@code text}; a problem is an InvalidInputException naming {@code what}. */
  static double number(String text, Map<String, IExpr> values, String what) {
    IExpr e;
    try {
      e = SymjaSession.get().parse(text);
    } catch (SymjaSession.SymbolicException ex) {
      throw new InvalidInputException(what + " '" + text + "': " + ex.getMessage());
    }
    double v = number(e, values);
    InvalidInputException.require(Double.isFinite(v), what + " '" + text + "' is not a finite real number");
    return v;
  }

  private static void collect(IExpr e, Set<String> out) {
    if (e instanceof ISymbol s) {
      if (!s.isBuiltInSymbol()) {
        out.add(s.toString().toLowerCase(Locale.ROOT));
      }
    } else if (e instanceof IAST ast) {
      for (int i = 0; i <= ast.argSize(); i++) {
        collect(ast.get(i), out);
      }
    }
  }
}
