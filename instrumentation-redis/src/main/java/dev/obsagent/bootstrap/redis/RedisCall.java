package dev.obsagent.bootstrap.redis;

/**
 * The Redis operation in progress on the current thread. One instance per thread, reused, so
 * that advice costs one {@link ThreadLocal} lookup and allocates nothing. Only JDK types are kept
 * (a connection by its identity hash), so no application class is ever held.
 *
 * <p>An operation is one of:
 *
 * <ul>
 *   <li>a <em>scope</em>, named when it opens, from the entry of a client method to its exit:
 *       a command object executed ({@code GET}), a pipeline's sync ({@code PIPELINE}), a
 *       transaction's exec ({@code MULTI}) or discard ({@code DISCARD}). Scopes nest (an
 *       executor calling a connection, a cluster retrying on another node); only the outermost
 *       is measured, like {@code CallDepth} but in the object the connection advice reads
 *       anyway. Commands sent and replies read inside a scope are part of it.
 *   <li>an <em>awaited command</em>: a command sent outside any scope (Jedis 3.x, and the
 *       commands Jedis 4+ still sends by hand), from the start of its send to the end of the
 *       next reply read on the same connection.
 * </ul>
 *
 * A command awaiting its reply is forgotten when a scope opens (the commands a pipeline or
 * transaction queued are measured by its sync or exec) or when replies are read in bulk outside
 * any scope (a new connection's own set-up).
 */
public final class RedisCall {

  /** Operation name of a pipeline's {@code sync}. */
  public static final String PIPELINE = "PIPELINE";
  /** Operation name of a transaction's {@code exec}: the whole MULTI ... EXEC block. */
  public static final String MULTI = "MULTI";
  /** Operation name of a transaction's {@code discard}. */
  public static final String DISCARD = "DISCARD";
  /** A batch size, argument count or port that is not known. */
  public static final int UNKNOWN = -1;

  private static final ThreadLocal<RedisCall> CURRENT =
      new ThreadLocal<RedisCall>() {
        @Override
        protected RedisCall initialValue() {
          return new RedisCall();
        }
      };

  private enum Kind { COMMAND, PIPELINE, TRANSACTION }

  /** Open scopes; 0 when none is. */
  private int depth;
  private Kind kind;
  /** The scope's or the awaited command's name; null when there is neither. */
  private String operation;
  private int argumentCount;
  private long startNanos;
  private String serverAddress;
  private int serverPort;
  private int batchSize;
  private boolean batchFixed;
  /** Identity hash of the connection an awaited command went out on. */
  private int awaitedConnection;

  private RedisCall() {}

  /** This thread's call: for advice that reports to whatever is in progress. */
  public static RedisCall current() {
    return CURRENT.get();
  }

  /** A command object executed: named by its command. */
  public static RedisCall enterCommand(String operation, int argumentCount) {
    return CURRENT.get().open(Kind.COMMAND, operation, argumentCount);
  }

  /** A pipeline's sync: its batch size is the number of replies it reads. */
  public static RedisCall enterPipeline() {
    return CURRENT.get().open(Kind.PIPELINE, PIPELINE, UNKNOWN);
  }

  /**
   * A pipeline whose batch size and server are known up front, for pipelines that read their
   * replies on other threads (cluster pipelines over several nodes).
   *
   * @param address the one server, or null when the pipeline spans several
   */
  public static RedisCall enterPipeline(int commands, String address, int port) {
    RedisCall call = CURRENT.get();
    if (call.depth > 0) {
      return call.open(Kind.PIPELINE, PIPELINE, UNKNOWN);
    }
    call.open(Kind.PIPELINE, PIPELINE, UNKNOWN);
    call.batchSize = commands;
    call.serverAddress = address;
    call.serverPort = address == null ? UNKNOWN : port;
    call.batchFixed = true;
    return call;
  }

  /**
   * A connection setting itself up (HELLO, AUTH, CLIENT SETINFO): not an operation of the
   * application's, so it records nothing and keeps its commands from being awaited.
   */
  public static RedisCall enterSetUp() {
    return CURRENT.get().open(Kind.COMMAND, null, UNKNOWN);
  }

  /** A transaction's exec or discard: the batch size is given at exit. */
  public static RedisCall enterTransaction(String operation) {
    return CURRENT.get().open(Kind.TRANSACTION, operation, UNKNOWN);
  }

