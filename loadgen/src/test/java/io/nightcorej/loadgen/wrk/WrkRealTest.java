package io.nightcorej.loadgen.wrk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nightcorej.loadgen.calibrate.TrivialHttpServer;
import io.nightcorej.loadgen.report.LoadResult;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Debian's real wrk against a local server and parses what it printed. Skipped (with the reason) when wrk is not
 * installed, unless {@code NIGHTCORE_REQUIRE_WRK=1}, which turns the absence into a failure (CI sets it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WrkRealTest {

    @BeforeEach
    void requireWrk() {
        final boolean present = WrkRunner.onPath("wrk").isPresent();
        if (!present && "1".equals(System.getenv("NIGHTCORE_REQUIRE_WRK"))) {
            throw new AssertionError("NIGHTCORE_REQUIRE_WRK=1 but wrk is not on PATH (apt-get install wrk)");
        }
        Assumptions.assumeTrue(present, "wrk is not on PATH (apt-get install wrk); set NIGHTCORE_REQUIRE_WRK=1 to fail instead");
    }

    @Test
    void parsesRealWrkOutputIntoTheResultModel() throws Exception {
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context())) {
            final WrkRunner.Settings s = new WrkRunner.Settings();
            s.tool = WrkRunner.Tool.WRK;
            s.url = server.url();
            s.workload = "nop-post";
            s.connections = 4;
            s.duration = Duration.ofSeconds(1);
            final LoadResult r = WrkRunner.run(s);
            assertThat(r.mode).isEqualTo("closed-loop (wrk)");
            assertThat(r.requests).isGreaterThan(10L);
            assertThat(r.rateAchieved).isGreaterThan(10.0);
            assertThat(r.errors + r.non2xx + r.timeouts).isZero();
            // From the generated done() JSON: percentiles wrk's --latency table does not print.
            assertThat(r.uncorrectedP999Us).isNotNull().isPositive();
            assertThat(r.uncorrectedMaxUs).isGreaterThanOrEqualTo(r.uncorrectedP99Us);
            assertThat(r.command).contains("--latency");
            assertThat(r.trustworthy).isFalse();
        }
    }

    @Test
    void runsANightcoreStyleScriptWhoseInitTakesANumericSeed(@TempDir final Path dir) throws Exception {
        // NC scripts do math.randomseed(rand_seed) in init(); Debian wrk passes a table, the wrapper retries with a number.
        final Path script = dir.resolve("nc.lua");
        Files.writeString(script, """
            function init(rand_seed)
              math.randomseed(rand_seed)
            end
            request = function(req_id)
              local body = "user_id=" .. tostring(math.random(1, 962)) .. "&followee_id=" .. tostring(math.random(1, 962))
              return wrk.format("POST", "/wrk2-api/user/follow", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
            end
            """);
        try (TrivialHttpServer server = TrivialHttpServer.start(new TrivialHttpServer.Context().status(404))) {
            final WrkRunner.Settings s = new WrkRunner.Settings();
            s.tool = WrkRunner.Tool.WRK;
            s.url = server.url();
            s.script = script;
            s.connections = 2;
            s.duration = Duration.ofSeconds(1);
            final LoadResult r = WrkRunner.run(s);
            assertThat(r.requests).isGreaterThan(10L);
            assertThat(r.non2xx).as("404s are counted as non-2xx").isEqualTo(r.requests);
        }
    }
}
