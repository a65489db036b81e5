package io.nightcorej.engine;

import io.nightcorej.engine.fixtures.EngineCalls;
import io.nightcorej.engine.fixtures.TestFunctions;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionCallException.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An engine with real function containers (launcher JVMs) running the test functions. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineTest {

    private static Engine engine;

    static StackConfig config(final String channel) {
        final StackConfig config = new StackConfig();
        config.engine().channel(channel).spinMicros(20).idleWorkerTimeoutMs(60_000);
        config.addFunction(new FunctionConfig().name("Echo").id(1).minWorkers(2).maxWorkers(4)
            .handler(TestFunctions.Echo.class.getName()).isolation("process").timeoutMs(5_000));
        config.addFunction(new FunctionConfig().name("Caller").id(2).minWorkers(1).maxWorkers(2)
            .handler(TestFunctions.Caller.class.getName()).isolation("process").timeoutMs(10_000));
        return config.conclude();
    }

    @BeforeAll
    static void start() throws Exception {
        engine = Engine.launchEmbedded(config("shm"));
        EngineCalls.awaitEchoAndCaller(engine);
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private static String call(final String function, final String input) throws Exception {
        return EngineCalls.callText(engine, function, input);
    }

    private static FunctionCallException failure(final CompletableFuture<byte[]> future) {
        try {
            future.get(30, TimeUnit.SECONDS);
        } catch (final ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(FunctionCallException.class);
            return (FunctionCallException) e.getCause();
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    @Order(1)
    void callerCallsCalleeInternallySync() throws Exception {
        assertThat(call("Echo", "hi")).isEqualTo("hi");
        assertThat(call("Caller", "sync:hello")).isEqualTo("Echo said: hello");
    }

    @Test
    @Order(2)
    void callerFansOutAsync() throws Exception {
        assertThat(call("Caller", "async:x")).isEqualTo("x|x");
    }

    @Test
    @Order(3)
    void internalPayloadsOfZeroOneKibAndFourMib() throws Exception {
        assertThat(call("Caller", "size:0")).isEqualTo("ok 0");
        assertThat(call("Caller", "size:1024")).isEqualTo("ok 1024");
        assertThat(call("Caller", "size:" + (4 * 1024 * 1024))).isEqualTo("ok 4194304");
        final byte[] big = TestFunctions.pattern(4 * 1024 * 1024);
        assertThat(engine.call("Echo", big).get(30, TimeUnit.SECONDS)).isEqualTo(big);
        assertThat(shmFiles()).isZero();
    }

    @Test
    @Order(4)
    void unknownFunctionIsNotFound() throws Exception {
        assertThat(failure(engine.call("Nope", new byte[0])).status()).isEqualTo(Status.NOT_FOUND);
        assertThat(call("Caller", "unknown:")).isEqualTo("NOT_FOUND");
    }

    @Test
    @Order(5)
    void aThrowingHandlerFailsTheCallAndTheWorkerLivesOn() throws Exception {
        final FunctionCallException e = failure(engine.call("Echo", "throw".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.status()).isEqualTo(Status.FAILED);
        assertThat(e.getMessage()).contains("IllegalStateException").contains("boom");
        assertThat(call("Echo", "after")).isEqualTo("after");
    }

    @Test
    @Order(6)
    void anExpiredDeadlineFailsTheCallWithTimeout() throws Exception {
        final long start = System.nanoTime();
        final FunctionCallException e = failure(engine.call("Echo", "sleep:1500".getBytes(StandardCharsets.UTF_8), 200));
        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(e.status()).isEqualTo(Status.TIMEOUT);
        assertThat(elapsedMs).isLessThan(1200);
        // The late result is dropped; the function keeps working.
        assertThat(call("Echo", "later")).isEqualTo("later");
    }

    @Test
    @Order(7)
    void aContainerKilledMidCallFailsTheCallAtOnceAndIsReplaced() throws Exception {
        final long pid = engine.containerPids().get("Echo");
        final CompletableFuture<byte[]> running = engine.call("Echo", "sleep:20000".getBytes(StandardCharsets.UTF_8));
        Thread.sleep(300);
        assertThat(running).isNotDone();
        final long killed = System.nanoTime();
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        final FunctionCallException e = failure(running);
        assertThat(e.status()).isEqualTo(Status.WORKER_DIED);
        assertThat((System.nanoTime() - killed) / 1_000_000).isLessThan(3000);
        assertThat(engine.awaitWorkers("Echo", 2, 60_000)).isTrue();
        assertThat(engine.containerPids().get("Echo")).isNotEqualTo(pid);
        assertThat(call("Caller", "sync:again")).isEqualTo("Echo said: again");
    }

    @Test
    @Order(8)
    void statsReportCallsAndLatencies() {
        final String stats = engine.statsJson();
        assertThat(stats).contains("\"Echo\"").contains("\"calls\"").contains("\"queueing_us\"").contains("\"tau\"");
    }

    @Test
    @Order(9)
    void fifoChannelsCarryTheSameCalls() throws Exception {
        try (Engine fifo = Engine.launchEmbedded(config("fifo"))) {
            EngineCalls.awaitEchoAndCaller(fifo);
            assertThat(new String(fifo.call("Caller", "sync:fifo".getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS),
                StandardCharsets.UTF_8)).isEqualTo("Echo said: fifo");
            assertThat(new String(fifo.call("Caller", ("size:" + 4 * 1024 * 1024).getBytes(StandardCharsets.UTF_8))
                .get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("ok 4194304");
        }
    }

    @Test
    @Order(10)
    void cleanShutdownLeavesNoProcessesAndNoIpcFiles() throws Exception {
        final Path root = engine.layout().root();
        final var pids = engine.containerPids().values();
        assertThat(pids).isNotEmpty();
        engine.close();
        for (final long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("container pid " + pid).isFalse();
        }
        assertThat(Files.exists(root)).isFalse();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).count()).isZero();
        assertThatThrownBy(() -> engine.call("Echo", new byte[0]).get()).hasCauseInstanceOf(FunctionCallException.class);
    }

    private static long shmFiles() throws Exception {
        try (Stream<Path> files = Files.list(engine.layout().shmDir())) {
            return files.count();
        }
    }
}
