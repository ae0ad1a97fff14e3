package dev.obsagent.instrumentation.llm;

import dev.obsagent.instrumentation.llm.content.ContentCapture;
import dev.obsagent.instrumentation.llm.content.PromptMessages;
import dev.obsagent.instrumentation.llm.parse.BodyParser;
import dev.obsagent.instrumentation.llm.parse.JsonFieldHandler;
import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import dev.obsagent.instrumentation.llm.provider.RequestFields;
import java.io.IOException;

/**
 * Reads the request body as it is sent: the model, the stream flag and OpenAI's
 * {@code stream_options.include_usage}, and the prompt only when content capture is on. A body
 * that is not JSON just leaves them unknown.
 */
public final class RequestObserver extends BodyObserver {

  private final RequestFields fields = new RequestFields();
  private final ContentCapture capture;
  private final PromptMessages prompt;
  private final LlmCall call;
  private BodyParser parser;
  private boolean broken;

  RequestObserver(LlmCall call, ContentCapture capture) {
    this.call = call;
    this.capture = capture;
    this.prompt = capture.enabled() ? capture.newPromptReader() : null;
  }

  @Override
  public void onBytes(byte[] bytes, int offset, int length) {
    if (broken || length <= 0) {
      return;
    }
    try {
      if (parser == null) {
        parser = prompt == null
            ? BodyParser.create("application/json", null, fields)
            : BodyParser.create("application/json", null, new BothHandlers(fields, prompt), capture.maxStringBytes());
      }
      parser.write(bytes, offset, length);
    } catch (IOException notJson) {
      broken = true; // an unreadable request only means the model comes from the path, if at all
    } catch (Throwable error) {
      failed(error);
    }
  }

  @Override
  void failed(Throwable error) {
    broken = true;
    call.internalError(error);
  }

  RequestFields fields() {
    return fields;
  }

  /** The prompt read (content capture on), or null. */
  PromptMessages prompt() {
    return prompt;
  }

  /** Hands every value to two readers. */
  private static final class BothHandlers implements JsonFieldHandler {
    private final JsonFieldHandler first;
    private final JsonFieldHandler second;

    BothHandlers(JsonFieldHandler first, JsonFieldHandler second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void onDocumentStart() {
      first.onDocumentStart();
      second.onDocumentStart();
    }

    @Override
    public void onScalar(JsonPath path, JsonScalar value) throws IOException {
      first.onScalar(path, value);
      second.onScalar(path, value);
    }
  }
}
