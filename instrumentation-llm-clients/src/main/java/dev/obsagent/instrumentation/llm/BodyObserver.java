package dev.obsagent.instrumentation.llm;

import java.nio.ByteBuffer;

/**
 * Sees a copy-free view of body bytes as the application sends or reads them. Never throws and
 * never changes what it is given: the application's bytes are exactly what they would be without
 * the agent.
 */
public abstract class BodyObserver {

  private static final int SCRATCH = 4096;
  private byte[] scratch;

  /** Observes {@code bytes[offset, offset+length)}; keeps no reference to the array. */
  public abstract void onBytes(byte[] bytes, int offset, int length);

  /**
   * Observes the buffer's remaining bytes without moving its position (for
   * {@code java.net.http}, whose bodies arrive as {@link ByteBuffer}s).
   */
  public final void onBytes(ByteBuffer buffer) {
    try {
      if (buffer.hasArray()) {
        onBytes(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        return;
      }
      if (scratch == null) {
        scratch = new byte[SCRATCH];
      }
      for (int at = buffer.position(); at < buffer.limit(); ) {
        int n = Math.min(scratch.length, buffer.limit() - at);
        for (int i = 0; i < n; i++) {
          scratch[i] = buffer.get(at + i); // absolute gets leave the position alone
        }
        onBytes(scratch, 0, n);
        at += n;
      }
    } catch (Throwable error) {
      failed(error);
    }
  }

  /** Called when observing failed inside the agent; the observer stops reading. */
  abstract void failed(Throwable error);
}
