package dev.obsagent.core.api;

/**
 * Boxed {@code long}s for span attributes whose values repeat from span to span: status codes and
 * ports. A {@code Long} attribute is stored boxed, and these values lie above the JDK's own cache
 * (-128 to 127), so without this every span would box its port and its status code anew.
 */
public final class BoxedLongs {

  /** Direct-mapped by the low bits: every status code has its own slot, ports share the rest. */
  private static final Long[] RECENT = new Long[1024];

  private BoxedLongs() {}

  public static Long of(long value) {
    int slot = (int) (value & (RECENT.length - 1));
    Long cached = RECENT[slot];
    if (cached != null && cached == value) {
      return cached;
    }
    Long boxed = value;
    // Unsynchronized on purpose: a Long is immutable (its value final), so a racing reader sees
    // either a complete Long or a miss, and a lost write costs one more box, never a wrong value.
    RECENT[slot] = boxed;
    return boxed;
  }
}
