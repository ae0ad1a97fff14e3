package dev.obsagent.bootstrap.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How advice calls become operations: nesting, naming, batches, and a clean thread after faults. */
class RedisCallTest {

  /** What the recorder saw, copied out of the reused call object. */
  private static final class Recorded {
    final String operation;
    final int argumentCount;
    final String serverAddress;
    final int serverPort;
    final int batchSize;
    final Throwable error;

    Recorded(RedisCall call, Throwable error) {
      this.operation = call.operation();
      this.argumentCount = call.argumentCount();
      this.serverAddress = call.serverAddress();
      this.serverPort = call.serverPort();
      this.batchSize = call.batchSize();
      this.error = error;
    }
  }

  private final List<Recorded> recorded = new ArrayList<>();

  @BeforeEach
  void installRecorder() {
    RedisBridge.install(new RedisRecorder() {
      @Override
      public void record(RedisCall call, Throwable error, long endNanos) {
        assertTrue(endNanos >= call.startNanos());
        recorded.add(new Recorded(call, error));
      }
    });
  }

  @AfterEach
  void threadIsLeftIdle() {
    assertFalse(RedisCall.current().isOpen(), "no scope left open on the thread");
    RedisCall.current().forgetAwaited();
    RedisBridge.install(RedisRecorder.NOOP);
  }

  @Test
  void onlyTheOutermostScopeIsAnOperation() {
    RedisCall outer = RedisCall.enterCommand("SET", 2);
    RedisCall inner = RedisCall.enterCommand("SET", 2);
    assertSame(outer, inner, "one object per thread");
    inner.exit(null);
    assertTrue(recorded.isEmpty());
    outer.exit(null);
    assertEquals(1, recorded.size());
    assertEquals("SET", recorded.get(0).operation);
    assertEquals(2, recorded.get(0).argumentCount);
    assertEquals(RedisCall.UNKNOWN, recorded.get(0).batchSize);
  }

  @Test
  void insideAScopeConnectionsOnlyDescribeIt() {
    RedisCall call = RedisCall.enterCommand("SET", 2);
    call.awaitReply("CLIENT", 3, 0, "elsewhere", 1, 7); // a new pooled connection's set-up
    call.replyRead(7, null);
    call.server("node-a", 7000);
    call.server("node-b", 7001); // the last wins: a cluster redirect's target
    call.exit(null);
    assertEquals(1, recorded.size());
    assertEquals("SET", recorded.get(0).operation);
    assertEquals("node-b", recorded.get(0).serverAddress);
    assertEquals(7001, recorded.get(0).serverPort);
  }

  @Test
  void aConnectionsSetUpIsNoOperation() {
    RedisCall setUp = RedisCall.enterSetUp();
    setUp.awaitReply("HELLO", 1, 0, null, RedisCall.UNKNOWN, 7);
    setUp.replyRead(7, null);
    setUp.exit(null);
    assertTrue(recorded.isEmpty());
  }

  @Test
  void aCommandSentOutsideAnyScopeEndsWithTheNextReplyOnItsConnection() {
    RedisCall call = RedisCall.current();
    call.awaitReply("GET", 1, System.nanoTime(), "localhost", 6379, 7);
    assertTrue(call.awaitsReply());
    call.replyRead(8, null); // another connection's reply
    assertTrue(recorded.isEmpty());
    call.replyRead(7, null);
    call.replyRead(7, null); // a later reply answers nothing awaited
    assertEquals(1, recorded.size());
    assertEquals("GET", recorded.get(0).operation);
    assertEquals("localhost", recorded.get(0).serverAddress);
    assertEquals(6379, recorded.get(0).serverPort);
    assertNull(recorded.get(0).error);
  }

  @Test
  void anErrorReplyOrBrokenConnectionFailsTheAwaitedCommand() {
    IllegalStateException wrongType = new IllegalStateException("WRONGTYPE");
    RedisCall call = RedisCall.current();
    call.awaitReply("LPUSH", 2, System.nanoTime(), "localhost", 6379, 7);
    call.replyRead(7, wrongType);
    assertSame(wrongType, recorded.get(0).error);
  }

