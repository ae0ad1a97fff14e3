package dev.obsagent.instrumentation.jdbc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SQL lexer and statement analysis over real-world SQL: ORM-generated, vendor dialects, DDL. */
class SqlAnalyzerTest {

  private static final SqlDialect ANSI = SqlDialect.ANSI;
  private static final SqlDialect MYSQL = SqlDialect.MYSQL;
  private static final SqlDialect SQLSERVER = SqlDialect.SQLSERVER;

  /** dialect, SQL, operation, table (or procedure, for CALL/EXEC), sanitized text. */
  static Stream<Arguments> realWorldSql() {
    return Stream.of(
        // Hibernate 6, as Spring Data JPA runs it
        row(ANSI,
            "select o1_0.id,o1_0.address,o1_0.city,o1_0.first_name from owners o1_0 where o1_0.id=?",
            "SELECT", "owners",
            "select o1_0.id,o1_0.address,o1_0.city,o1_0.first_name from owners o1_0 where o1_0.id=?"),
        row(ANSI,
            "select o1_0.id,p1_0.owner_id,t1_0.name from owners o1_0 left join pets p1_0 on o1_0.id=p1_0.owner_id"
                + " left join types t1_0 on t1_0.id=p1_0.type_id where o1_0.last_name like ? escape '' order by o1_0.id"
                + " offset ? rows fetch first ? rows only",
            "SELECT", "owners",
            "select o1_0.id,p1_0.owner_id,t1_0.name from owners o1_0 left join pets p1_0 on o1_0.id=p1_0.owner_id"
                + " left join types t1_0 on t1_0.id=p1_0.type_id where o1_0.last_name like ? escape ? order by o1_0.id"
                + " offset ? rows fetch first ? rows only"),
        row(ANSI,
            "insert into owners (address,city,first_name,last_name,telephone,id) values (?,?,?,?,?,default)",
            "INSERT", "owners",
            "insert into owners (address,city,first_name,last_name,telephone,id) values (?,?,?,?,?,default)"),
        row(ANSI, "update owners set address=?,city=? where id=?", "UPDATE", "owners",
            "update owners set address=?,city=? where id=?"),
        row(ANSI, "delete from pets where id=?", "DELETE", "pets", "delete from pets where id=?"),
        row(ANSI, "select next value for owners_seq", "SELECT", "", "select next value for owners_seq"),
        row(ANSI, "select nextval('owners_seq')", "SELECT", "", "select nextval(?)"),
        // jOOQ: fully quoted and qualified names, inlined values
        row(ANSI,
            "select \"public\".\"owners\".\"id\", \"public\".\"owners\".\"first_name\" from \"public\".\"owners\""
                + " where \"public\".\"owners\".\"id\" = 42",
            "SELECT", "public.owners",
            "select \"public\".\"owners\".\"id\", \"public\".\"owners\".\"first_name\" from \"public\".\"owners\""
                + " where \"public\".\"owners\".\"id\" = ?"),
        row(ANSI,
            "insert into \"public\".\"owners\" (\"first_name\", \"last_name\") values ('George', 'Franklin')"
                + " returning \"public\".\"owners\".\"id\"",
            "INSERT", "public.owners",
            "insert into \"public\".\"owners\" (\"first_name\", \"last_name\") values (?, ?)"
                + " returning \"public\".\"owners\".\"id\""),
        row(ANSI, "SELECT * FROM \"weird\"\"name\"", "SELECT", "weird\"name", "SELECT * FROM \"weird\"\"name\""),
        // MySQL / MariaDB
        row(MYSQL,
            "SELECT * FROM `shop`.`orders` WHERE customer = \"bob\" AND note = 'It\\'s' LIMIT 10",
            "SELECT", "shop.orders", "SELECT * FROM `shop`.`orders` WHERE customer = ? AND note = ? LIMIT ?"),
        row(MYSQL,
            "INSERT INTO counters (id, hits) VALUES (1, 1) ON DUPLICATE KEY UPDATE hits = hits + 1",
            "INSERT", "counters", "INSERT INTO counters (id, hits) VALUES (?, ?) ON DUPLICATE KEY UPDATE hits = hits + ?"),
        row(MYSQL, "INSERT IGNORE INTO audit_log SET msg = 'x'", "INSERT", "audit_log",
            "INSERT IGNORE INTO audit_log SET msg = ?"),
        row(MYSQL, "REPLACE INTO sessions VALUES ('abc', NOW())", "REPLACE", "sessions",
            "REPLACE INTO sessions VALUES (?, NOW())"),
        row(MYSQL, "SELECT id FROM users # the 'users' table\nWHERE id = 5", "SELECT", "users",
            "SELECT id FROM users WHERE id = ?"),
        row(MYSQL, "DELETE t1 FROM t1 INNER JOIN t2 ON t1.id = t2.id WHERE t2.flag = 0x1F", "DELETE", "t1",
            "DELETE t1 FROM t1 INNER JOIN t2 ON t1.id = t2.id WHERE t2.flag = ?"),
        row(MYSQL, "UPDATE LOW_PRIORITY `stock` SET qty = qty - 1 WHERE sku = _utf8mb4'A-1'", "UPDATE", "stock",
            "UPDATE LOW_PRIORITY `stock` SET qty = qty - ? WHERE sku = _utf8mb4?"),
        // PostgreSQL
        row(ANSI,
            "UPDATE accounts SET balance = balance - 100.50 WHERE id = $1 RETURNING balance::numeric(12,2)",
            "UPDATE", "accounts", "UPDATE accounts SET balance = balance - ? WHERE id = $1 RETURNING balance::numeric(?,?)"),
        row(ANSI, "SELECT E'It\\'s', $$O'Reilly$$, $fn$ body $$ inner $$ $fn$ AS x", "SELECT", "",
            "SELECT ?, ?, ? AS x"),
        row(ANSI, "INSERT INTO notes (body) VALUES ('it''s ''quoted''')", "INSERT", "notes",
            "INSERT INTO notes (body) VALUES (?)"),
        row(ANSI, "INSERT INTO archive_orders SELECT * FROM orders WHERE created < '2020-01-01'", "INSERT",
            "archive_orders", "INSERT INTO archive_orders SELECT * FROM orders WHERE created < ?"),
        row(ANSI, "SELECT count(*) FROM (SELECT 1 FROM big) sub", "SELECT", "", "SELECT count(*) FROM (SELECT ? FROM big) sub"),
        row(ANSI, "SELECT * FROM generate_series(1, 10)", "SELECT", "", "SELECT * FROM generate_series(?, ?)"),
        row(ANSI, "select extract(year from created) from orders", "SELECT", "orders",
            "select extract(year from created) from orders"),
        row(ANSI, "SELECT * FROM ONLY measurements WHERE t > now() - interval '1 hour'", "SELECT", "measurements",
            "SELECT * FROM ONLY measurements WHERE t > now() - interval ?"),
        // WITH: the statement after the common table expressions
        row(ANSI,
            "WITH recent AS (SELECT * FROM orders WHERE created > now() - interval '1 day'),"
                + " totals AS (SELECT customer_id, sum(amount) FROM recent GROUP BY 1)"
                + " SELECT c.name, t.sum FROM customers c JOIN totals t ON t.customer_id = c.id",
            "SELECT", "customers",
            "WITH recent AS (SELECT * FROM orders WHERE created > now() - interval ?),"
                + " totals AS (SELECT customer_id, sum(amount) FROM recent GROUP BY ?)"
                + " SELECT c.name, t.sum FROM customers c JOIN totals t ON t.customer_id = c.id"),
        row(ANSI, "WITH moved AS (DELETE FROM queue WHERE id = 7 RETURNING *) INSERT INTO archive SELECT * FROM moved",
            "INSERT", "archive", "WITH moved AS (DELETE FROM queue WHERE id = ? RETURNING *) INSERT INTO archive SELECT * FROM moved"),
        row(ANSI, "WITH RECURSIVE t(n) AS (VALUES (1) UNION ALL SELECT n+1 FROM t WHERE n < 100) SELECT sum(n) FROM t",
            "SELECT", "t", "WITH RECURSIVE t(n) AS (VALUES (?) UNION ALL SELECT n+? FROM t WHERE n < ?) SELECT sum(n) FROM t"),
        // several statements: the first one's operation and table
        row(ANSI, "SELECT 1 FROM a; DELETE FROM b", "SELECT", "a", "SELECT ? FROM a; DELETE FROM b"),
        row(ANSI, "  ( SELECT a FROM t1 ) UNION ( SELECT b FROM t2 )", "SELECT", "t1",
            "( SELECT a FROM t1 ) UNION ( SELECT b FROM t2 )"),
        // comments never reach the text: they may quote data
        row(ANSI,
            "/* app=checkout, user='bob' */ SELECT -- trailing 'x'\n id FROM users /* nested /* inner */ still */"
                + " WHERE name = 'x'",
            "SELECT", "users", "SELECT id FROM users WHERE name = ?"),
        row(ANSI, "SELECT\n\t*\r\nFROM   t", "SELECT", "t", "SELECT * FROM t"),
        // non-ASCII names and literals
        row(ANSI, "SELECT größe FROM \"Bestellungen\" WHERE straße = 'Müllerstraße' AND 名前 = 'テスト'", "SELECT",
            "Bestellungen", "SELECT größe FROM \"Bestellungen\" WHERE straße = ? AND 名前 = ?"),
        row(ANSI, "INSERT INTO 顧客 (名前) VALUES ('山田 😀')", "INSERT", "顧客", "INSERT INTO 顧客 (名前) VALUES (?)"),
        // numbers, hex, bits
        row(ANSI, "SELECT 1.5e-3, -42, .5, 0xFF, X'FF', B'0101', N'nat' FROM t", "SELECT", "t",
            "SELECT ?, -?, ?, ?, ?, ?, ? FROM t"),
        // SQL Server
        row(SQLSERVER,
            "SELECT TOP 10 [o].[id], [o].[total] FROM [dbo].[Orders] AS [o] WHERE [o].[status] = N'shipped'",
            "SELECT", "dbo.Orders", "SELECT TOP ? [o].[id], [o].[total] FROM [dbo].[Orders] AS [o] WHERE [o].[status] = ?"),
        row(SQLSERVER, "UPDATE TOP (5) [dbo].[Jobs] SET [state] = 'taken' OUTPUT inserted.id WHERE [state] = 'new'",
            "UPDATE", "dbo.Jobs", "UPDATE TOP (?) [dbo].[Jobs] SET [state] = ? OUTPUT inserted.id WHERE [state] = ?"),
        row(SQLSERVER, "DELETE FROM #staging WHERE id > 100", "DELETE", "#staging", "DELETE FROM #staging WHERE id > ?"),
        row(SQLSERVER, "SELECT * FROM [Order Details] WITH (NOLOCK)", "SELECT", "Order Details",
            "SELECT * FROM [Order Details] WITH (NOLOCK)"),
        // Oracle
        row(ANSI,
            "MERGE INTO employees e USING (SELECT * FROM hires WHERE start_date > DATE '2024-01-01') h ON (e.id = h.id)"
                + " WHEN MATCHED THEN UPDATE SET e.salary = h.salary"
                + " WHEN NOT MATCHED THEN INSERT (id, salary) VALUES (h.id, h.salary)",
            "MERGE", "employees",
            "MERGE INTO employees e USING (SELECT * FROM hires WHERE start_date > DATE ?) h ON (e.id = h.id)"
                + " WHEN MATCHED THEN UPDATE SET e.salary = h.salary"
                + " WHEN NOT MATCHED THEN INSERT (id, salary) VALUES (h.id, h.salary)"),
        row(ANSI, "SELECT q'[It's a \"quote\"]' AS s FROM dual", "SELECT", "dual", "SELECT ? AS s FROM dual"),
        row(ANSI, "SELECT * FROM v$session WHERE sid = :sid", "SELECT", "v$session", "SELECT * FROM v$session WHERE sid = :sid"),
        // DDL: the first keyword, and the table when it is one
        row(ANSI,
            "CREATE TABLE IF NOT EXISTS audit.events (id bigint primary key, payload varchar(200) default 'none')",
            "CREATE", "audit.events", "CREATE TABLE IF NOT EXISTS audit.events (id bigint primary key, payload varchar(?) default ?)"),
        row(ANSI, "create global temporary table tmp_ids (id int)", "CREATE", "tmp_ids", "create global temporary table tmp_ids (id int)"),
        row(ANSI, "CREATE UNIQUE INDEX idx_owner_name ON owners (last_name)", "CREATE", "owners",
            "CREATE UNIQUE INDEX idx_owner_name ON owners (last_name)"),
        row(ANSI, "DROP INDEX idx_owner_name", "DROP", "", "DROP INDEX idx_owner_name"),
        row(ANSI, "DROP TABLE IF EXISTS tmp_import", "DROP", "tmp_import", "DROP TABLE IF EXISTS tmp_import"),
        row(ANSI, "ALTER TABLE owners ADD COLUMN email varchar(255)", "ALTER", "owners", "ALTER TABLE owners ADD COLUMN email varchar(?)"),
        row(ANSI, "TRUNCATE sessions", "TRUNCATE", "sessions", "TRUNCATE sessions"),
        row(ANSI, "TRUNCATE TABLE sessions", "TRUNCATE", "sessions", "TRUNCATE TABLE sessions"),
        row(ANSI, "CREATE OR REPLACE VIEW v_orders AS SELECT * FROM orders", "CREATE", "", "CREATE OR REPLACE VIEW v_orders AS SELECT * FROM orders"),
        // everything else: the first word
        row(ANSI, "COMMIT", "COMMIT", "", "COMMIT"),
        row(ANSI, "SET search_path TO app, 'x'", "SET", "", "SET search_path TO app, ?"),
        row(ANSI, "EXPLAIN ANALYZE SELECT * FROM t", "EXPLAIN", "", "EXPLAIN ANALYZE SELECT * FROM t"),
        row(ANSI, "select * from Owners", "SELECT", "Owners", "select * from Owners"),
        row(ANSI, "'just a string'", "", "", "?"),
        row(ANSI, "SELECT * FROM t WHERE name = 'unterminated", "SELECT", "t", "SELECT * FROM t WHERE name = ?"),
        row(ANSI, "SELECT * FROM t /* unterminated comment 'x'", "SELECT", "t", "SELECT * FROM t"));
  }

