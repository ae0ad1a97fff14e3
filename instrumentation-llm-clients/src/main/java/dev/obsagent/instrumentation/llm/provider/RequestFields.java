package dev.obsagent.instrumentation.llm.provider;

import dev.obsagent.instrumentation.llm.parse.JsonFieldHandler;
import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;

/**
 * What the agent reads from a request body as it is sent: the top-level {@code model}, the
 * {@code stream} flag and OpenAI's {@code stream_options.include_usage}. Prompts are never read
 * (content capture is off; the long-string filter cuts them before the parser anyway).
 */
public final class RequestFields implements JsonFieldHandler {

  private String model;
  private Boolean stream;
  private Boolean includeUsage;
  private int documents;

  @Override
  public void onDocumentStart() {
    documents++;
  }

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    if (documents != 1) {
      return;
    }
    if (path.is("model") && value.isString()) {
      model = value.text();
    } else if (path.is("stream") && value.isBoolean()) {
      stream = value.isTrue();
    } else if (path.is("stream_options", "include_usage") && value.isBoolean()) {
      includeUsage = value.isTrue();
    }
  }

  /** The model the body names, or null. */
  public String model() {
    return model;
  }

  /** The body's stream flag, or null when it has none. */
  public Boolean stream() {
    return stream;
  }

  /** OpenAI's {@code stream_options.include_usage}, or null. */
  public Boolean includeUsage() {
    return includeUsage;
  }
}
