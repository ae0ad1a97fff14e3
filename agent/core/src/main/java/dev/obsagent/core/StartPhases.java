package dev.obsagent.core;

/** Milliseconds spent in each phase of the agent's start, for the debug log (start-up tuning). */
final class StartPhases {

  private final StringBuilder text = new StringBuilder();
  private long last = System.nanoTime();

  void mark(String phase) {
    long now = System.nanoTime();
    if (text.length() > 0) {
      text.append(", ");
    }
    text.append(phase).append(' ').append((now - last) / 1_000_000).append(" ms");
    last = now;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
