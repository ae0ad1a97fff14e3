package dev.obsagent.bootstrap;

/**
 * Counts nested calls of one kind on the current thread, so that when one instrumented method
 * calls another of the same kind (a pool's statement wrapping the driver's, a Jedis method
 * calling another), only the outermost call is measured.
 *
 * <p>Advice calls {@link #enter()} on entry and {@link #exit()} on every exit, thrown or not; the
 * call measures only when {@code enter()} returned 0.
 */
public final class CallDepth {

  private final ThreadLocal<int[]> depth =
      new ThreadLocal<int[]>() {
        @Override
        protected int[] initialValue() {
          return new int[1];
        }
      };

  /** Returns the depth before this call: 0 for the outermost one. */
  public int enter() {
    return depth.get()[0]++;
  }

  public void exit() {
    int[] current = depth.get();
    if (current[0] > 0) {
      current[0]--;
    }
  }
}
