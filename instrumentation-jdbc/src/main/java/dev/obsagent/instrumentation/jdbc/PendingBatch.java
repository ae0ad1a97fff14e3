package dev.obsagent.instrumentation.jdbc;

import dev.obsagent.instrumentation.jdbc.sql.SqlAnalyzer;
import dev.obsagent.instrumentation.jdbc.sql.SqlSummary;

/**
 * The statements added to a batch since it was last executed or cleared. For a prepared
 * statement only the count matters; for {@code Statement.addBatch(String)} it also tracks
 * whether all statements share operation, table and text, following the semantic conventions
 * for batches ({@code BATCH INSERT} when the operation is shared, texts joined by {@code ; }).
 */
final class PendingBatch {

  static final PendingBatch EMPTY = new PendingBatch();

  private static final String SEPARATOR = "; ";

  private int size;
  private SqlSummary first;
  private boolean sameOperation = true;
  private boolean sameCollection = true;
  private boolean sameText = true;
  /** The joined texts, built only once two texts differ, and no longer than the text cap. */
  private StringBuilder texts;

  /** Adds one statement; {@code sql} is null for a prepared statement's parameter set. */
  void add(SqlSummary sql) {
    size++;
    if (sql == null) {
      return;
    }
    if (first == null) {
      first = sql;
    } else {
      sameOperation &= first.operation().equals(sql.operation());
      sameCollection &= first.collection().equals(sql.collection());
      if (sameText && !first.queryText().equals(sql.queryText())) {
        sameText = false;
        texts = new StringBuilder();
        for (int i = 0; i < size - 1 && !full(); i++) { // the earlier statements, all alike
          append(first.queryText());
        }
      }
    }
    if (!sameText) {
      append(sql.queryText());
    }
  }

  int size() {
    return size;
  }

  /**
   * What the batch reports. One statement is not a batch (semantic conventions); an empty or
   * larger one is, and its size goes on the span.
   *
   * @param prepared the prepared statement's SQL, or null for a plain statement's batch
   */
  SqlSummary summary(SqlSummary prepared) {
    SqlSummary single = prepared != null ? prepared : first;
    if (single == null) {
      return SqlSummary.batchOf("", "", "");
    }
    if (size == 1) {
      return single;
    }
    if (prepared != null || sameText) {
      return single.asBatch();
    }
    String text = texts.length() > SqlAnalyzer.MAX_ANALYZED_CHARS
        ? texts.substring(0, SqlAnalyzer.MAX_ANALYZED_CHARS) + SqlAnalyzer.TRUNCATED
        : texts.toString();
    return SqlSummary.batchOf(
        sameOperation ? first.operation() : "", sameOperation && sameCollection ? first.collection() : "", text);
  }

  private void append(String text) {
    if (full()) {
      return;
    }
    if (texts.length() > 0) {
      texts.append(SEPARATOR);
    }
    texts.append(text);
  }

  private boolean full() {
    return texts.length() > SqlAnalyzer.MAX_ANALYZED_CHARS;
  }
}