  private RedisCall open(Kind newKind, String newOperation, int newArgumentCount) {
    if (depth == 0) {
      start(newKind, newOperation, newArgumentCount, System.nanoTime());
      batchSize = newKind == Kind.PIPELINE ? 0 : UNKNOWN;
      batchFixed = false;
    }
    // Last, so that a failure above (a StackOverflowError, say) leaves the depth as it was: the
    // exit advice then gets no call and does not decrement.
    depth++;
    return this;
  }

  private void start(Kind newKind, String newOperation, int newArgumentCount, long newStartNanos) {
    kind = newKind;
    operation = newOperation;
    argumentCount = newArgumentCount;
    startNanos = newStartNanos;
    serverAddress = null;
    serverPort = UNKNOWN;
  }

  /** Leaves a scope; the outermost one records the operation. */
  public void exit(Throwable error) {
    exit(error, batchSize);
  }

  /** Leaves a transaction's exec, which knows how many commands ran ({@link #UNKNOWN} if not). */
  public void exit(Throwable error, int executedCommands) {
    if (depth == 0) {
      return;
    }
    // First, so that a failure below cannot leave this thread believing it is still nested.
    depth--;
    if (depth > 0) {
      return;
    }
    batchSize = executedCommands;
    // A pipeline with nothing to sync (a second sync, close after sync) made no round trip.
    boolean madeNoRoundTrip = kind == Kind.PIPELINE && batchSize <= 0 && error == null;
    if (operation == null || madeNoRoundTrip) {
      operation = null; // (a set-up scope has none)
    } else {
      record(error);
    }
  }

  /** Whether a scope is open on this thread. */
  public boolean isOpen() {
    return depth > 0;
  }

  /** The server the open scope talks to; the last one wins (a cluster redirect's target). */
  public void server(String address, int port) {
    if (depth > 0 && !batchFixed) {
      serverAddress = address;
      serverPort = port;
    }
  }

  /**
   * Replies are about to be read in bulk: part of the open pipeline's batch, or, outside any
   * scope, a connection's own set-up, which makes no operation of an awaited command.
   */
  public void repliesRead(int count) {
    if (depth == 0) {
      operation = null;
    } else if (kind == Kind.PIPELINE && !batchFixed) {
      batchSize += count;
    }
  }

  /**
   * A command went out with no scope open: it is an operation of its own, until the next reply
   * read on the same connection. Replaces a command still awaited (one a pipeline queued).
   */
  public void awaitReply(
      String command, int arguments, long sendStartNanos, String address, int port, int connection) {
    if (depth == 0) {
      start(Kind.COMMAND, command, arguments, sendStartNanos);
      serverAddress = address;
      serverPort = port;
      batchSize = UNKNOWN;
      awaitedConnection = connection;
    }
  }

  /** Drops an awaited command: a transaction's MULTI, measured with the transaction at exec. */
  public void forgetAwaited() {
    if (depth == 0) {
      operation = null;
    }
  }

  /** Whether a command sent outside any scope awaits its reply. */
  public boolean awaitsReply() {
    return depth == 0 && operation != null;
  }

  /**
   * A reply was read on a connection, or could not be (then {@code error} is what the client
   * throws, an error reply or a broken connection): the command it answers is done.
   */
  public void replyRead(int connection, Throwable error) {
    if (awaitsReply() && connection == awaitedConnection) {
      record(error);
    }
  }

  private void record(Throwable error) {
    long endNanos = System.nanoTime();
    try {
      RedisBridge.recorder().record(this, error, endNanos);
    } finally {
      operation = null;
      serverAddress = null;
    }
  }

  /** The command ({@code GET}) or batch ({@code PIPELINE}) name. */
  public String operation() {
    return operation;
  }

  /** Arguments after the command, or {@link #UNKNOWN} (batches). */
  public int argumentCount() {
    return argumentCount;
  }

  /** Host name as configured, or null when unknown or several. */
  public String serverAddress() {
    return serverAddress;
  }

  public int serverPort() {
    return serverPort;
  }

  /** Commands in a batch, or {@link #UNKNOWN} for single commands and when unknown. */
  public int batchSize() {
    return batchSize;
  }

  public long startNanos() {
    return startNanos;
  }
}
