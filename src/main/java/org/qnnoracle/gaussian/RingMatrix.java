package org.qnnoracle.gaussian;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;

/** An immutable rows x cols matrix over any ring element type, row-major. */
public record RingMatrix<P>(int rows, int cols, List<P> entries) {

  public RingMatrix {
    if (rows < 0 || cols < 0 || entries.size() != rows * cols) {
      throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + rows * cols
          + " entries, got " + entries.size());
    }
    entries = Collections.unmodifiableList(new ArrayList<>(entries));
  }

  public static <P> RingMatrix<P> build(int rows, int cols, BiFunction<Integer, Integer, P> entry) {
    List<P> e = new ArrayList<>(rows * cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        e.add(entry.apply(i, j));
      }
    }
    return new RingMatrix<>(rows, cols, e);
  }

  public P get(int i, int j) {
    return entries.get(i * cols + j);
  }

  public <Q> RingMatrix<Q> map(java.util.function.Function<P, Q> f) {
    return build(rows, cols, (i, j) -> f.apply(get(i, j)));
  }
}
