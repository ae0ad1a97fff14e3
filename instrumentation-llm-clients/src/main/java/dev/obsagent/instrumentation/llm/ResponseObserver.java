package dev.obsagent.instrumentation.llm;

import dev.obsagent.core.logging.AgentLog;
import dev.obsagent.instrumentation.llm.parse.BodyParser;
import dev.obsagent.instrumentation.llm.provider.ResponseFacts;
import dev.obsagent.instrumentation.llm.provider.UsageExtractor;
import java.io.IOException;

/**
 * Reads one LLM response as the application reads it: {@link #onBytes} for every chunk, then
 * exactly one of {@link #onComplete()} (the body ended, or the application closed it) or
 * {@link #onError(Throwable)}. The first of those finishes the call; later calls do nothing.
 *
 * <p>A body that cannot be parsed (malformed, cut short, an encoding the agent cannot decode)
 * marks the call unparseable: its duration is still recorded, but no tokens and no cost, rather
 * than a guess. Error answers (4xx, 5xx) are not parsed at all.
 */
public final class ResponseObserver extends BodyObserver {

  private final LlmCall call;
  private final NanoClock clock;
  private final int status;
  private final UsageExtractor extractor;
  private BodyParser parser;
  private boolean streamedFraming;
  private boolean unparseable;
  private long firstChunkNanos = -1;

  ResponseObserver(
      LlmCall call, NanoClock clock, int status, String contentType, String contentEncoding, UsageExtractor extractor,
      int maxStringBytes) {
    this.call = call;
    this.clock = clock;
    this.status = status;
    this.extractor = status >= 200 && status < 300 ? extractor : null;
    if (this.extractor != null) {
      try {
        parser = BodyParser.create(contentType, contentEncoding, this.extractor, maxStringBytes);
        streamedFraming = parser.streamedFraming();
      } catch (IOException e) {
        markUnparseable(e);
      } catch (Throwable e) {
        failed(e);
      }
    }
  }

  @Override
  public void onBytes(byte[] bytes, int offset, int length) {
    if (length <= 0) {
      return;
    }
    if (firstChunkNanos < 0) {
      firstChunkNanos = clock.nanoTime();
    }
    if (parser == null) {
      return;
    }
    try {
      parser.write(bytes, offset, length);
    } catch (IOException e) {
      markUnparseable(e);
    } catch (Throwable e) {
      failed(e);
    }
  }

  /** The body ended (or the application closed it early, which leaves it unparsed). */
  public void onComplete() {
    ResponseFacts facts = ResponseFacts.NONE;
    try {
      if (parser != null) {
        parser.finish();
        facts = extractor.facts();
      }
    } catch (IOException e) {
      markUnparseable(e);
    } catch (Throwable e) {
      failed(e);
    } finally {
      release();
    }
    call.finish(status, facts, null, firstChunkNanos, streamedFraming);
  }

  /** Reading the body failed: the call fails with the exception's type, and counts no tokens. */
  public void onError(Throwable error) {
    release();
    call.finish(status, ResponseFacts.NONE, error, firstChunkNanos, streamedFraming);
  }

  /** True when the body could not be read as its content type says. */
  public boolean unparseable() {
    return unparseable;
  }

  @Override
  void failed(Throwable error) {
    unparseable = true;
    release();
    call.internalError(error);
  }

  private void markUnparseable(IOException cause) {
    unparseable = true;
    release();
    AgentLog log = AgentLog.get();
    if (log.isEnabled(AgentLog.Level.DEBUG)) {
      log.debug("LLM response from " + call.match() + " is unparseable, no tokens counted: " + cause.getMessage());
    }
  }

  private void release() {
    if (parser != null) {
      parser.close();
      parser = null;
    }
  }
}
