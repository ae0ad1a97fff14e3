package dev.obsagent.instrumentation.jdbc.sql;

import dev.obsagent.instrumentation.jdbc.util.BoundedCache;

/**
 * Turns SQL text into a {@link SqlSummary} for one dialect, with a bounded cache keyed by the
 * text: an application runs the same few hundred statements over and over.
 *
 * <p>Only the first {@value #MAX_ANALYZED_CHARS} characters are read: the operation and table
 * are near the start, and a 1 MB statement must cost no more than a 32 KB one. The sanitized
 * text of a longer statement ends with {@value #TRUNCATED}.
 */
public final class SqlAnalyzer {

  public static final int MAX_ANALYZED_CHARS = 32 * 1024;
  public static final String TRUNCATED = "...";

  /** Distinct statements kept; past it (or past the character budget) the cache starts over. */
  private static final int MAX_CACHED_STATEMENTS = 2048;
  /** Characters of SQL and sanitized text kept, about 2 MB at most. */
  private static final long MAX_CACHED_CHARS = 1_000_000;

  private final SqlDialect dialect;
  private final BoundedCache<String, SqlSummary> cache =
      new BoundedCache<>(MAX_CACHED_STATEMENTS, MAX_CACHED_CHARS);

  public SqlAnalyzer(SqlDialect dialect) {
    this.dialect = dialect;
  }

  public SqlSummary analyze(String sql) {
    SqlSummary summary = cache.get(sql);
    if (summary == null) {
      summary = summarize(sql, dialect);
      if (sql.length() <= MAX_ANALYZED_CHARS) {
        cache.put(sql, summary, sql.length() + summary.queryText().length());
      }
    }
    return summary;
  }

  /** The uncached analysis. */
  static SqlSummary summarize(String sql, SqlDialect dialect) {
    int limit = analyzedLength(sql);
    SqlLexer lexer = SqlLexer.lex(sql, limit, dialect);
    if (lexer.tokens().count() == 0) {
      return SqlSummary.NO_STATEMENT;
    }
    SqlShapeParser shape = SqlShapeParser.parse(lexer.tokens());
    StringBuilder text = lexer.sanitized();
    if (limit < sql.length()) {
      text.append(TRUNCATED);
    }
    return new SqlSummary(shape.operation(), shape.table(), shape.procedure(), text.toString());
  }

  private static int analyzedLength(String sql) {
    if (sql.length() <= MAX_ANALYZED_CHARS) {
      return sql.length();
    }
    // Never split a surrogate pair: half a character is not valid text.
    return Character.isHighSurrogate(sql.charAt(MAX_ANALYZED_CHARS - 1)) ? MAX_ANALYZED_CHARS - 1 : MAX_ANALYZED_CHARS;
  }
}
