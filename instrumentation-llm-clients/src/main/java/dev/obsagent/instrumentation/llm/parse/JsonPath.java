package dev.obsagent.instrumentation.llm.parse;

/**
 * The field names leading from a document's root to the current value, e.g. {@code usage,
 * prompt_tokens} or {@code choices, [], finish_reason}. A reused view: the {@code is} overloads
 * compare without allocating (field names come canonicalised from the parser, so most
 * comparisons are reference checks).
 */
public final class JsonPath {

  /** The name an array item gets in a path. */
  public static final String ITEM = "[]";

  private String[] names;
  private int[] indices;
  private int from;
  private int length;

  void set(String[] names, int[] indices, int from, int length) {
    this.names = names;
    this.indices = indices;
    this.from = from;
    this.length = length;
  }

  public int length() {
    return length;
  }

  public String at(int index) {
    return names[from + index];
  }

  /** For an {@link #ITEM} element: its position in its array, counted from 0. */
  public int index(int index) {
    return indices[from + index];
  }

  public String last() {
    return names[from + length - 1];
  }

  public boolean is(String a) {
    return length == 1 && a.equals(at(0));
  }

  public boolean is(String a, String b) {
    return length == 2 && a.equals(at(0)) && b.equals(at(1));
  }

  public boolean is(String a, String b, String c) {
    return length == 3 && a.equals(at(0)) && b.equals(at(1)) && c.equals(at(2));
  }

  public boolean is(String a, String b, String c, String d) {
    return length == 4 && a.equals(at(0)) && b.equals(at(1)) && c.equals(at(2)) && d.equals(at(3));
  }

  public boolean is(String a, String b, String c, String d, String e) {
    return length == 5 && a.equals(at(0)) && b.equals(at(1)) && c.equals(at(2)) && d.equals(at(3)) && e.equals(at(4));
  }

  public boolean startsWith(String a) {
    return length >= 1 && a.equals(at(0));
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(i == 0 ? "" : ".").append(at(i));
    }
    return text.toString();
  }
}
