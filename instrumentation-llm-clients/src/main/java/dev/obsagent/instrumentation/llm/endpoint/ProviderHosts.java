package dev.obsagent.instrumentation.llm.endpoint;

/**
 * The providers whose public API host tells who they are. A host not listed here is named after
 * the API shape its path speaks ({@code openai} for OpenAI-compatible servers), unless
 * {@code obs.llm.endpoints} says otherwise.
 */
final class ProviderHosts {

  private ProviderHosts() {}

  /** The {@code gen_ai.provider.name} for this host, or null when the host does not tell. */
  static String providerOf(String host) {
    if (host == null) {
      return null;
    }
    if (host.equalsIgnoreCase("api.openai.com")) {
      return "openai";
    }
    if (endsWithIgnoreCase(host, ".openai.azure.com")
        || endsWithIgnoreCase(host, ".cognitiveservices.azure.com")
        || endsWithIgnoreCase(host, ".services.ai.azure.com")) {
      return "azure.ai.openai";
    }
    if (host.equalsIgnoreCase("api.anthropic.com")) {
      return "anthropic";
    }
    if (host.equalsIgnoreCase("generativelanguage.googleapis.com")) {
      return "gcp.gemini";
    }
    if (endsWithIgnoreCase(host, "aiplatform.googleapis.com")) {
      return "gcp.vertex_ai";
    }
    if (host.regionMatches(true, 0, "bedrock-runtime", 0, "bedrock-runtime".length())
        && (endsWithIgnoreCase(host, ".amazonaws.com") || endsWithIgnoreCase(host, ".amazonaws.com.cn"))) {
      return "aws.bedrock";
    }
    if (host.equalsIgnoreCase("api.mistral.ai")) {
      return "mistral_ai";
    }
    if (host.equalsIgnoreCase("api.cohere.com") || host.equalsIgnoreCase("api.cohere.ai")) {
      return "cohere";
    }
    if (host.equalsIgnoreCase("api.groq.com")) {
      return "groq";
    }
    if (host.equalsIgnoreCase("api.deepseek.com")) {
      return "deepseek";
    }
    if (host.equalsIgnoreCase("api.x.ai")) {
      return "x_ai";
    }
    if (host.equalsIgnoreCase("api.perplexity.ai")) {
      return "perplexity";
    }
    return null;
  }

  static boolean endsWithIgnoreCase(String text, String suffix) {
    int start = text.length() - suffix.length();
    return start >= 0 && text.regionMatches(true, start, suffix, 0, suffix.length());
  }
}
