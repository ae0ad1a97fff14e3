package dev.obsagent.instrumentation.llm.endpoint;

import dev.obsagent.instrumentation.llm.provider.AnthropicUsage;
import dev.obsagent.instrumentation.llm.provider.BedrockUsage;
import dev.obsagent.instrumentation.llm.provider.CohereUsage;
import dev.obsagent.instrumentation.llm.provider.GeminiUsage;
import dev.obsagent.instrumentation.llm.provider.OllamaUsage;
import dev.obsagent.instrumentation.llm.provider.OpenAiChatUsage;
import dev.obsagent.instrumentation.llm.provider.OpenAiResponsesUsage;
import dev.obsagent.instrumentation.llm.provider.UsageExtractor;
import java.util.function.Supplier;

/**
 * The wire format of one LLM API: which operation it is, which provider speaks it natively, how
 * its responses report usage, and whether it streams when the request does not say.
 */
public enum ApiShape {
  OPENAI_CHAT("chat", "openai", OpenAiChatUsage::new, false),
  OPENAI_COMPLETIONS("text_completion", "openai", OpenAiChatUsage::new, false),
  OPENAI_RESPONSES("chat", "openai", OpenAiResponsesUsage::new, false),
  OPENAI_EMBEDDINGS("embeddings", "openai", OpenAiChatUsage::new, false),
  ANTHROPIC_MESSAGES("chat", "anthropic", AnthropicUsage::new, false),
  GEMINI_GENERATE_CONTENT("generate_content", "gcp.gemini", GeminiUsage::new, false),
  BEDROCK_CONVERSE("chat", "aws.bedrock", BedrockUsage::new, false),
  /** Ollama streams unless the request says {@code "stream": false}. */
  OLLAMA_CHAT("chat", "ollama", OllamaUsage::new, true),
  OLLAMA_GENERATE("text_completion", "ollama", OllamaUsage::new, true),
  OLLAMA_EMBED("embeddings", "ollama", OllamaUsage::new, false),
  COHERE_CHAT("chat", "cohere", CohereUsage::new, false);

  private final String operation;
  private final String nativeProvider;
  private final Supplier<UsageExtractor> extractor;
  private final boolean streamsByDefault;

  ApiShape(String operation, String nativeProvider, Supplier<UsageExtractor> extractor, boolean streamsByDefault) {
    this.operation = operation;
    this.nativeProvider = nativeProvider;
    this.extractor = extractor;
    this.streamsByDefault = streamsByDefault;
  }

  /** The {@code gen_ai.operation.name} value. */
  public String operation() {
    return operation;
  }

  /** The provider assumed when neither the host nor {@code obs.llm.endpoints} says otherwise. */
  public String nativeProvider() {
    return nativeProvider;
  }

  public UsageExtractor newExtractor() {
    return extractor.get();
  }

  public boolean streamsByDefault() {
    return streamsByDefault;
  }
}
