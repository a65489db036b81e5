package io.nightcorej.engine;

import io.nightcorej.engine.fixtures.EngineCalls;
import io.nightcorej.engine.fixtures.TestFunctions;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Synchronous internal calls whose result goes from the callee's worker straight to the caller (engine.directReply,
 * the default): the engine still enforces the deadline and notices deaths, and the caller uses the first answer for a
 * call id and drops the other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DirectReplyTest {

    private static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        final StackConfig config = new StackConfig();
        config.engine().channel("fifo").idleWorkerTimeoutMs(60_000);
        config.addFunction(new FunctionConfig().name("Echo").id(1).minWorkers(2).maxWorkers(4)
            .handler(TestFunctions.Echo.class.getName()).isolation("process").timeoutMs(300));
        config.addFunction(new FunctionConfig().name("Caller").id(2).minWorkers(1).maxWorkers(2)
            .handler(TestFunctions.Caller.class.getName()).isolation("process").timeoutMs(20_000));
        assertThat(config.conclude().engine().directReply()).isTrue();
        engine = Engine.launchEmbedded(config);
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

    @Test
    @Order(1)
    void syncResultsArriveDirectlyIncludingShmPayloads() throws Exception {
        assertThat(call("Caller", "sync:direct")).isEqualTo("Echo said: direct");
        assertThat(call("Caller", "size:" + (2 * 1024 * 1024))).isEqualTo("ok 2097152");
        assertThat(call("Caller", "async:a")).isEqualTo("a|a");
        assertThat(shmFiles()).isZero();
    }

    @Test
    @Order(2)
    void aDirectReplyAfterTheDeadlineIsDroppedByTheCaller() throws Exception {
        // Echo's timeoutMs is 300: the engine answers TIMEOUT at 300 ms; Echo replies directly at 600 ms, while the caller
        // is waiting for later calls, which must each get their own answer.
        assertThat(call("Caller", "race:600")).isEqualTo("TIMEOUT then ok");
        // The late worker was released by its finish notice and serves again.
        for (int i = 0; i < 4; i++) {
            assertThat(call("Caller", "sync:" + i)).isEqualTo("Echo said: " + i);
        }
        assertThat(engine.workerCount("Echo")).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(3)
    void aCalleeThatDiesRightAfterReplyingDirectlyDoesNotDisturbTheCaller() throws Exception {
        final long pid = engine.containerPids().get("Echo");
        assertThat(call("Caller", "sync:die:30")).isEqualTo("Echo said: dying");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (engine.containerPids().get("Echo") == null || engine.containerPids().get("Echo") == pid) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(engine.awaitWorkers("Echo", 2, 60_000)).isTrue();
        // The caller worker survives any stale WORKER_DIED notice and keeps calling.
        assertThat(call("Caller", "sync:after")).isEqualTo("Echo said: after");
        assertThat(call("Caller", "sync:again")).isEqualTo("Echo said: again");
    }

    private static long shmFiles() throws Exception {
        try (Stream<Path> files = Files.list(engine.layout().shmDir())) {
            return files.count();
        }
    }
}
