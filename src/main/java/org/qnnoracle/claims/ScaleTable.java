package org.qnnoracle.claims;

/**
 * What a scale changes in a family of claims: one value of the family's parameter record per scale, declared
 * once at the top of the family, so that checks read their sizes, counts and replicas from a value instead of
 * branching on the scale's name.
 *
 * @param <T> the family's parameter record
 */
record ScaleTable<T>(T small, T standard, T large) {

  /** The value at {@code scale}. */
  T at(Scale scale) {
    return switch (scale) {
      case SMALL -> small;
      case DEFAULT -> standard;
      case LARGE -> large;
    };
  }
}