  /** dialect, SQL, operation, stored procedure, sanitized text. */
  static Stream<Arguments> procedureCalls() {
    return Stream.of(
        row(ANSI, "{call update_stock(?, ?)}", "CALL", "update_stock", "{call update_stock(?, ?)}"),
        row(ANSI, "{? = call get_total(?)}", "CALL", "get_total", "{? = call get_total(?)}"),
        row(ANSI, "CALL add_order(10, 'widget')", "CALL", "add_order", "CALL add_order(?, ?)"),
        row(SQLSERVER, "EXEC dbo.usp_GetOrders @CustomerId = 42", "EXEC", "dbo.usp_GetOrders",
            "EXEC dbo.usp_GetOrders @CustomerId = ?"),
        row(SQLSERVER, "EXEC @rc = [dbo].[usp_Archive] 'x'", "EXEC", "dbo.usp_Archive", "EXEC @rc = [dbo].[usp_Archive] ?"));
  }

  private static Arguments row(SqlDialect dialect, String sql, String operation, String target, String text) {
    return Arguments.of(dialect, sql, operation, target, text);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("realWorldSql")
  void operationTableAndSanitizedText(SqlDialect dialect, String sql, String operation, String table, String text) {
    SqlSummary summary = SqlAnalyzer.summarize(sql, dialect);
    assertEquals(operation, summary.operation(), "operation");
    assertEquals(table, summary.collection(), "table");
    assertEquals("", summary.storedProcedure(), "procedure");
    assertEquals(text, summary.queryText(), "sanitized text");
    assertEquals(table.isEmpty() ? operation : operation + " " + table, summary.spanName(), "span name");
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("procedureCalls")
  void proceduresAreNamedButAreNoTable(SqlDialect dialect, String sql, String operation, String procedure, String text) {
    SqlSummary summary = SqlAnalyzer.summarize(sql, dialect);
    assertEquals(operation, summary.operation());
    assertEquals("", summary.collection());
    assertEquals(procedure, summary.storedProcedure());
    assertEquals(text, summary.queryText());
    assertEquals(operation + " " + procedure, summary.spanName());
  }

  @Test
  void emptyOrCommentOnlySqlIsNoStatement() {
    assertSame(SqlSummary.NO_STATEMENT, SqlAnalyzer.summarize("", ANSI));
    assertSame(SqlSummary.NO_STATEMENT, SqlAnalyzer.summarize(" /* ping */ -- x", ANSI));
  }

  @Test
  void backslashesEscapeOnlyInMysqlAndPostgresEStrings() {
    // PostgreSQL (standard strings): 'C:\' is a complete string.
    assertEquals("SELECT ?, ?", SqlAnalyzer.summarize("SELECT 'C:\\', 'secret'", ANSI).queryText());
    // MySQL: \' is an escaped quote inside the string.
    assertEquals("SELECT ?, ?", SqlAnalyzer.summarize("SELECT 'It\\'s', 'secret'", MYSQL).queryText());
    // MySQL: "double quotes" are strings; elsewhere they are names.
    assertEquals("SELECT ?", SqlAnalyzer.summarize("SELECT \"secret\"", MYSQL).queryText());
    assertEquals("SELECT \"col\"", SqlAnalyzer.summarize("SELECT \"col\"", ANSI).queryText());
  }

  @Test
  void bracketsAreNamesOnlyInSqlServer() {
    assertEquals("SELECT arr[?] FROM t", SqlAnalyzer.summarize("SELECT arr[1] FROM t", ANSI).queryText());
    assertEquals("t", SqlAnalyzer.summarize("SELECT [1] FROM [t]", SQLSERVER).collection());
  }

  @Test
  void aOneMegabyteStatementIsReadOnlyToTheCapAndItsLiteralNeverLeaks() {
    String secret = "x".repeat(1024 * 1024);
    String sql = "INSERT INTO blobs (id, body) VALUES (1, '" + secret + "')";
    SqlSummary summary = SqlAnalyzer.summarize(sql, ANSI);
    assertEquals("INSERT", summary.operation());
    assertEquals("blobs", summary.collection());
    assertEquals("INSERT INTO blobs (id, body) VALUES (?, ?" + SqlAnalyzer.TRUNCATED, summary.queryText());
  }

  @Test
  void aLongStatementOfManyTokensIsCappedInLength() {
    StringBuilder sql = new StringBuilder("SELECT id FROM events WHERE id IN (");
    for (int i = 0; i < 200_000; i++) {
      sql.append(i == 0 ? "" : ",").append("col").append(i);
    }
    sql.append(')');
    SqlSummary summary = SqlAnalyzer.summarize(sql.toString(), ANSI);
    assertEquals("events", summary.collection());
    assertTrue(summary.queryText().length() <= SqlAnalyzer.MAX_ANALYZED_CHARS + SqlAnalyzer.TRUNCATED.length());
    assertTrue(summary.queryText().endsWith(SqlAnalyzer.TRUNCATED));
  }

  @Test
  void theCapNeverSplitsASurrogatePair() {
    String filler = "SELECT " + "a".repeat(SqlAnalyzer.MAX_ANALYZED_CHARS - 8);
    String sql = filler + "😀" + " FROM t";
    assertEquals(SqlAnalyzer.MAX_ANALYZED_CHARS - 1, filler.length());
    String text = SqlAnalyzer.summarize(sql, ANSI).queryText();
    assertEquals(filler + SqlAnalyzer.TRUNCATED, text);
  }

  @Test
  @Timeout(5)
  void adversarialInputStaysLinear() {
    int n = SqlAnalyzer.MAX_ANALYZED_CHARS;
    for (String unit : new String[] {"(", "$a$", "/*", "'", "\"", "q'[", "$", "WITH x AS (", "--\n", "a.", ";"}) {
      String sql = "SELECT " + unit.repeat(2 * n / unit.length()) + " FROM t" + "y".repeat(1024 * 1024);
      for (SqlDialect dialect : SqlDialect.values()) {
        SqlSummary summary = SqlAnalyzer.summarize(sql, dialect);
        assertTrue(summary.queryText().length() <= n + SqlAnalyzer.TRUNCATED.length(), unit);
      }
    }
  }

  @Test
  void repeatedSqlIsAnalyzedOnceAndShared() {
    SqlAnalyzer analyzer = new SqlAnalyzer(ANSI);
    String sql = "select * from owners where id = ?";
    assertSame(analyzer.analyze(sql), analyzer.analyze(new String(sql.toCharArray())));
  }

  @Test
  void batchesFollowTheSemanticConventions() {
    SqlSummary insert = SqlAnalyzer.summarize("INSERT INTO t (a) VALUES (?)", ANSI);
    assertEquals("BATCH INSERT", insert.asBatch().operation());
    assertEquals("t", insert.asBatch().collection());
    assertEquals("BATCH INSERT t", insert.asBatch().spanName());
    assertSame(insert.asBatch(), insert.asBatch());
    assertEquals("BATCH", SqlSummary.batchOf("", "", "").spanName());
  }
}
