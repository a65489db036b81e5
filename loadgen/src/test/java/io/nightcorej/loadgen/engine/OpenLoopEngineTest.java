package io.nightcorej.loadgen.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nightcorej.loadgen.calibrate.TrivialHttpServer;
import io.nightcorej.loadgen.report.LoadResult;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenLoopEngineTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    /**
     * Loads and JIT-warms the engine and the server once, so the timing-based tests below measure the behaviour under
     * test rather than a cold JVM on a busy machine (a cold first request can take seconds there).
     */
    @BeforeAll
    static void warmUp() throws Exception {
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context())) {
            OpenLoopEngine.run(new LoadContext().url(server.url()).rate(300).connections(8).warmup(Duration.ofMillis(1500))
                .duration(Duration.ofMillis(500)).quiet(true));
        }
    }
    private final PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

    @Test
    void sendsExactlyTheScheduledRequestsAndWritesAnHlog(@TempDir final Path dir) throws Exception {
        final Path hlog = dir.resolve("run.hlog");
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context())) {
            final LoadResult r = OpenLoopEngine.run(new LoadContext().url(server.url()).rate(1000).connections(16)
                .warmup(Duration.ofMillis(300)).duration(Duration.ofSeconds(1)).progressInterval(Duration.ofMillis(500))
                .hlog(hlog).out(out));
            // The schedule puts exactly 1000 intended sends in a 1 s window; each is either sent or counted unsent.
            assertThat(r.rateSent * r.durationS + r.unsent).isEqualTo(1000.0);
            assertThat(r.requests).isEqualTo(Math.round(r.rateSent));
            assertThat(r.errors + r.non2xx + r.timeouts).isZero();
            assertThat(r.requests).isPositive();
            assertThat(r.operations).containsEntry("nop-post", r.requests);
            assertThat(r.p50Us).isNotNull();
            assertThat(r.mode).isEqualTo("open-loop");
            assertThat(r.toMap()).containsKeys("rate_target", "rate_achieved", "requests", "errors", "non_2xx", "timeouts",
                "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "uncorrected_p50_us", "uncorrected_p99_us", "late_sends",
                "lag_p99_us", "lag_max_us", "trustworthy", "duration_s", "connections", "workload", "mode");
        }
        final String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Latency Distribution (HdrHistogram - Recorded Latency)", "Detailed Percentile spectrum");
        // The .hlog reads back with HdrHistogram's reader and holds every measured response.
        final HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        long corrected = 0;
        Histogram h;
        while ((h = (Histogram) reader.nextIntervalHistogram()) != null) {
            if ("corrected".equals(h.getTag())) {
                corrected += h.getTotalCount();
            }
        }
        assertThat(Files.readString(hlog)).contains("#[StartTime:");
        assertThat(corrected).isGreaterThan(0);
    }

    @Test
    void aOneSecondServerStallShowsUpInTheCorrectedPercentilesOnly() throws Exception {
        final long[] stallStart = {Long.MAX_VALUE};
        final long stallNs = TimeUnit.SECONDS.toNanos(1);
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context().delayNanos(now -> {
            final long s = stallStart[0];
            // Responses that arrive during the stall are all released when it ends (like a GC pause).
            return now >= s && now < s + stallNs ? s + stallNs - now : 0L;
        }))) {
            final LoadContext ctx = new LoadContext().url(server.url()).rate(500).connections(4)
                .warmup(Duration.ofMillis(500)).duration(Duration.ofSeconds(3)).out(out);
            // The stall starts ~1 s into the 3 s measured phase, so a third of the measured requests are intended
            // inside it and should see latencies spread evenly from ~1 s down to ~0.
            stallStart[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            final LoadResult r = OpenLoopEngine.run(ctx);
            assertThat(r.errors + r.timeouts + r.non2xx).isZero();
            // Corrected: P(latency > x) ~ (1/3)(1 - x/1s), so p90 ~ 0.7 s and max ~ 1 s.
            assertThat(r.p90Us).isBetween(500_000L, 1_500_000L);
            assertThat(r.maxUs).isBetween(900_000L, 2_500_000L);
            assertThat(r.p50Us).isLessThan(400_000L);
            // Uncorrected hides it: only the 4 requests in flight when the stall began waited on the server.
            assertThat(r.uncorrectedP90Us).isLessThan(100_000L);
            assertThat(r.uncorrectedMaxUs).isGreaterThan(900_000L);
            // The generator could not send during the stall (all 4 connections stuck): that is reported too.
            assertThat(r.noFreeConnection).isGreaterThan(100L);
            assertThat(r.lagMaxUs).isGreaterThan(900_000L);
        }
    }

    @Test
    void generatorOverloadIsDetectedAndReportedNotHidden() throws Exception {
        // 1 connection to a server that takes 20 ms per request can do ~50 req/s; ask for 500 req/s.
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context()
            .delayNanos(now -> TimeUnit.MILLISECONDS.toNanos(20)))) {
            // Late threshold 50 ms: the first wait must be seen as the server's even if a busy CI delays that timer.
            final LoadResult r = OpenLoopEngine.run(new LoadContext().url(server.url()).rate(500).connections(1)
                .warmup(Duration.ZERO).duration(Duration.ofSeconds(1)).lateThreshold(Duration.ofMillis(50)).out(out));
            assertThat(r.trustworthy).isFalse();
            // Every measured request after the first few had to wait for the one connection (sent late or never).
            assertThat(r.noFreeConnection).isGreaterThan(300L);
            assertThat(r.lateSends).isGreaterThan(0L);
            assertThat(r.unsent).isGreaterThan(300L);
            assertThat(r.rateSent).isLessThan(100.0);
            assertThat(r.lagP99Us).isGreaterThan(r.lagBoundUs);
            assertThat(r.untrustworthyReasons).anySatisfy(s -> assertThat(s).contains("connections were busy"));
            assertThat(r.toJson()).contains("\"trustworthy\":false");
            // Latency is still measured from the intended time: the queueing behind the one connection shows.
            assertThat(r.p99Us).isGreaterThan(500_000L);
            // ... and the cause is named: the server (one busy connection), not the generator's own timer/CPU.
            assertThat(r.behindCause).as(r.toJson()).isEqualTo("server-saturated");
            assertThat(r.saturatedSends).isPositive().isLessThanOrEqualTo(r.noFreeConnection);
            assertThat(r.generatorLateSends).isLessThanOrEqualTo(r.lateSends).isLessThan(5L);
            assertThat(r.toMap()).containsKeys("saturated_sends", "generator_late_sends", "generator_lag_p99_us",
                "generator_lag_max_us", "behind_cause");
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("NOT TRUSTWORTHY");
    }

    @Test
    void behindCauseNamesTheCauseThatExceedsTheAllowedFractionTheGeneratorFirst() {
        assertThat(OpenLoopEngine.behindCause(10_000, 0, 0, 0.01)).isEqualTo("none");
        assertThat(OpenLoopEngine.behindCause(10_000, 100, 100, 0.01)).as("at the allowed fraction").isEqualTo("none");
        assertThat(OpenLoopEngine.behindCause(10_000, 5_000, 3, 0.01)).isEqualTo("server-saturated");
        assertThat(OpenLoopEngine.behindCause(10_000, 5_000, 100, 0.01)).as("generator within allowance").isEqualTo("server-saturated");
        assertThat(OpenLoopEngine.behindCause(10_000, 5_000, 101, 0.01)).as("both: generator first").isEqualTo("generator");
        assertThat(OpenLoopEngine.behindCause(10_000, 0, 101, 0.01)).isEqualTo("generator");
        assertThat(OpenLoopEngine.behindCause(10_000, 200, 300, 0.01)).as("both: more generator-late").isEqualTo("generator");
        assertThat(OpenLoopEngine.behindCause(0, 400, 0, 0.01)).as("nothing sent, all waited").isEqualTo("server-saturated");
    }

    @Test
    void nonSuccessStatusesAndRefusedConnectionsAreCountedApart() throws Exception {
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context().status(503))) {
            final LoadResult r = OpenLoopEngine.run(new LoadContext().url(server.url()).rate(200).connections(4)
                .duration(Duration.ofMillis(500)).out(out));
            assertThat(r.non2xx).isEqualTo(r.requests).isGreaterThan(90L);
            assertThat(r.p50Us).as("non-2xx responses are not latency samples").isNull();
        }
        final IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
            () -> OpenLoopEngine.run(new LoadContext().url(java.net.URI.create("http://127.0.0.1:1/")).rate(10)
                .duration(Duration.ofMillis(100)).connectTimeout(Duration.ofSeconds(1)).out(out)));
        assertThat(e.getMessage()).contains("could not connect");
    }

    @Test
    void badSettingsAreRejectedWithTheirName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadContext()
                .url(java.net.URI.create("http://127.0.0.1:8080")).rate(0).conclude())
            .hasMessageContaining("--rate");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoadContext()
                .url(java.net.URI.create("http://127.0.0.1:8080")).rate(10).workload("nope").conclude())
            .hasMessageContaining("unknown workload 'nope'");
    }
}
