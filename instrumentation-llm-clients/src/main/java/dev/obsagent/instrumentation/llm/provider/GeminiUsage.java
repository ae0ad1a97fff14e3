package dev.obsagent.instrumentation.llm.provider;

import static dev.obsagent.instrumentation.llm.parse.JsonPath.ITEM;

import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;

/**
 * Google Gemini API and Vertex AI {@code generateContent} / {@code streamGenerateContent}.
 * {@code usageMetadata.promptTokenCount} includes {@code cachedContentTokenCount}; tool-use
 * prompt tokens ({@code toolUsePromptTokenCount}) are reported apart and added to input. Output
 * is {@code candidatesTokenCount + thoughtsTokenCount} (thinking tokens are not in the candidates
 * count). In a stream every chunk may carry {@code usageMetadata}; the LAST one wins whole, so
 * the counts are reset whenever a newer chunk starts reporting.
 */
public final class GeminiUsage extends UsageExtractor {

  private long prompt;
  private long toolUsePrompt;
  private long candidates;
  private long thoughts;
  private long cached;
  private int usageDocument = -1;

  public GeminiUsage() {
    resetUsage();
  }

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    int length = path.length();
    if (length == 1) {
      if (path.is("modelVersion")) {
        model(value);
      } else if (path.is("responseId")) {
        id(value);
      }
    } else if (length == 2 && path.startsWith("usageMetadata")) {
      if (usageDocument != documentIndex()) {
        usageDocument = documentIndex();
        resetUsage();
      }
      usageField(path.last(), count(value));
    } else if (length == 6 && path.at(0).equals("candidates") && path.at(2).equals("content")
        && path.at(3).equals("parts") && path.last().equals("text")) {
      text(value);
    } else if (length == 3 && path.is("candidates", ITEM, "finishReason")) {
      finishReason(value);
    }
  }

  private void usageField(String name, long count) {
    switch (name) {
      case "promptTokenCount":
        prompt = count;
        break;
      case "toolUsePromptTokenCount":
        toolUsePrompt = count;
        break;
      case "candidatesTokenCount":
        candidates = count;
        break;
      case "thoughtsTokenCount":
        thoughts = count;
        break;
      case "cachedContentTokenCount":
        cached = count;
        break;
      default:
    }
  }

  private void resetUsage() {
    prompt = TokenUsage.UNKNOWN;
    toolUsePrompt = TokenUsage.UNKNOWN;
    candidates = TokenUsage.UNKNOWN;
    thoughts = TokenUsage.UNKNOWN;
    cached = TokenUsage.UNKNOWN;
  }

  @Override
  protected TokenUsage usage() {
    // Either may be reported alone; missing both means no output count, not zero.
    long output = candidates >= 0 ? TokenUsage.sum(candidates, thoughts, TokenUsage.UNKNOWN) : thoughts;
    return new TokenUsage(TokenUsage.sum(prompt, toolUsePrompt, TokenUsage.UNKNOWN), output, cached, TokenUsage.UNKNOWN);
  }
}
