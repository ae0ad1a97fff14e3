package dev.obsagent.instrumentation.jdbc.sql;

/**
 * What the agent reports about one SQL text: operation, main table, called procedure, the
 * sanitized text and the span name, all computed once and shared by every execution of it.
 */
public final class SqlSummary {

  /** Nothing known: a prepared statement the agent did not see being prepared. */
  public static final SqlSummary UNKNOWN = new SqlSummary("", "", "", "");

  /**
   * Empty SQL, or only comments: what some drivers and pools send as a connection check. It
   * runs nothing the application asked for, so it is not measured.
   */
  public static final SqlSummary NO_STATEMENT = new SqlSummary("", "", "", "");

  static final String BATCH = "BATCH";

  private final String operation;
  private final String collection;
  private final String storedProcedure;
  private final String queryText;
  private final String spanName;
  private volatile SqlSummary asBatch;

  SqlSummary(String operation, String collection, String storedProcedure, String queryText) {
    this.operation = operation;
    this.collection = collection;
    this.storedProcedure = storedProcedure;
    this.queryText = queryText;
    this.spanName = spanName(operation, collection.isEmpty() ? storedProcedure : collection);
  }

  /**
   * A batch of several statements that are not all the same text (semantic conventions: the
   * operation is {@code BATCH <op>} when all share it, else {@code BATCH}).
   */
  public static SqlSummary batchOf(String sharedOperation, String sharedCollection, String joinedText) {
    String operation = sharedOperation.isEmpty() ? BATCH : BATCH + " " + sharedOperation;
    return new SqlSummary(operation, sharedCollection, "", joinedText);
  }

  private static String spanName(String operation, String target) {
    if (operation.isEmpty()) {
      return "";
    }
    return target.isEmpty() ? operation : operation + " " + target;
  }

  /** Upper-case operation ({@code SELECT}, {@code BATCH INSERT}), or empty when unknown. */
  public String operation() {
    return operation;
  }

  /** The main table as written (schema-qualified if it was), unquoted; or empty. */
  public String collection() {
    return collection;
  }

  /** The procedure of a {@code CALL}/{@code EXEC}, or empty. */
  public String storedProcedure() {
    return storedProcedure;
  }

  /** The text with every literal replaced by {@code ?}; capped in length. */
  public String queryText() {
    return queryText;
  }

  /** {@code OPERATION target}, just {@code OPERATION}, or empty when the operation is unknown. */
  public String spanName() {
    return spanName;
  }

  /** This statement executed as a batch of several: {@code BATCH INSERT}, same table and text. */
  public SqlSummary asBatch() {
    SqlSummary batch = asBatch;
    if (batch == null) {
      String batchOperation = operation.isEmpty() ? BATCH : BATCH + " " + operation;
      batch = new SqlSummary(batchOperation, collection, storedProcedure, queryText);
      asBatch = batch;
    }
    return batch;
  }

  @Override
  public String toString() {
    return "SqlSummary{" + operation + " | " + collection + " | " + storedProcedure + " | " + queryText + "}";
  }
}
