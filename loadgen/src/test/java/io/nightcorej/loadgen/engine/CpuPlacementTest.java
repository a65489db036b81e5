package io.nightcorej.loadgen.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nightcorej.loadgen.calibrate.TrivialHttpServer;
import io.nightcorej.loadgen.report.LoadResult;
import io.nightcorej.loadgen.wrk.WrkRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The calibration's placement: only the event-loop thread goes on the generator CPU (the rest of the JVM stays where
 * it is), busy-poll stays on for a pinned loop whatever the JVM's own affinity mask, and the work per request is
 * reported beside the loop's CPU per request.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CpuPlacementTest {

    @Test
    void pinsOnlyTheCallingThread() throws Exception {
        assumeTrue(WrkRunner.onPath("taskset").isPresent(), "taskset is not on PATH");
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "no /proc/thread-self (not Linux)");
        final String before = allowed("/proc/thread-self/status");
        final String first = before.split("[,-]")[0];
        final String[] seen = new String[2];
        final Thread t = new Thread(() -> {
            try {
                assertThat(CpuAffinity.currentTid()).isPositive();
                seen[0] = CpuAffinity.pinCurrentThread(first);
                seen[1] = allowed("/proc/thread-self/status");
            } catch (Exception e) {
                seen[0] = e.toString();
            }
        });
        t.start();
        t.join(20_000);
        assertThat(seen[0]).startsWith("tid ").endsWith("-> CPU " + first);
        assertThat(seen[1]).isEqualTo(first);
        // The pinning was per thread: this thread's mask is unchanged.
        assertThat(allowed("/proc/thread-self/status")).isEqualTo(before);
    }

    @Test
    void autoBusyPollSpinsForAPinnedLoopEvenUnderAOneCpuMask() {
        final LoadContext c = new LoadContext().url(java.net.URI.create("http://127.0.0.1:1/")).rate(50_000);
        assertThat(c.loopCpus("0").spins()).isTrue();
        assertThat(c.loopCpus(null).rate(1000).spins()).isFalse();
        assertThat(c.busyPoll(LoadContext.BusyPoll.OFF).loopCpus("0").rate(50_000).spins()).isFalse();
    }

    @Test
    void reportsWorkPerRequestAndEqualsTheCpuFigureWhenTheLoopSleeps() throws Exception {
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context())) {
            final LoadResult r = OpenLoopEngine.run(new LoadContext().url(server.url()).rate(2000).connections(8)
                .busyPoll(LoadContext.BusyPoll.OFF).warmup(Duration.ofMillis(500)).duration(Duration.ofSeconds(1)).quiet(true));
            assertThat(r.requests).isPositive();
            assertThat(r.loopCpuUsPerRequest).isNotNull();
            // A sleeping loop never spins: all of its CPU time is work.
            assertThat(r.loopBusyUsPerRequest).isEqualTo(r.loopCpuUsPerRequest);
            assertThat(r.toMap()).containsKeys("loop_busy_us_per_request", "loop_placement");
            assertThat(r.loopPlacement).isNull();
        }
    }

    private static String allowed(final String status) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of(status))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return "";
    }
}
