package org.qnnoracle.gaussian;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One instance of a Gaussian identity: the dimension, the batch size, the named input matrices (B, M,
 * W, A, Theta, Lambda, u, v as the identity needs), the step sizes at which a drift is checked, and the
 * label-noise standard deviation s. Entries are ring elements: exact rationals for the random instances,
 * Symja symbols for the fully symbolic ones.
 */
public record IdentityCase<P>(
    int d, int batch, Map<String, RingMatrix<P>> inputs, List<P> etas, P noise) {

  public IdentityCase {
    inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    etas = List.copyOf(etas);
  }

  public RingMatrix<P> input(String name) {
    RingMatrix<P> m = inputs.get(name);
    if (m == null) {
      throw new IllegalArgumentException("this case has no input named " + name);
    }
    return m;
  }

  /** The same case with every entry mapped, e.g. rationals embedded into polynomials. */
  public <Q> IdentityCase<Q> map(Function<P, Q> f) {
    Map<String, RingMatrix<Q>> in = new LinkedHashMap<>();
    inputs.forEach((k, v) -> in.put(k, v.map(f)));
    List<Q> e = new ArrayList<>();
    etas.forEach(x -> e.add(f.apply(x)));
    return new IdentityCase<>(d, batch, in, e, f.apply(noise));
  }
}
