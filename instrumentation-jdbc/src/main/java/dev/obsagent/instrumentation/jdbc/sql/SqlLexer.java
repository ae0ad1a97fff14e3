package dev.obsagent.instrumentation.jdbc.sql;

/**
 * One left-to-right pass over at most {@code limit} characters of SQL that splits it into
 * {@link SqlTokens} and, at the same time, writes the sanitized text: every literal becomes
 * {@code ?}, comments are dropped (they may quote data, e.g. sqlcommenter tags), and each run of
 * whitespace becomes one space. Every character is looked at a bounded number of times, so the
 * pass is linear; an unterminated literal or comment runs to the end and is dropped whole.
 */
final class SqlLexer {

  /** PostgreSQL tags are names of at most 63 characters; longer is not a dollar quote. */
  private static final int MAX_DOLLAR_TAG = 64;

  private final String sql;
  private final int limit;
  private final SqlDialect dialect;
  private final SqlTokens tokens;
  private final StringBuilder sanitized;
  private int pos;
  private boolean spaceBeforeNextToken;

  private SqlLexer(String sql, int limit, SqlDialect dialect) {
    this.sql = sql;
    this.limit = limit;
    this.dialect = dialect;
    this.tokens = new SqlTokens(sql);
    this.sanitized = new StringBuilder(Math.min(limit, 256));
  }

  /** Lexes {@code sql[0, limit)}; {@code limit} must not split a surrogate pair. */
  static SqlLexer lex(String sql, int limit, SqlDialect dialect) {
    SqlLexer lexer = new SqlLexer(sql, limit, dialect);
    lexer.run();
    return lexer;
  }

  SqlTokens tokens() {
    return tokens;
  }

  StringBuilder sanitized() {
    return sanitized;
  }

  private void run() {
    while (pos < limit) {
      char c = sql.charAt(pos);
      char next = charAt(pos + 1);
      if (Character.isWhitespace(c)) {
        pos++;
        spaceBeforeNextToken = true;
      } else if ((c == '-' && next == '-') || (c == '#' && dialect.hashComments())) {
        skipLineComment();
      } else if (c == '/' && next == '*') {
        skipBlockComment();
      } else if (c == '\'') {
        string(pos, '\'', dialect.backslashEscapes);
      } else if (c == '"') {
        if (dialect.doubleQuotedStrings) {
          string(pos, '"', dialect.backslashEscapes);
        } else {
          quotedName('"');
        }
      } else if (c == '`' || (c == '[' && dialect.bracketIdentifiers)) {
        quotedName(SqlTokens.closingQuote(c));
      } else if (c == '$' && dialect.dollarQuotedStrings) {
        dollar();
      } else if (isDigit(c) || (c == '.' && isDigit(next))) {
        number();
      } else if ((c == 'q' || c == 'Q') && next == '\'' && dialect == SqlDialect.ANSI) {
        oracleQuoted();
      } else if (isLiteralPrefix(c) && next == '\'') {
        // N'national', E'escaped', X'hex', B'bits': the prefix is part of the literal.
        string(pos + 1, '\'', dialect.backslashEscapes || c == 'e' || c == 'E');
      } else if (isWordPart(c) && c != '$') {
        word();
      } else {
        pos++;
        emit(SqlTokens.SYMBOL, pos - 1, pos);
      }
    }
  }

  private void word() {
    int start = pos;
    while (pos < limit && isWordPart(sql.charAt(pos))) {
      pos++;
    }
    emit(SqlTokens.WORD, start, pos);
  }

  private void number() {
    int start = pos;
    pos++;
    while (pos < limit) {
      char c = sql.charAt(pos);
      char previous = sql.charAt(pos - 1);
      boolean exponentSign = (c == '+' || c == '-') && (previous == 'e' || previous == 'E');
      if (!(Character.isLetterOrDigit(c) || c == '.' || c == '_' || exponentSign)) {
        break;
      }
      pos++;
    }
    emit(SqlTokens.LITERAL, start, pos);
  }

