package org.qnnoracle.claims;

import java.util.List;
import java.util.Optional;

/** Every registered claim, in report order. The single source of both verify and the JUnit claims test. */
public final class ClaimRegistry {
  /**
   * The families in report order. Each family lists its claims in {@code all()}; adding a claim is a change in
   * its family's file (and its derivation), adding a family one line here.
   */
  private static final List<Claim> ALL = java.util.stream.Stream.of(
      ModelClaims.all(),
      FlowAccuracyClaims.all(),
      FlowInvariantClaims.all(),
      FlowLimitClaims.all(),
      GaussianClaims.all(),
      SgdClaims.all(),
      EffectiveClaims.all(),
      ExtensiveWidthClaims.all(),
      LawsClaims.all())
      .flatMap(List::stream)
      .toList();

  private ClaimRegistry() {}

  public static List<Claim> all() {
    return ALL;
  }

  public static Optional<Claim> byId(String id) {
    return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /**
   * The claims whose ID starts with {@code prefix} (case-sensitive; empty prefix = all), or with any of
   * several comma-separated prefixes ("SGD-HIGH,LAWS-"), in registry order.
   */
  public static List<Claim> withPrefix(String prefix) {
    List<String> prefixes = java.util.Arrays.stream(prefix.split(",", -1)).map(String::strip).toList();
    return ALL.stream().filter(c -> prefixes.stream().anyMatch(p -> c.id().startsWith(p))).toList();
  }
}
