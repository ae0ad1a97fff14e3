package dev.obsagent.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.obsagent.instrumentation.jdbc.sql.SqlDialect;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcUrlParserTest {

  /** URL, system, dialect, host, port, database. */
  static Stream<Arguments> urls() {
    return Stream.of(
        Arguments.of("jdbc:postgresql://127.0.0.1:5432/test?user=postgres", "postgresql", SqlDialect.ANSI, "127.0.0.1", 5432, "test"),
        Arguments.of("jdbc:postgresql://db.internal/orders", "postgresql", SqlDialect.ANSI, "db.internal", 5432, "orders"),
        Arguments.of("jdbc:postgresql://h1:5433,h2:5434/app?targetServerType=primary", "postgresql", SqlDialect.ANSI, "h1", 5433, "app"),
        Arguments.of("jdbc:postgresql://[::1]:6543/x", "postgresql", SqlDialect.ANSI, "::1", 6543, "x"),
        Arguments.of("jdbc:postgresql:localdb", "postgresql", SqlDialect.ANSI, "", -1, "localdb"),
        Arguments.of("jdbc:mysql://app:s3cret@mysql.internal:3307/shop", "mysql", SqlDialect.MYSQL, "mysql.internal", 3307, "shop"),
        Arguments.of("jdbc:mysql:replication://m1,m2/shop", "mysql", SqlDialect.MYSQL, "m1", 3306, "shop"),
        Arguments.of("jdbc:mariadb://127.0.0.1:3306/test?user=root", "mariadb", SqlDialect.MYSQL, "127.0.0.1", 3306, "test"),
        Arguments.of("jdbc:p6spy:mariadb://db/test", "mariadb", SqlDialect.MYSQL, "db", 3306, "test"),
        Arguments.of("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1", "h2", SqlDialect.ANSI, "", -1, "orders"),
        Arguments.of("jdbc:h2:file:/var/data/app;MODE=PostgreSQL", "h2", SqlDialect.ANSI, "", -1, "app"),
        Arguments.of("jdbc:h2:~/test", "h2", SqlDialect.ANSI, "", -1, "test"),
        Arguments.of("jdbc:h2:tcp://dbhost:9093/~/sample", "h2", SqlDialect.ANSI, "dbhost", 9093, "sample"),
        Arguments.of("jdbc:sqlserver://sql.internal\\SQLEXPRESS:1434;databaseName=Sales;encrypt=true",
            "microsoft.sql_server", SqlDialect.SQLSERVER, "sql.internal", 1434, "Sales"),
        Arguments.of("jdbc:sqlserver://sql.internal;database=Hr", "microsoft.sql_server", SqlDialect.SQLSERVER, "sql.internal", 1433, "Hr"),
        Arguments.of("jdbc:oracle:thin:@ora.internal:1521:ORCL", "oracle.db", SqlDialect.ANSI, "ora.internal", 1521, "ORCL"),
        Arguments.of("jdbc:oracle:thin:scott/tiger@//ora.internal:1522/sales.example.com", "oracle.db", SqlDialect.ANSI,
            "ora.internal", 1522, "sales.example.com"),
        Arguments.of("jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora1)(PORT=1525))"
            + "(CONNECT_DATA=(SERVICE_NAME=svc)))", "oracle.db", SqlDialect.ANSI, "ora1", 1525, "svc"),
        Arguments.of("jdbc:db2://db2.internal:50001/BANK", "ibm.db2", SqlDialect.ANSI, "db2.internal", 50001, "BANK"),
        Arguments.of("jdbc:sqlite:/tmp/app.db", "sqlite", SqlDialect.ANSI, "", -1, "app.db"),
        Arguments.of("jdbc:unknowndb://x/y", "other_sql", SqlDialect.ANSI, "", -1, ""),
        Arguments.of("not a url", "other_sql", SqlDialect.ANSI, "", -1, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("urls")
  void readsSystemServerAndDatabase(String url, String system, SqlDialect dialect, String host, int port, String database) {
    ConnectionInfo info = JdbcUrlParser.parse(url);
    assertEquals(system, info.system, "system");
    assertEquals(dialect, info.dialect, "dialect");
    assertEquals(host, info.host, "host");
    assertEquals(port, info.port, "port");
    assertEquals(database, info.namespace, "database");
  }
}
