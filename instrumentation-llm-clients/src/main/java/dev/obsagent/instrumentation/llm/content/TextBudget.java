package dev.obsagent.instrumentation.llm.content;

/** Characters of captured text still allowed for one attribute; remembers whether it cut any. */
final class TextBudget {

  private int left;
  private boolean truncated;

  TextBudget(int maxChars) {
    this.left = maxChars;
  }

  /** Appends as much of {@code text} as the budget allows. */
  void append(StringBuilder target, String text) {
    if (text.length() <= left) {
      target.append(text);
      left -= text.length();
      return;
    }
    int cut = left;
    if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--; // never split a surrogate pair
    }
    target.append(text, 0, cut);
    left = 0;
    truncated = true;
  }

  boolean truncated() {
    return truncated;
  }
}
