package dev.obsagent.instrumentation.redis;

import static dev.obsagent.core.api.MethodMatchers.isAbstract;
import static dev.obsagent.core.api.MethodMatchers.named;
import static dev.obsagent.core.api.MethodMatchers.namedOneOf;
import static dev.obsagent.core.api.MethodMatchers.not;
import static dev.obsagent.core.api.MethodMatchers.takesArgument;
import static dev.obsagent.core.api.MethodMatchers.takesArguments;

import dev.obsagent.bootstrap.redis.RedisBridge;
import dev.obsagent.core.api.AgentContext;
import dev.obsagent.core.api.InstrumentationModule;
import dev.obsagent.core.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;
import dev.obsagent.core.api.MethodMatcher;

/**
 * Jedis 3.6 to 8.x. Only small classes are woven, never the client classes with a thousand
 * methods each ({@code Jedis}, {@code UnifiedJedis}), which would cost seconds at class load:
 *
 * <ul>
 *   <li>{@code Connection}: a command sent outside any scope is an operation until the next
 *       reply read on that connection (every 3.x command; {@code ping}, {@code select} and the
 *       other commands Jedis 4+ still sends by hand); and it tells the operations in progress
 *       which server they talk to and how many replies a pipeline reads;
 *   <li>4.x and later: {@code Connection.executeCommand(CommandObject)} and the command
 *       executors of the unified clients are one operation each, named by the command object;
 *       a new connection's own set-up commands (HELLO, AUTH, CLIENT SETINFO) are none;
 *   <li>pipelines and transactions, in both lines: one operation per {@code sync} / {@code exec}.
 * </ul>
 *
 * The two lines are told apart by marker classes: 3.x has {@code BinaryJedis} (gone in 4.0) and
 * its commands go out through {@code sendCommand(ProtocolCommand, byte[]...)}; 4.x and later
 * have {@code CommandObject} and send through {@code sendCommand(CommandArguments)}.
 */
public final class JedisInstrumentationModule implements InstrumentationModule {

  private static final String JEDIS = "redis.clients.jedis.";
  private static final String ADVICE = "dev.obsagent.instrumentation.redis.";
  private static final String COMMON = ADVICE + "jedis.";

  /** In 3.x only (4.0 folded it into {@code Jedis}). */
  private static final String MARKER_3 = JEDIS + "BinaryJedis";
  /**
   * In 3.6 and later: the release whose {@code Connection} keeps the socket factory the advice
   * reads the server from. Older 3.x releases are left alone.
   */
  private static final String MARKER_3_6_AND_LATER = JEDIS + "JedisClientConfig";
  /** In 4.0 and later: commands as objects. */
  private static final String MARKER_4 = JEDIS + "CommandObject";

  private static final String[] WIRE_HELPERS = {COMMON + "JedisWire", COMMON + "JedisCommandNames"};

  @Override
  public String name() {
    return "jedis";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        // Jedis 3.x
        TypeInstrumentation.forTypesNamed(JEDIS + "Connection")
            .whenClassVisible(MARKER_3)
            .whenClassVisible(MARKER_3_6_AND_LATER)
            .advice(
                named("sendCommand").and(takesArguments(2))
                    .and(takesArgument(0, JEDIS + "commands.ProtocolCommand"))
                    .and(takesArgument(1, byte[][].class)),
                ADVICE + "jedis3.Jedis3SendCommandAdvice")
            .advice(replyRead(), COMMON + "ConnectionReplyAdvice")
            .advice(repliesRead(), COMMON + "ConnectionRepliesAdvice")
            .helpers(WIRE_HELPERS)
            .build(),

        // Jedis 4.x and later
        TypeInstrumentation.forTypesNamed(JEDIS + "Connection")
            .whenClassVisible(MARKER_4)
            .advice(
                named("sendCommand").and(takesArguments(1)).and(takesArgument(0, JEDIS + "CommandArguments")),
                ADVICE + "jedis4.CommandArgumentsSendAdvice")
            .advice(commandObjectExecution("executeCommand"), ADVICE + "jedis4.CommandObjectAdvice")
            .advice(named("initializeFromClientConfig"), ADVICE + "jedis4.ConnectionSetUpAdvice")
            .advice(replyRead(), COMMON + "ConnectionReplyAdvice")
            .advice(repliesRead(), COMMON + "ConnectionRepliesAdvice")
            .helpers(WIRE_HELPERS)
            .build(),
        TypeInstrumentation.forTypesNamed(
                    JEDIS + "executors.DefaultCommandExecutor",
                    JEDIS + "executors.SimpleCommandExecutor",
                    JEDIS + "executors.RetryableCommandExecutor",
                    JEDIS + "executors.ClusterCommandExecutor",
                    JEDIS + "mcf.CircuitBreakerCommandExecutor",
                    JEDIS + "mcf.MultiDbCommandExecutor")
            .whenClassVisible(MARKER_4)
            .advice(
                commandObjectExecution("executeCommand", "executeCommandToReplica", "broadcastCommand"),
                ADVICE + "jedis4.CommandObjectAdvice")
            .helpers(COMMON + "JedisCommandNames")
            .build(),
        TypeInstrumentation.forTypesNamed(JEDIS + "MultiNodePipelineBase")
            .whenClassVisible(MARKER_4)
            .advice(named("sync").and(takesArguments(0)), ADVICE + "jedis4.ClusterPipelineSyncAdvice")
            .helpers(ADVICE + "jedis4.ClusterPipelines")
            .build(),

        // Both lines: pipelines and transactions.
        TypeInstrumentation.forTypesNamed(JEDIS + "Pipeline")
            .whenClassVisible(MARKER_3_6_AND_LATER)
            .advice(namedOneOf("sync", "syncAndReturnAll").and(takesArguments(0)), COMMON + "PipelineSyncAdvice")
            .build(),
        TypeInstrumentation.forTypesNamed(JEDIS + "Transaction", JEDIS + "TransactionBase", JEDIS + "ReliableTransaction")
            .whenClassVisible(MARKER_3_6_AND_LATER)
            .advice(
                namedOneOf("exec", "execGetResponse").and(takesArguments(0)).and(not(isAbstract())),
                COMMON + "TransactionExecAdvice")
            .advice(named("discard").and(takesArguments(0)).and(not(isAbstract())), COMMON + "TransactionDiscardAdvice")
            .build());
  }

  /** A method that executes one command object: {@code <T> T name(CommandObject<T>)}. */
  private static MethodMatcher commandObjectExecution(String... names) {
    return namedOneOf(names).and(takesArguments(1)).and(takesArgument(0, JEDIS + "CommandObject"))
        .and(not(isAbstract()));
  }

  /** {@code Connection.readProtocolWithCheckingBroken()}: where every line reads one reply. */
  private static MethodMatcher replyRead() {
    return named("readProtocolWithCheckingBroken").and(takesArguments(0));
  }

  /** {@code Connection.getMany(int)}: how pipelines and transactions of every line read replies. */
  private static MethodMatcher repliesRead() {
    return named("getMany").and(takesArguments(int.class));
  }

  @Override
  public void start(AgentContext context) {
    RedisBridge.install(new RedisTelemetry(context));
  }
}
