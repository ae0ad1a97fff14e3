package dev.obsagent.instrumentation.llm.content;

import static dev.obsagent.instrumentation.llm.parse.JsonPath.ITEM;

import dev.obsagent.instrumentation.llm.parse.JsonFieldHandler;
import dev.obsagent.instrumentation.llm.parse.JsonPath;
import dev.obsagent.instrumentation.llm.parse.JsonScalar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the prompt from a request body as it is sent, for every provider's request shape at
 * once (they differ little):
 *
 * <ul>
 *   <li>a message list: {@code messages} (OpenAI, Anthropic, Mistral, Ollama, Cohere, Bedrock),
 *       {@code contents} (Gemini) or {@code input} (OpenAI Responses), each item with a
 *       {@code role} and its text as {@code content} or as {@code content[].text} /
 *       {@code parts[].text} parts;
 *   <li>system instructions: {@code system} (a string or {@code [].text} parts),
 *       {@code instructions}, Gemini's {@code systemInstruction.parts[].text};
 *   <li>a bare prompt: {@code prompt}, {@code input} as a string or a list of strings.
 * </ul>
 *
 * Images, tool definitions and other non-text parts are left out.
 */
public final class PromptMessages implements JsonFieldHandler {

  private static final String USER = "user";
  private static final String SYSTEM = "system";

  private final TextBudget budget;
  private final List<String> systemTexts = new ArrayList<>();
  private final Map<Integer, Message> messages = new TreeMap<>();
  private final List<String> promptTexts = new ArrayList<>();
  private int documents;

  PromptMessages(TextBudget budget) {
    this.budget = budget;
  }

  @Override
  public void onDocumentStart() {
    documents++;
  }

  @Override
  public void onScalar(JsonPath path, JsonScalar value) throws IOException {
    if (documents != 1 || !value.isString()) {
      return;
    }
    String root = path.at(0);
    int length = path.length();
    if (length == 1) {
      if (root.equals("prompt") || root.equals("input")) {
        add(promptTexts, value);
      } else if (root.equals("system") || root.equals("instructions")) {
        add(systemTexts, value);
      }
    } else if (isMessageList(root) && path.at(1).equals(ITEM)) {
      onMessageScalar(path, value);
    } else if (isSystemText(path)) {
      add(systemTexts, value);
    }
  }

  private void onMessageScalar(JsonPath path, JsonScalar value) throws IOException {
    int length = path.length();
    if (length == 2) {
      add(promptTexts, value); // input: ["text", ...] (embeddings)
      return;
    }
    Message message = messages.computeIfAbsent(path.index(1), index -> new Message());
    String field = path.at(2);
    if (length == 3 && field.equals("role")) {
      String role = value.text();
      message.role = role.equals("model") ? "assistant" : role; // Gemini calls the assistant "model"
    } else if (length == 3 && field.equals("content")) {
      add(message.texts, value);
    } else if (length == 5 && (field.equals("content") || field.equals("parts"))
        && path.at(3).equals(ITEM) && path.last().equals("text")) {
      add(message.texts, value);
    }
  }

  private static boolean isMessageList(String root) {
    return root.equals("messages") || root.equals("contents") || root.equals("input");
  }

  /** {@code system[].text}, {@code systemInstruction.parts[].text} (and its snake_case twin). */
  private static boolean isSystemText(JsonPath path) {
    if (path.is("system", ITEM, "text")) {
      return true;
    }
    return path.length() == 4
        && (path.at(0).equals("systemInstruction") || path.at(0).equals("system_instruction"))
        && path.at(1).equals("parts") && path.at(2).equals(ITEM) && path.last().equals("text");
  }

  private void add(List<String> texts, JsonScalar value) throws IOException {
    StringBuilder text = new StringBuilder();
    budget.append(text, value.text());
    if (text.length() > 0) {
      texts.add(text.toString());
    }
  }

  /** {@code gen_ai.input.messages}, or null when the body held no prompt text. */
  public String inputMessagesJson() {
    StringBuilder json = new StringBuilder().append('[');
    if (!systemTexts.isEmpty()) {
      MessagesJson.message(json, SYSTEM, systemTexts, null);
    }
    for (Message message : messages.values()) {
      if (!message.texts.isEmpty()) {
        MessagesJson.message(json, message.role == null ? USER : message.role, message.texts, null);
      }
    }
    if (!promptTexts.isEmpty()) {
      MessagesJson.message(json, USER, promptTexts, null);
    }
    return json.length() == 1 ? null : json.append(']').toString();
  }

  public boolean truncated() {
    return budget.truncated();
  }

  private static final class Message {
    String role;
    final List<String> texts = new ArrayList<>(1);
  }
}
