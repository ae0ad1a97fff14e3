package dev.obsagent.instrumentation.jdbc.sql;

/**
 * The lexical rules that decide where a literal ends. Getting them wrong would leak literal text
 * into {@code db.query.text} ({@code 'It\'s'} is one string in MySQL, a string and more in
 * PostgreSQL), so the dialect comes from the connection, never from guessing.
 */
public enum SqlDialect {

  /** PostgreSQL, H2, Oracle, DB2 and the rest: {@code "identifiers"}, {@code $$dollar$$} strings. */
  ANSI(false, false, false, true, true),

  /** MySQL and MariaDB: backslash escapes, {@code "strings"}, {@code `identifiers`}, # comments. */
  MYSQL(true, true, false, false, false),

  /** SQL Server and Sybase: {@code [identifiers]}. */
  SQLSERVER(false, false, true, false, true);

  final boolean backslashEscapes;
  /** {@code "..."} is a string literal (MySQL without ANSI_QUOTES), else a quoted identifier. */
  final boolean doubleQuotedStrings;
  final boolean bracketIdentifiers;
  final boolean dollarQuotedStrings;
  /** {@code /* /* *\/ *\/} nests (PostgreSQL, SQL Server); MySQL ends at the first close. */
  final boolean nestedComments;

  SqlDialect(
      boolean backslashEscapes,
      boolean doubleQuotedStrings,
      boolean bracketIdentifiers,
      boolean dollarQuotedStrings,
      boolean nestedComments) {
    this.backslashEscapes = backslashEscapes;
    this.doubleQuotedStrings = doubleQuotedStrings;
    this.bracketIdentifiers = bracketIdentifiers;
    this.dollarQuotedStrings = dollarQuotedStrings;
    this.nestedComments = nestedComments;
  }

  /** {@code #} starts a comment in MySQL; elsewhere it is part of a name ({@code #temp}). */
  boolean hashComments() {
    return this == MYSQL;
  }
}
