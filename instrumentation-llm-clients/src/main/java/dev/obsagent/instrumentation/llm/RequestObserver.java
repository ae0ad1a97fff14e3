package dev.obsagent.instrumentation.llm;

import dev.obsagent.instrumentation.llm.parse.BodyParser;
import dev.obsagent.instrumentation.llm.provider.RequestFields;
import java.io.IOException;

/**
 * Reads the request body as it is sent: the model, the stream flag and OpenAI's
 * {@code stream_options.include_usage}. A body that is not JSON just leaves them unknown.
 *
 * <p>Extension point for {@code obs.llm.capture-content}: prompts would be read here by a second
 * {@link dev.obsagent.instrumentation.llm.parse.JsonFieldHandler} next to {@link RequestFields}.
 * Capture is not implemented: nothing of the prompt is read or kept.
 */
public final class RequestObserver extends BodyObserver {

  private final RequestFields fields = new RequestFields();
  private final LlmCall call;
  private BodyParser parser;
  private boolean broken;

  RequestObserver(LlmCall call) {
    this.call = call;
  }

  @Override
  public void onBytes(byte[] bytes, int offset, int length) {
    if (broken || length <= 0) {
      return;
    }
    try {
      if (parser == null) {
        parser = BodyParser.create("application/json", null, fields);
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
}
