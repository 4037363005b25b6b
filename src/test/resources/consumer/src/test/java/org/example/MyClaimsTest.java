package org.example;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.qnnoracle.junit.ClaimFileTests;

/**
 * This project's theorems, stated in claims/*.json and checked numerically by qnn-oracle: one test per claim.
 * The path is relative to the project directory, where Maven runs the tests.
 */
class MyClaimsTest {
  @TestFactory
  Stream<DynamicTest> myClaims() {
    return ClaimFileTests.from(Path.of("claims"));
  }
}
