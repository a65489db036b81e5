package io.nightcorej.loadgen.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import io.nightcorej.loadgen.calibrate.TrivialHttpServer;
import io.nightcorej.loadgen.report.LoadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@code --transport} runs a load end to end, sleeping and spinning, and reports the transport it used; an
 * unavailable one falls back with a message; and a spinning loop sleeps through gaps longer than its spin window
 * instead of taking a whole CPU at low rates.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TransportAndBusyPollTest {

    @ParameterizedTest
    @EnumSource(LoadContext.Transport.class)
    void everyTransportCompletesTheScheduleSleepingAndSpinning(final LoadContext.Transport transport) throws Exception {
        final String[] note = new String[1];
        final LoadContext.Transport used = OpenLoopEngine.resolveTransport(transport, note);
        assertThat(used).isNotEqualTo(LoadContext.Transport.AUTO);
        if (transport == LoadContext.Transport.IO_URING && !IoUring.isAvailable()) {
            assertThat(note[0]).startsWith("io_uring unavailable (").contains("using epoll");
        }
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context())) {
            for (LoadContext.BusyPoll mode : new LoadContext.BusyPoll[] {LoadContext.BusyPoll.OFF, LoadContext.BusyPoll.ON}) {
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                final LoadResult r = OpenLoopEngine.run(new LoadContext().url(server.url()).rate(1000).connections(16)
                    .transport(transport).busyPoll(mode).warmup(Duration.ofMillis(300)).duration(Duration.ofSeconds(1))
                    .timeout(Duration.ofSeconds(5)).out(new PrintStream(out, true, StandardCharsets.UTF_8)));
                assertThat(r.transport).as("%s %s", transport, mode).isEqualTo(OpenLoopEngine.transportName(used));
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("(" + r.transport + ", open-loop");
                // Every scheduled request is answered or, on a starved machine, counted as never sent.
                assertThat(r.requests).as("%s %s", transport, mode).isPositive();
                assertThat(r.requests + r.unsent).as("%s %s", transport, mode).isEqualTo(1000);
                assertThat(r.errors + r.timeouts + r.non2xx).as("%s %s", transport, mode).isZero();
            }
        }
    }

    @Test
    void autoPicksANativeTransportWhenOneIsAvailable() {
        final LoadContext.Transport t = OpenLoopEngine.resolveTransport(LoadContext.Transport.AUTO, new String[1]);
        if (Epoll.isAvailable()) {
            assertThat(t).isIn(LoadContext.Transport.EPOLL, LoadContext.Transport.IO_URING);
        }
        assertThat(new LoadContext().preferEpoll(false).transport()).isEqualTo(LoadContext.Transport.NIO);
    }

    /**
     * Regression (session 3's "busy-poll ON stalls at ~2k req/s unpinned"): the spinning loop used to spin through
     * the whole gap between sends, one full CPU at any rate (~1000 µs of CPU per request at 1000 req/s); on a shared
     * 2-CPU machine that CPU was the co-located server's, which then fell ~1 s behind. Now it sleeps until one timer
     * resolution before each send.
     */
    @Test
    void spinningLoopSleepsThroughGapsLongerThanItsWindow() throws Exception {
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context())) {
            final LoadResult r = OpenLoopEngine.run(new LoadContext().url(server.url()).rate(1000).connections(16)
                .busyPoll(LoadContext.BusyPoll.ON).warmup(Duration.ofMillis(500)).duration(Duration.ofSeconds(2)).quiet(true));
            assertThat(r.loopCpuUsPerRequest).isNotNull();
            // Spinning throughout: ~1000 us per request (the whole gap). Sleeping through the gaps: ~100-150 us.
            assertThat(r.loopCpuUsPerRequest).as("loop CPU us per request").isLessThan(300.0);
            // And the schedule is kept (the stall left half of it unanswered).
            assertThat(r.requests).isGreaterThanOrEqualTo(1980);
        }
    }
}
