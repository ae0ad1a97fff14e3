package dev.obsagent.instrumentation.llm.endpoint;

/** An outgoing HTTP request recognised as an LLM API call, with what its URL tells. Immutable. */
public final class LlmRequestMatch {

  private final String provider;
  private final ApiShape shape;
  private final String pathModel;
  private final boolean pathStreams;
  private final String serverAddress;
  private final int serverPort;

  public LlmRequestMatch(
      String provider, ApiShape shape, String pathModel, boolean pathStreams, String serverAddress, int serverPort) {
    this.provider = provider;
    this.shape = shape;
    this.pathModel = pathModel;
    this.pathStreams = pathStreams;
    this.serverAddress = serverAddress;
    this.serverPort = serverPort;
  }

  /** The {@code gen_ai.provider.name} value, e.g. {@code openai}, {@code aws.bedrock}. */
  public String provider() {
    return provider;
  }

  /** The {@code gen_ai.operation.name} value. */
  public String operation() {
    return shape.operation();
  }

  public ApiShape shape() {
    return shape;
  }

  /**
   * The model named by the path (Gemini and Vertex {@code models/{model}:...}, Bedrock
   * {@code /model/{modelId}/...} decoded, the Azure deployment name), or null.
   */
  public String pathModel() {
    return pathModel;
  }

  /** True when the path itself asks for a stream ({@code :streamGenerateContent}, {@code converse-stream}). */
  public boolean pathStreams() {
    return pathStreams;
  }

  public String serverAddress() {
    return serverAddress;
  }

  public int serverPort() {
    return serverPort;
  }

  @Override
  public String toString() {
    return provider + " " + shape + (pathModel == null ? "" : " " + pathModel);
  }
}
