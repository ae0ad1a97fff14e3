package dev.obsagent.instrumentation.jdbc.sql;

import java.util.Locale;

/**
 * Finds the operation and its main table (or called procedure) in the first statement of a token
 * stream. It reads forward only, looks at most a few tokens ahead, and skips parenthesised parts
 * by depth: linear in the number of tokens.
 *
 * <ul>
 *   <li>{@code SELECT}: the first table after the statement's own {@code FROM}, nothing for a
 *       subquery or a table function;
 *   <li>{@code INSERT}, {@code REPLACE}, {@code UPSERT}, {@code UPDATE}, {@code DELETE},
 *       {@code MERGE}: the target table ({@code INSERT ... SELECT} included);
 *   <li>{@code WITH}: the statement after the common table expressions, and its table;
 *   <li>{@code CREATE}, {@code ALTER}, {@code DROP}, {@code TRUNCATE}: the table for
 *       {@code TABLE} (and the indexed table for {@code CREATE INDEX}), nothing otherwise;
 *   <li>{@code CALL}, {@code EXEC}, {@code EXECUTE}: the procedure, never a table;
 *   <li>anything else: the first word as the operation, no table.
 * </ul>
 */
final class SqlShapeParser {

  /** Longer first words are not operations (and would make poor metric labels). */
  private static final int MAX_OPERATION_LENGTH = 32;
  /** How far DDL modifiers ({@code CREATE OR REPLACE GLOBAL TEMPORARY TABLE}) may reach. */
  private static final int MAX_DDL_MODIFIERS = 6;

  private final SqlTokens tokens;
  private int at;
  private String operation = "";
  private String table = "";
  private String procedure = "";

  private SqlShapeParser(SqlTokens tokens) {
    this.tokens = tokens;
  }

  static SqlShapeParser parse(SqlTokens tokens) {
    SqlShapeParser parser = new SqlShapeParser(tokens);
    parser.parseStatement();
    return parser;
  }

  String operation() {
    return operation;
  }

  String table() {
    return table;
  }

  String procedure() {
    return procedure;
  }

