package dev.obsagent.instrumentation.llm.endpoint;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Recognises LLM APIs by the end of the request path, so proxies, gateways and OpenAI-compatible
 * servers under any prefix are recognised too, and reads the model a path carries. Plain string
 * comparisons: this runs for every outgoing request, and must not allocate when nothing matches.
 */
final class PathShapes {

  private static final String AZURE_DEPLOYMENTS = "/openai/deployments/";
  private static final String GEMINI_MODELS = "/models/";
  private static final String BEDROCK_MODEL = "/model/";

  private PathShapes() {}

  /** The API this path belongs to, or null. */
  static ApiShape shapeOf(String path) {
    if (path.endsWith("/chat/completions")) {
      return ApiShape.OPENAI_CHAT;
    }
    if (path.endsWith("/completions")) {
      return ApiShape.OPENAI_COMPLETIONS;
    }
    if (path.endsWith("/responses")) {
      return ApiShape.OPENAI_RESPONSES;
    }
    if (path.endsWith("/embeddings")) {
      return ApiShape.OPENAI_EMBEDDINGS;
    }
    if (path.endsWith("/v1/messages")) {
      return ApiShape.ANTHROPIC_MESSAGES;
    }
    if ((path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent"))
        && path.contains(GEMINI_MODELS)) {
      return ApiShape.GEMINI_GENERATE_CONTENT;
    }
    if ((path.endsWith("/converse") || path.endsWith("/converse-stream")) && path.contains(BEDROCK_MODEL)) {
      return ApiShape.BEDROCK_CONVERSE;
    }
    if (path.endsWith("/api/chat")) {
      return ApiShape.OLLAMA_CHAT;
    }
    if (path.endsWith("/api/generate")) {
      return ApiShape.OLLAMA_GENERATE;
    }
    if (path.endsWith("/api/embed")) {
      return ApiShape.OLLAMA_EMBED;
    }
    if (path.endsWith("/v2/chat")) {
      return ApiShape.COHERE_CHAT;
    }
    return null;
  }

  /** The model the path names for this shape, or null. */
  static String pathModel(ApiShape shape, String path) {
    switch (shape) {
      case GEMINI_GENERATE_CONTENT:
        int models = path.lastIndexOf(GEMINI_MODELS) + GEMINI_MODELS.length();
        int colon = path.lastIndexOf(':');
        return colon > models ? path.substring(models, colon) : null;
      case BEDROCK_CONVERSE:
        int start = path.lastIndexOf(BEDROCK_MODEL) + BEDROCK_MODEL.length();
        int end = path.lastIndexOf('/');
        return end > start ? decode(path.substring(start, end)) : null;
      default:
        return azureDeployment(path);
    }
  }

  /** True when the path asks for a stream. */
  static boolean pathStreams(ApiShape shape, String path) {
    return (shape == ApiShape.GEMINI_GENERATE_CONTENT && path.endsWith(":streamGenerateContent"))
        || (shape == ApiShape.BEDROCK_CONVERSE && path.endsWith("/converse-stream"));
  }

  /** The deployment of an Azure OpenAI deployment path ({@code /openai/deployments/{d}/...}), or null. */
  static String azureDeployment(String path) {
    int at = path.indexOf(AZURE_DEPLOYMENTS);
    if (at < 0) {
      return null;
    }
    int start = at + AZURE_DEPLOYMENTS.length();
    int end = path.indexOf('/', start);
    return end > start ? decode(path.substring(start, end)) : null;
  }

  /** True for Vertex AI's {@code /projects/{p}/locations/{l}/publishers/...} paths. */
  static boolean isVertexPath(String path) {
    return path.contains("/projects/") && path.contains("/locations/");
  }

  private static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment; // a malformed escape: keep the path text as it is
    }
  }
}
