package dev.obsagent.instrumentation.llm.content;

import java.util.List;

/**
 * Writes messages in the shape of the GenAI semantic conventions' {@code gen_ai.input.messages}
 * and {@code gen_ai.output.messages}: {@code [{"role":"user","parts":[{"type":"text",
 * "content":"..."}]}]}, with {@code finish_reason} on output messages.
 */
final class MessagesJson {

  private MessagesJson() {}

  static void message(StringBuilder json, String role, List<String> texts, String finishReason) {
    json.append(json.length() == 1 ? "" : ",").append("{\"role\":");
    string(json, role);
    json.append(",\"parts\":[");
    for (int i = 0; i < texts.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"type\":\"text\",\"content\":");
      string(json, texts.get(i));
      json.append('}');
    }
    json.append(']');
    if (finishReason != null) {
      json.append(",\"finish_reason\":");
      string(json, finishReason);
    }
    json.append('}');
  }

  static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"':
          json.append("\\\"");
          break;
        case '\\':
          json.append("\\\\");
          break;
        case '\n':
          json.append("\\n");
          break;
        case '\r':
          json.append("\\r");
          break;
        case '\t':
          json.append("\\t");
          break;
        default:
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
      }
    }
    json.append('"');
  }
}