  private void parseStatement() {
    skipLeadingSymbols();
    if (tokens.kind(at) != SqlTokens.WORD || tokens.end(at) - tokens.start(at) > MAX_OPERATION_LENGTH) {
      return;
    }
    if (tokens.isWord(at, "WITH")) {
      int main = statementAfterCommonTableExpressions();
      if (main < 0) {
        operation = "WITH";
        return;
      }
      at = main;
    }
    operation = operationName(at);
    at++;
    switch (operation) {
      case "SELECT":
        table = firstTableAfterFrom();
        break;
      case "INSERT":
      case "REPLACE":
      case "UPSERT":
        skipWords("IGNORE", "LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "ALL", "INTO", "OVERWRITE", "TABLE");
        table = nameOrEmpty();
        break;
      case "UPDATE":
        skipWords("LOW_PRIORITY", "IGNORE", "ONLY");
        skipTop();
        table = nameOrEmpty();
        break;
      case "DELETE":
        skipWords("LOW_PRIORITY", "QUICK", "IGNORE");
        skipTop();
        skipWords("FROM", "ONLY");
        table = nameOrEmpty();
        break;
      case "MERGE":
        skipTop();
        skipWords("INTO");
        table = nameOrEmpty();
        break;
      case "CREATE":
      case "ALTER":
      case "DROP":
      case "TRUNCATE":
        table = ddlTable();
        break;
      case "CALL":
      case "EXEC":
      case "EXECUTE":
        procedure = calledProcedure();
        break;
      default:
        break;
    }
  }

  /** JDBC escapes and wrapping: {@code {call p(?)}}, {@code {? = call f(?)}}, {@code (SELECT ...)}. */
  private void skipLeadingSymbols() {
    while (tokens.isSymbol(at, '{') || tokens.isSymbol(at, '(') || tokens.isSymbol(at, '?')
        || tokens.isSymbol(at, '=')) {
      at++;
    }
  }

  /** The main statement's first token after {@code WITH [RECURSIVE] name AS (...), ...}, or -1. */
  private int statementAfterCommonTableExpressions() {
    int depth = 0;
    for (int i = at + 1; i < tokens.count(); i++) {
      if (tokens.isSymbol(i, '(')) {
        depth++;
      } else if (tokens.isSymbol(i, ')')) {
        depth--;
      } else if (tokens.isSymbol(i, ';') && depth <= 0) {
        return -1;
      } else if (depth == 0 && isMainStatementKeyword(i)) {
        return i;
      }
    }
    return -1;
  }

  private boolean isMainStatementKeyword(int token) {
    return tokens.isWord(token, "SELECT") || tokens.isWord(token, "INSERT") || tokens.isWord(token, "UPDATE")
        || tokens.isWord(token, "DELETE") || tokens.isWord(token, "MERGE") || tokens.isWord(token, "UPSERT")
        || tokens.isWord(token, "REPLACE");
  }

  /** The statement's own FROM, not one inside parentheses ({@code EXTRACT(YEAR FROM ts)}, subqueries). */
  private String firstTableAfterFrom() {
    int depth = 0;
    for (; at < tokens.count(); at++) {
      if (tokens.isSymbol(at, '(')) {
        depth++;
      } else if (tokens.isSymbol(at, ')')) {
        if (--depth < 0) {
          return "";
        }
      } else if (tokens.isSymbol(at, ';') && depth == 0) {
        return "";
      } else if (depth == 0 && tokens.isWord(at, "FROM")) {
        at++;
        skipWords("ONLY", "LATERAL");
        String name = nameOrEmpty();
        // FROM generate_series(1, 3): a table function, not a table.
        return tokens.isSymbol(at, '(') ? "" : name;
      }
    }
    return "";
  }

  private String ddlTable() {
    boolean truncate = tokens.isWord(at - 1, "TRUNCATE");
    boolean create = tokens.isWord(at - 1, "CREATE");
    for (int skipped = 0; skipped <= MAX_DDL_MODIFIERS && tokens.kind(at) == SqlTokens.WORD; skipped++, at++) {
      if (tokens.isWord(at, "TABLE")) {
        at++;
        skipWords("IF", "NOT", "EXISTS", "ONLY");
        return nameOrEmpty();
      }
      if (tokens.isWord(at, "INDEX")) {
        return create ? indexedTable() : "";
      }
      if (truncate) {
        return nameOrEmpty(); // TRUNCATE orders (TABLE is optional)
      }
    }
    return "";
  }

  /** {@code CREATE INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table (...)}. */
  private String indexedTable() {
    for (; at < tokens.count() && !tokens.isSymbol(at, '(') && !tokens.isSymbol(at, ';'); at++) {
      if (tokens.isWord(at, "ON")) {
        at++;
        skipWords("ONLY");
        return nameOrEmpty();
      }
    }
    return "";
  }

  /** {@code CALL p(...)}, {@code EXEC @status = p ...}. */
  private String calledProcedure() {
    if (tokens.kind(at) == SqlTokens.WORD && tokens.text(at).startsWith("@") && tokens.isSymbol(at + 1, '=')) {
      at += 2;
    }
    return nameOrEmpty();
  }

  /** SQL Server's {@code TOP (10)} / {@code TOP 10} before the target of a write. */
  private void skipTop() {
    if (!tokens.isWord(at, "TOP")) {
      return;
    }
    at++;
    if (tokens.isSymbol(at, '(')) {
      int depth = 0;
      do {
        if (tokens.isSymbol(at, '(')) {
          depth++;
        } else if (tokens.isSymbol(at, ')')) {
          depth--;
        }
        at++;
      } while (depth > 0 && at < tokens.count());
    } else {
      at++;
    }
    skipWords("PERCENT");
  }

  /** Skips any of these words, in any order and number. */
  private void skipWords(String... words) {
    boolean skipped = true;
    while (skipped) {
      skipped = false;
      for (String word : words) {
        if (tokens.isWord(at, word)) {
          at++;
          skipped = true;
        }
      }
    }
  }

  /** A possibly qualified name ({@code "public"."owners"} -> {@code public.owners}), or empty. */
  private String nameOrEmpty() {
    if (!tokens.isName(at)) {
      return "";
    }
    String name = tokens.name(at++);
    StringBuilder qualified = null;
    while (tokens.isSymbol(at, '.') && tokens.isName(at + 1)) {
      if (qualified == null) {
        qualified = new StringBuilder(name);
      }
      qualified.append('.').append(tokens.name(at + 1));
      at += 2;
    }
    return qualified == null ? name : qualified.toString();
  }

  /** The operation in upper case; the common ones as shared constants. */
  private String operationName(int token) {
    String word = tokens.text(token).toUpperCase(Locale.ROOT);
    switch (word) {
      case "SELECT": return "SELECT";
      case "INSERT": return "INSERT";
      case "UPDATE": return "UPDATE";
      case "DELETE": return "DELETE";
      case "MERGE": return "MERGE";
      case "CALL": return "CALL";
      default: return word;
    }
  }
}
