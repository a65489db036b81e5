package io.nightcorej.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import io.nightcorej.engine.fixtures.TestFunctions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls sent ahead to busy workers (engine.dispatchAheadMaxMicros) with real containers: every call still gets its own
 * answer, and a call that was sent ahead to a container that then dies is not lost but runs on its replacement.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DispatchAheadTest {

    private Engine engine;

    @BeforeEach
    void start() throws Exception {
        final StackConfig config = new StackConfig();
        // Without the tau limit: sequential warm-up calls would keep tau at the 2 running calls, and nothing goes ahead.
        // A generous processing-time bound: a fresh container's first calls are slow (class loading, interpreter), and
        // which calls are short enough is DispatcherTest's business, not this one's.
        config.engine().idleWorkerTimeoutMs(60_000).concurrencyLimit(false).dispatchAheadMaxMicros(1_000_000);
        config.addFunction(new FunctionConfig().name("Echo").id(1).minWorkers(2).maxWorkers(2)
            .handler(TestFunctions.Echo.class.getName()).isolation("process").timeoutMs(30_000));
        engine = Engine.launchEmbedded(config.conclude());
        assertThat(engine.awaitWorkers("Echo", 2, 60_000)).isTrue();
        // The engine sends ahead only after 16 calls have shown how long the function's calls take.
        for (int i = 0; i < 32; i++) {
            assertThat(text(engine.call("Echo", bytes("warm" + i)))).isEqualTo("warm" + i);
        }
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(final CompletableFuture<byte[]> future) throws Exception {
        return new String(future.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    private long sentAhead() throws Exception {
        final JsonNode stats = new ObjectMapper().readTree(engine.statsJson());
        return stats.path("functions").path("Echo").path("sent_ahead").asLong();
    }

    @Test
    void manyConcurrentShortCallsEachGetTheirOwnAnswer() throws Exception {
        final List<CompletableFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            calls.add(engine.call("Echo", bytes("call-" + i)));
        }
        for (int i = 0; i < calls.size(); i++) {
            assertThat(text(calls.get(i))).isEqualTo("call-" + i);
        }
        assertThat(sentAhead()).as("with both workers busy, calls went ahead").isPositive();
    }

    @Test
    void aCallSentAheadToAContainerThatDiesRunsOnItsReplacement() throws Exception {
        final long pid = engine.containerPids().get("Echo");
        // Both workers busy for a while; the next two calls go ahead, one to each.
        final CompletableFuture<byte[]> busy1 = engine.call("Echo", bytes("sleep:5000"));
        final CompletableFuture<byte[]> busy2 = engine.call("Echo", bytes("sleep:5000"));
        Thread.sleep(300);
        final CompletableFuture<byte[]> ahead1 = engine.call("Echo", bytes("ahead-1"));
        final CompletableFuture<byte[]> ahead2 = engine.call("Echo", bytes("ahead-2"));
        final CompletableFuture<byte[]> queued = engine.call("Echo", bytes("queued"));
        assertThat(sentAhead()).isEqualTo(2);

        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();

        assertThat(busy1).failsWithin(30, TimeUnit.SECONDS);
        assertThat(busy2).failsWithin(30, TimeUnit.SECONDS);
        // Never started, so not failed: they wait for the new container like the queued call.
        assertThat(text(ahead1)).isEqualTo("ahead-1");
        assertThat(text(ahead2)).isEqualTo("ahead-2");
        assertThat(text(queued)).isEqualTo("queued");
        assertThat(engine.containerPids().get("Echo")).isNotEqualTo(pid);
    }
}
