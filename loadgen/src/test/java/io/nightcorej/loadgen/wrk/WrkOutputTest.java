package io.nightcorej.loadgen.wrk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.nightcorej.loadgen.report.LoadResult;
import org.junit.jupiter.api.Test;

/** Parsing of recorded wrk2 (-L -U, HdrHistogram spectrum) and Debian wrk 4.1 (--latency) outputs. */
class WrkOutputTest {

    private static String sample(final String name) throws IOException {
        try (InputStream in = WrkOutputTest.class.getResourceAsStream("/wrk-samples/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static WrkRunner.Settings settings(final double rate) {
        final WrkRunner.Settings s = new WrkRunner.Settings();
        s.url = URI.create("http://127.0.0.1:8080/");
        s.rate = rate;
        return s;
    }

    @Test
    void parsesWrk2CorrectedAndUncorrectedTablesAndTheSpectrumFooter() throws IOException {
        final WrkOutput o = WrkOutput.parse(sample("wrk2-home-timeline-R2000-L-U.txt"));
        assertThat(o.hdrTables).isTrue();
        assertThat(o.threads).isEqualTo(2);
        assertThat(o.connections).isEqualTo(100);
        assertThat(o.recorded).containsEntry(50.0, 1150.0).containsEntry(99.0, 2530.0).containsEntry(100.0, 4460.0);
        assertThat(o.uncorrected).containsEntry(50.0, 1100.0).hasSize(8);
        assertThat(o.recordedMaxUs).isCloseTo(4455.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(o.uncorrectedMaxUs).isCloseTo(4399.0, org.assertj.core.data.Offset.offset(0.01));
        final LoadResult r = WrkRunner.toResult(o, true, settings(2000));
        assertThat(r.mode).isEqualTo("open-loop (wrk2)");
        assertThat(r.requests).isEqualTo(59_988L);
        assertThat(r.durationS).isCloseTo(29.99, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.rateAchieved).isEqualTo(2000.27);
        assertThat(r.p50Us).isEqualTo(1150L);
        assertThat(r.p90Us).isEqualTo(1770L);
        assertThat(r.p99Us).isEqualTo(2530L);
        assertThat(r.p999Us).isEqualTo(3220L);
        assertThat(r.maxUs).isEqualTo(4455L);
        assertThat(r.uncorrectedP99Us).isEqualTo(2480L);
        assertThat(r.errors + r.non2xx + r.timeouts).isZero();
        assertThat(r.trustworthy).isTrue();
        assertThat(r.lagP99Us).as("wrk2 does not report send lag").isNull();
    }

    @Test
    void parsesAWrk2RunWithAStallErrorsAndNon2xx() throws IOException {
        final LoadResult r = WrkRunner.toResult(WrkOutput.parse(sample("wrk2-compose-R1500-stall-L-U.txt")), true, settings(1500));
        assertThat(r.p50Us).isEqualTo(2670L);
        assertThat(r.p99Us).isEqualTo(509_180L);
        assertThat(r.p999Us).isEqualTo(960_510L);
        assertThat(r.maxUs).isEqualTo(1_001_983L);
        // The stall is visible only in the corrected (Recorded) table, as wrk2 shows it.
        assertThat(r.uncorrectedP99Us).isEqualTo(6630L);
        assertThat(r.uncorrectedMaxUs).isEqualTo(12_527L);
        assertThat(r.errors).isEqualTo(3L);
        assertThat(r.timeouts).isEqualTo(12L);
        assertThat(r.non2xx).isEqualTo(17L);
        assertThat(r.requests).isEqualTo(44_991L);
        assertThat(r.rateAchieved).isEqualTo(1499.68);
        assertThat(r.trustworthy).isTrue();
        // Asked for more than it achieved: flagged.
        final LoadResult short2 = WrkRunner.toResult(WrkOutput.parse(sample("wrk2-compose-R1500-stall-L-U.txt")), true,
            settings(2000));
        assertThat(short2.trustworthy).isFalse();
    }

    @Test
    void parsesDebianWrkLatencyOutputAsClosedLoop() throws IOException {
        final LoadResult r = WrkRunner.toResult(WrkOutput.parse(sample("debian-wrk-4.1.0-latency.txt")), false, settings(0));
        assertThat(r.mode).isEqualTo("closed-loop (wrk)");
        assertThat(r.rateTarget).isNull();
        assertThat(r.p50Us).as("closed loop has no intended send time, so no corrected latency").isNull();
        assertThat(r.uncorrectedP50Us).isEqualTo(7370L);
        assertThat(r.uncorrectedP90Us).isEqualTo(1_290_000L);
        assertThat(r.uncorrectedP99Us).isEqualTo(1_620_000L);
        assertThat(r.uncorrectedMaxUs).isEqualTo(1_670_000L);
        assertThat(r.requests).isEqualTo(756L);
        assertThat(r.rateAchieved).isEqualTo(375.57);
        assertThat(r.trustworthy).isFalse();
        assertThat(r.untrustworthyReasons.get(0)).contains("closed-loop");
    }

    @Test
    void prefersTheDoneJsonLineAndRejectsNonWrkText() {
        final String text = "Running 1s test @ http://x/\n  1 threads and 2 connections\n"
            + "LOADGEN_DONE {\"requests\":10,\"duration_us\":1000000,\"bytes\":5,\"connect\":1,\"read\":0,\"write\":0,"
            + "\"status\":2,\"timeout\":0,\"p50_us\":100,\"p90_us\":200,\"p99_us\":300,\"p999_us\":400,\"max_us\":500,"
            + "\"mean_us\":120.5}\n";
        final LoadResult r = WrkRunner.toResult(WrkOutput.parse(text), false, settings(0));
        assertThat(r.uncorrectedP999Us).isEqualTo(400L);
        assertThat(r.uncorrectedMaxUs).isEqualTo(500L);
        assertThat(r.errors).isEqualTo(1L);
        assertThat(r.non2xx).isEqualTo(2L);
        assertThat(r.rateAchieved).isEqualTo(10.0);
        assertThatThrownBy(() -> WrkOutput.parse("hello\n")).hasMessageContaining("not wrk/wrk2 output");
        assertThat(WrkOutput.parseMicros("1.50s")).isEqualTo(1_500_000.0);
        assertThat(WrkOutput.parseMicros("2.00m")).isEqualTo(120_000_000.0);
    }
}