  @Test
  void aLaterSendReplacesACommandStillAwaited() {
    RedisCall call = RedisCall.current();
    call.awaitReply("SET", 2, System.nanoTime(), null, RedisCall.UNKNOWN, 7); // queued in a pipeline
    call.awaitReply("GET", 1, System.nanoTime(), null, RedisCall.UNKNOWN, 9);
    call.replyRead(9, null);
    assertEquals(1, recorded.size());
    assertEquals("GET", recorded.get(0).operation);
  }

  @Test
  void bulkRepliesOutsideAnyScopeAreAConnectionsOwnSetUp() {
    RedisCall call = RedisCall.current();
    call.awaitReply("CLIENT", 3, System.nanoTime(), null, RedisCall.UNKNOWN, 7);
    call.repliesRead(2);
    call.replyRead(7, null);
    assertTrue(recorded.isEmpty());
  }

  @Test
  void aForgottenCommandIsNoOperation() {
    RedisCall call = RedisCall.current();
    call.awaitReply("MULTI", 0, System.nanoTime(), null, RedisCall.UNKNOWN, 7);
    call.forgetAwaited();
    call.replyRead(7, null);
    assertTrue(recorded.isEmpty());
  }

  @Test
  void aScopeForgetsTheCommandsQueuedBeforeIt() {
    RedisCall.current().awaitReply("SET", 2, System.nanoTime(), null, RedisCall.UNKNOWN, 7);
    RedisCall pipeline = RedisCall.enterPipeline();
    pipeline.repliesRead(3);
    pipeline.replyRead(7, null);
    pipeline.exit(null);
    assertEquals(1, recorded.size());
    assertEquals(RedisCall.PIPELINE, recorded.get(0).operation);
    assertEquals(3, recorded.get(0).batchSize);
  }

  @Test
  void aPipelineCountsTheRepliesItReads() {
    RedisCall call = RedisCall.enterPipeline();
    call.repliesRead(60);
    call.repliesRead(40);
    call.exit(null);
    assertEquals(RedisCall.PIPELINE, recorded.get(0).operation);
    assertEquals(100, recorded.get(0).batchSize);
    assertEquals(RedisCall.UNKNOWN, recorded.get(0).argumentCount);
  }

  @Test
  void aPipelineWithNothingToSyncIsNoOperationUnlessItFailed() {
    RedisCall.enterPipeline().exit(null);
    assertTrue(recorded.isEmpty());
    IllegalStateException failure = new IllegalStateException();
    RedisCall.enterPipeline().exit(failure);
    assertSame(failure, recorded.get(0).error);
  }

  @Test
  void aPipelineOverSeveralNodesIsSizedUpFront() {
    RedisCall call = RedisCall.enterPipeline(20, null, 0);
    call.repliesRead(7); // a node synced on this thread
    call.server("node-a", 7000);
    call.exit(null);
    assertEquals(20, recorded.get(0).batchSize);
    assertNull(recorded.get(0).serverAddress);
  }

  @Test
  void aTransactionIsSizedByTheCommandsExecRan() {
    RedisCall call = RedisCall.enterTransaction(RedisCall.MULTI);
    call.repliesRead(4); // MULTI and QUEUED replies: not the batch
    call.exit(null, 3);
    assertEquals(RedisCall.MULTI, recorded.get(0).operation);
    assertEquals(3, recorded.get(0).batchSize);
  }

  @Test
  void aFailingRecorderLeavesTheThreadReadyForTheNextOperation() {
    RedisBridge.install(new RedisRecorder() {
      @Override
      public void record(RedisCall call, Throwable error, long endNanos) {
        throw new IllegalStateException("injected fault");
      }
    });
    RedisCall call = RedisCall.enterCommand("GET", 1);
    assertThrows(IllegalStateException.class, () -> call.exit(null));
    installRecorder();
    assertFalse(RedisCall.current().awaitsReply(), "the failed operation is gone");
    RedisCall.enterCommand("PING", 0).exit(null);
    assertEquals("PING", recorded.get(0).operation);
  }

  @Test
  void eachThreadHasItsOwnCall() throws Exception {
    RedisCall mine = RedisCall.enterCommand("GET", 1);
    AtomicBoolean otherSawOpen = new AtomicBoolean(true);
    Thread other = new Thread(() -> otherSawOpen.set(RedisCall.current().isOpen()));
    other.start();
    other.join();
    assertFalse(otherSawOpen.get());
    mine.exit(null);
  }
}
