package dev.obsagent.instrumentation.jdbc.sql;

import java.util.Arrays;

/**
 * The tokens of one SQL text, as parallel arrays of kind, start and end (no object per token).
 * Comments and whitespace are not tokens.
 */
final class SqlTokens {

  /** A keyword or unquoted name (also {@code @var}, {@code #temp}). */
  static final byte WORD = 1;
  /** A quoted name: {@code "x"}, {@code `x`}, {@code [x]}; start and end include the quotes. */
  static final byte QUOTED_NAME = 2;
  /** A string, number, hex, bit or dollar-quoted literal. */
  static final byte LITERAL = 3;
  /** One operator or punctuation character, or a {@code $1} parameter. */
  static final byte SYMBOL = 4;

  private final String sql;
  private byte[] kinds = new byte[32];
  private int[] starts = new int[32];
  private int[] ends = new int[32];
  private int count;

  SqlTokens(String sql) {
    this.sql = sql;
  }

  void add(byte kind, int start, int end) {
    if (count == kinds.length) {
      int capacity = count * 2;
      kinds = Arrays.copyOf(kinds, capacity);
      starts = Arrays.copyOf(starts, capacity);
      ends = Arrays.copyOf(ends, capacity);
    }
    kinds[count] = kind;
    starts[count] = start;
    ends[count] = end;
    count++;
  }

  int count() {
    return count;
  }

  byte kind(int token) {
    return token < count ? kinds[token] : 0;
  }

  int start(int token) {
    return starts[token];
  }

  int end(int token) {
    return ends[token];
  }

  String text(int token) {
    return sql.substring(starts[token], ends[token]);
  }

  /** True when the token is the unquoted word {@code keyword} (given in upper case), any case. */
  boolean isWord(int token, String keyword) {
    return kind(token) == WORD
        && ends[token] - starts[token] == keyword.length()
        && sql.regionMatches(true, starts[token], keyword, 0, keyword.length());
  }

  boolean isSymbol(int token, char symbol) {
    return kind(token) == SYMBOL && ends[token] - starts[token] == 1 && sql.charAt(starts[token]) == symbol;
  }

  /** True for a name part: an unquoted word or a quoted name. */
  boolean isName(int token) {
    byte kind = kind(token);
    return kind == WORD || kind == QUOTED_NAME;
  }

  /** A name part as the database sees it: quotes removed, doubled closing quotes undone. */
  String name(int token) {
    if (kinds[token] == WORD) {
      return text(token);
    }
    int start = starts[token];
    int end = ends[token];
    char close = closingQuote(sql.charAt(start));
    boolean closed = end - start >= 2 && sql.charAt(end - 1) == close;
    String inner = sql.substring(start + 1, closed ? end - 1 : end);
    String quote = String.valueOf(close);
    String doubled = quote + quote;
    return inner.indexOf(doubled) < 0 ? inner : inner.replace(doubled, quote);
  }

  static char closingQuote(char open) {
    return open == '[' ? ']' : open;
  }
}
