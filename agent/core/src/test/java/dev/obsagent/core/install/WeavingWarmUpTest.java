package dev.obsagent.core.install;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WeavingWarmUpTest {

  /** A warm-up that failed would leave the whole cost to the application's first woven class. */
  @Test
  void weavesTheSampleAdviceThroughTheInstallersPath() {
    assertTrue(WeavingWarmUp.run(WeavingWarmUp.class.getClassLoader()));
  }
}
