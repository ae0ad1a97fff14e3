package dev.obsagent.instrumentation.llm.endpoint;

/**
 * Decides whether an outgoing HTTP request is an LLM API call: by path (so proxies and
 * OpenAI-compatible servers work), by host where it tells the provider, and by
 * {@code obs.llm.endpoints}. Runs for every request the application makes: a non-LLM URL costs
 * a few string comparisons and allocates nothing.
 *
 * <p>The generic native paths of Ollama ({@code /api/chat}, {@code /api/generate},
 * {@code /api/embed}) and Cohere ({@code /v2/chat}) could be any application's own endpoints, so
 * they count only where the host says so (Ollama's port 11434 or a host named {@code ollama};
 * a {@code cohere} host) or {@code obs.llm.endpoints} maps the base URL.
 */
public final class LlmEndpoints {

  private static final int OLLAMA_PORT = 11434;

  private final ConfiguredEndpoints configured;

  public LlmEndpoints(ConfiguredEndpoints configured) {
    this.configured = configured;
  }

  /**
   * @param path the request path, without query string (one is ignored if present)
   * @param port the port, or -1 for the scheme's default
   * @return the match, or null when this is not an LLM call
   */
  public LlmRequestMatch recognize(String method, String scheme, String host, int port, String path) {
    if (method == null || path == null || !method.equalsIgnoreCase("POST")) {
      return null;
    }
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    ApiShape shape = PathShapes.shapeOf(path);
    if (shape == null) {
      return null;
    }
    int effectivePort = portOrDefault(scheme, port);
    String provider = configured.providerFor(host, effectivePort, path);
    if (provider == null) {
      provider = providerFromUrl(shape, host, effectivePort, path);
      if (provider == null) {
        return null;
      }
    }
    return new LlmRequestMatch(
        provider, shape, PathShapes.pathModel(shape, path), PathShapes.pathStreams(shape, path), host, effectivePort);
  }

  private static String providerFromUrl(ApiShape shape, String host, int port, String path) {
    String byHost = ProviderHosts.providerOf(host);
    switch (shape) {
      case OLLAMA_CHAT:
      case OLLAMA_GENERATE:
      case OLLAMA_EMBED:
        boolean ollamaHost = port == OLLAMA_PORT || (host != null && host.toLowerCase(java.util.Locale.ROOT).contains("ollama"));
        return ollamaHost ? "ollama" : null;
      case COHERE_CHAT:
        return "cohere".equals(byHost) ? byHost : null;
      case GEMINI_GENERATE_CONTENT:
        if (byHost != null) {
          return byHost;
        }
        return PathShapes.isVertexPath(path) ? "gcp.vertex_ai" : shape.nativeProvider();
      default:
        if (byHost != null) {
          return byHost;
        }
        return PathShapes.azureDeployment(path) != null ? "azure.ai.openai" : shape.nativeProvider();
    }
  }

  static int portOrDefault(String scheme, int port) {
    if (port > 0) {
      return port;
    }
    return scheme != null && scheme.equalsIgnoreCase("http") ? 80 : 443;
  }
}