  /** A quoted string from {@code quote} at {@code openAt} (a prefix letter may precede it). */
  private void string(int openAt, char quote, boolean backslashEscapes) {
    int start = pos;
    pos = openAt + 1;
    while (pos < limit) {
      char c = sql.charAt(pos++);
      if (c == '\\' && backslashEscapes) {
        pos++;
      } else if (c == quote) {
        if (charAt(pos) != quote) {
          break;
        }
        pos++; // a doubled quote stands for one
      }
    }
    pos = Math.min(pos, limit);
    emit(SqlTokens.LITERAL, start, pos);
  }

  private void quotedName(char close) {
    int start = pos++;
    while (pos < limit) {
      char c = sql.charAt(pos++);
      if (c == close) {
        if (charAt(pos) != close) {
          break;
        }
        pos++;
      }
    }
    emit(SqlTokens.QUOTED_NAME, start, pos);
  }

  /** Oracle's {@code q'[...]'}: the string ends at the closing delimiter followed by a quote. */
  private void oracleQuoted() {
    int start = pos;
    char open = charAt(pos + 2);
    char close = open == '[' ? ']' : open == '{' ? '}' : open == '(' ? ')' : open == '<' ? '>' : open;
    pos += 3;
    while (pos < limit && !(sql.charAt(pos - 1) == close && sql.charAt(pos) == '\'' && pos - 1 > start + 2)) {
      pos++;
    }
    pos = Math.min(pos + 1, limit);
    emit(SqlTokens.LITERAL, start, pos);
  }

  /** {@code $1} is a parameter; {@code $$...$$} and {@code $tag$...$tag$} are strings. */
  private void dollar() {
    int start = pos;
    int tagEnd = pos + 1;
    if (isDigit(charAt(tagEnd))) {
      while (isDigit(charAt(tagEnd))) {
        tagEnd++;
      }
      pos = tagEnd;
      emit(SqlTokens.SYMBOL, start, pos);
      return;
    }
    while (tagEnd < limit && tagEnd - start <= MAX_DOLLAR_TAG && isTagPart(sql.charAt(tagEnd))) {
      tagEnd++;
    }
    if (charAt(tagEnd) != '$' || tagEnd - start > MAX_DOLLAR_TAG) {
      pos++;
      emit(SqlTokens.SYMBOL, start, pos);
      return;
    }
    pos = closingDollarTag(start, tagEnd + 1 - start, tagEnd + 1);
    emit(SqlTokens.LITERAL, start, pos);
  }

  /** The end of the closing {@code $tag$} (the tag is at most 64 characters), or the limit. */
  private int closingDollarTag(int tagStart, int tagLength, int from) {
    for (int i = from; i + tagLength <= limit; i++) {
      if (sql.charAt(i) == '$' && sql.regionMatches(i, sql, tagStart, tagLength)) {
        return i + tagLength;
      }
    }
    return limit;
  }

  private void skipLineComment() {
    while (pos < limit && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
      pos++;
    }
    spaceBeforeNextToken = true;
  }

  private void skipBlockComment() {
    int depth = 0;
    while (pos < limit) {
      char c = sql.charAt(pos);
      char next = charAt(pos + 1);
      if (c == '/' && next == '*' && (depth == 0 || dialect.nestedComments)) {
        depth++;
        pos += 2;
      } else if (c == '*' && next == '/') {
        pos += 2;
        if (--depth == 0) {
          break;
        }
      } else {
        pos++;
      }
    }
    pos = Math.min(pos, limit);
    spaceBeforeNextToken = true;
  }

  private void emit(byte kind, int start, int end) {
    if (spaceBeforeNextToken && sanitized.length() > 0) {
      sanitized.append(' ');
    }
    spaceBeforeNextToken = false;
    if (kind == SqlTokens.LITERAL) {
      sanitized.append('?');
    } else {
      sanitized.append(sql, start, end);
    }
    tokens.add(kind, start, end);
  }

  private char charAt(int index) {
    return index < limit ? sql.charAt(index) : 0;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLiteralPrefix(char c) {
    switch (c) {
      case 'N': case 'n': case 'E': case 'e': case 'X': case 'x': case 'B': case 'b':
        return true;
      default:
        return false;
    }
  }

  /** Letters of any script, digits, {@code _ $ @} and (but in MySQL) {@code #}. */
  private boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c)
        || c == '_'
        || c == '$'
        || c == '@'
        || (c == '#' && !dialect.hashComments())
        || Character.isSurrogate(c);
  }

  private static boolean isTagPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
