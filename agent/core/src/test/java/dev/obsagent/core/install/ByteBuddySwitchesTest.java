package dev.obsagent.core.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ByteBuddySwitchesTest {

  private static final String KEY = "obs.test.byte-buddy-switch";

  @AfterEach
  void clear() {
    System.clearProperty(KEY);
  }

  @Test
  void propertyIsTrueOnlyWhileTheActionRuns() {
    String seen = ByteBuddySwitches.withProperty(KEY, () -> System.getProperty(KEY));

    assertEquals("true", seen);
    assertNull(System.getProperty(KEY));
  }

  @Test
  void aValueTheApplicationSetIsPutBack() {
    System.setProperty(KEY, "false");

    ByteBuddySwitches.withProperty(KEY, () -> null);

    assertEquals("false", System.getProperty(KEY));
  }

  @Test
  void propertyIsPutBackWhenTheActionFails() {
    assertThrows(
        IllegalStateException.class,
        () -> ByteBuddySwitches.withProperty(KEY, () -> {
          throw new IllegalStateException("boom");
        }));

    assertNull(System.getProperty(KEY));
  }
}
