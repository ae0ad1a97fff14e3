package dev.obsagent.core.weave;

import java.util.ArrayList;
import java.util.List;

/** What the test advice saw; public, since woven classes live in another class loader. */
public final class Recorder {

  public static final List<String> EVENTS = new ArrayList<>();

  private Recorder() {}

  public static void event(String event) {
    EVENTS.add(event);
  }

  public static void fail() {
    throw new IllegalStateException("advice failure");
  }
}
