package dev.obsagent.instrumentation.jdbc;

import java.sql.SQLException;

/**
 * The {@code error_type} of a failed statement: the SQLSTATE class (its first two characters,
 * {@code 42} for a syntax error or an unknown table, {@code 23} for a constraint violation) when
 * the driver gives one, else the exception's class name. Both are few, so the label stays
 * low-cardinality; the full SQLSTATE goes on the span as {@code db.response.status_code}.
 */
final class SqlErrorTypes {

  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  /** Every two-character class, created at first sight and reused after. */
  private static final String[] CLASSES = new String[ALPHABET.length() * ALPHABET.length()];

  private SqlErrorTypes() {}

  static String of(Throwable thrown) {
    String sqlState = sqlState(thrown);
    if (sqlState != null && sqlState.length() >= 2) {
      int first = ALPHABET.indexOf(sqlState.charAt(0));
      int second = ALPHABET.indexOf(sqlState.charAt(1));
      if (first >= 0 && second >= 0) {
        int index = first * ALPHABET.length() + second;
        String sqlStateClass = CLASSES[index];
        if (sqlStateClass == null) {
          sqlStateClass = sqlState.substring(0, 2);
          CLASSES[index] = sqlStateClass;
        }
        return sqlStateClass;
      }
    }
    return thrown.getClass().getName();
  }

  /** The driver's SQLSTATE, or null. */
  static String sqlState(Throwable thrown) {
    return thrown instanceof SQLException ? ((SQLException) thrown).getSQLState() : null;
  }
}
