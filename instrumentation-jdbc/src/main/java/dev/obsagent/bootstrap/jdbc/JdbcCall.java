package dev.obsagent.bootstrap.jdbc;

/** One JDBC call being measured, from the outermost {@code execute*} entry to its exit. */
public abstract class JdbcCall {

  /**
   * Ends the measurement.
   *
   * @param thrown what the call threw (usually a {@code SQLException}), or null
   */
  public abstract void end(Throwable thrown);
}
