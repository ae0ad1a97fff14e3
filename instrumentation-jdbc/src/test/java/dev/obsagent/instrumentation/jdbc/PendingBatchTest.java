package dev.obsagent.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.obsagent.instrumentation.jdbc.sql.SqlAnalyzer;
import dev.obsagent.instrumentation.jdbc.sql.SqlDialect;
import dev.obsagent.instrumentation.jdbc.sql.SqlSummary;
import org.junit.jupiter.api.Test;

class PendingBatchTest {

  private final SqlAnalyzer analyzer = new SqlAnalyzer(SqlDialect.ANSI);

  @Test
  void aPreparedBatchIsTheStatementAsABatch() {
    SqlSummary insert = analyzer.analyze("INSERT INTO t (a) VALUES (?)");
    PendingBatch batch = new PendingBatch();
    batch.add(null);
    batch.add(null);
    batch.add(null);
    assertEquals(3, batch.size());
    assertSame(insert.asBatch(), batch.summary(insert));
  }

  @Test
  void oneStatementIsNoBatch() {
    SqlSummary insert = analyzer.analyze("INSERT INTO t (a) VALUES (?)");
    PendingBatch batch = new PendingBatch();
    batch.add(null);
    assertSame(insert, batch.summary(insert));
  }

  @Test
  void plainStatementsSharingTheOperationAndTableKeepThemAndJoinTheirTexts() {
    PendingBatch batch = new PendingBatch();
    batch.add(analyzer.analyze("INSERT INTO t (a) VALUES (1)"));
    batch.add(analyzer.analyze("INSERT INTO t (a) VALUES (2)"));
    batch.add(analyzer.analyze("INSERT INTO t (a, b) VALUES (3, 4)"));
    SqlSummary summary = batch.summary(null);
    assertEquals("BATCH INSERT", summary.operation());
    assertEquals("t", summary.collection());
    assertEquals(
        "INSERT INTO t (a) VALUES (?); INSERT INTO t (a) VALUES (?); INSERT INTO t (a, b) VALUES (?, ?)",
        summary.queryText());
  }

  @Test
  void mixedPlainStatementsAreJustABatch() {
    PendingBatch batch = new PendingBatch();
    batch.add(analyzer.analyze("INSERT INTO t (a) VALUES (1)"));
    batch.add(analyzer.analyze("UPDATE t SET a = 2"));
    SqlSummary summary = batch.summary(null);
    assertEquals("BATCH", summary.operation());
    assertEquals("", summary.collection());
    assertEquals("BATCH", summary.spanName());
    assertEquals("INSERT INTO t (a) VALUES (?); UPDATE t SET a = ?", summary.queryText());
  }

  @Test
  void joinedTextsAreCapped() {
    PendingBatch batch = new PendingBatch();
    for (int i = 0; i < 10_000; i++) {
      batch.add(analyzer.analyze("INSERT INTO t" + (i % 2) + " (a) VALUES (1)"));
    }
    String text = batch.summary(null).queryText();
    assertEquals(SqlAnalyzer.MAX_ANALYZED_CHARS + SqlAnalyzer.TRUNCATED.length(), text.length());
  }
}
