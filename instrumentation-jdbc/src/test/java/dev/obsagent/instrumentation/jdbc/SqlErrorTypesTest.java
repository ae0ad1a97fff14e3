package dev.obsagent.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.Test;

class SqlErrorTypesTest {

  @Test
  void theSqlStateClassWhenThereIsOne() {
    assertEquals("42", SqlErrorTypes.of(new SQLException("syntax", "42601")));
    assertEquals("23", SqlErrorTypes.of(new SQLException("duplicate", "23505")));
    assertEquals("HY", SqlErrorTypes.of(new SQLException("x", "HY000")));
    assertSame(SqlErrorTypes.of(new SQLException("a", "42P01")), SqlErrorTypes.of(new SQLException("b", "42000")));
  }

  @Test
  void elseTheExceptionClass() {
    assertEquals("java.sql.SQLTimeoutException", SqlErrorTypes.of(new SQLTimeoutException("slow")));
    assertEquals("java.sql.SQLException", SqlErrorTypes.of(new SQLException("odd", "?")));
    assertEquals("java.lang.IllegalStateException", SqlErrorTypes.of(new IllegalStateException()));
  }
}
