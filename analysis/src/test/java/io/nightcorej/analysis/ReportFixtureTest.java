package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The report over the checked-in fixture run ({@code src/test/resources/fixture-run}: SocialNetwork mixed, three
 * systems, two repetitions, one untrustworthy and one failed point). Expected knees, worked by hand from the
 * fixture's p99 medians with a 50 ms SLO:
 * RPC 200 QPS (32 ms) → 300 QPS (100 ms): 200 + 18/68·100 = 226.47;
 * Nightcore 300 QPS (31 ms) → 400 QPS (70 ms, rep 2 untrustworthy): 300 + 19/39·100 = 348.72;
 * OpenFaaS 50 QPS (46 ms) → 75 QPS (210 ms): 50 + 4/164·25 = 50.61.
 */
class ReportFixtureTest {
    @TempDir
    static Path tmp;
    static Path run;
    static JsonNode summary;
    static String markdown;

    @BeforeAll
    static void writeReport() throws IOException {
        run = tmp.resolve("fixture-run");
        Path src = Path.of("src/test/resources/fixture-run");
        try (var walk = Files.walk(src)) {
            for (Path p : walk.toList()) {
                Path dst = run.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(p, dst);
                }
            }
        }
        Report.write(run);
        summary = Json.read(run.resolve("summary.json"));
        markdown = Files.readString(run.resolve("report.md"));
    }

    @Test
    void summaryHasEachSystemsKneeAndTheRatios() {
        JsonNode w = summary.path("workloads").path("socialnetwork-mixed");
        assertThat(w.path("systems").path("rpc").path("knee_qps").asDouble()).isCloseTo(226.5, within(0.05));
        assertThat(w.path("systems").path("nightcore").path("knee_qps").asDouble()).isCloseTo(348.7, within(0.05));
        assertThat(w.path("systems").path("openfaas").path("knee_qps").asDouble()).isCloseTo(50.6, within(0.05));
        assertThat(w.path("systems").path("rpc").path("knee_kind").asText()).isEqualTo("interpolated");
        assertThat(w.path("nightcore_over_rpc").asDouble()).isCloseTo(348.718 / 226.471, within(0.002));
        assertThat(w.path("nightcore_over_openfaas").asDouble()).isCloseTo(348.718 / 50.610, within(0.01));
        // At 226.47 QPS: RPC p99 = 50 ms (its knee), Nightcore 11 + 0.2647·20 = 16.29 ms.
        assertThat(w.path("p99_reduction_vs_rpc").asDouble()).isCloseTo(1 - 16.294 / 50, within(0.002));
    }

    @Test
    void verdictsPlaceTheRatiosAgainstThePaper() {
        JsonNode w = summary.path("workloads").path("socialnetwork-mixed");
        assertThat(w.path("verdict_throughput_vs_rpc").asText()).isEqualTo("reproduced: within the paper's range");
        assertThat(w.path("verdict_p99_vs_rpc").asText()).startsWith("reproduced in direction");
        assertThat(w.path("verdict_throughput_vs_openfaas").asText()).startsWith("consistent with the paper");
        assertThat(markdown).contains("| socialnetwork-mixed | throughput at the p99 SLO, Nightcore-J ÷ RPC servers "
            + "| 1.36×–2.93× | 1.54×");
        assertThat(markdown).contains("−69 %");
    }

    @Test
    void repetitionsShowSpread() {
        JsonNode w = summary.path("workloads").path("socialnetwork-mixed");
        // Per repetition: Nightcore 350 and ≥300 (rep 2's 400 QPS point is excluded), RPC 233.3 and 221.1.
        assertThat(w.path("nightcore_over_rpc_reps").get(0).asDouble()).isCloseTo(300 / 221.053, within(0.002));
        assertThat(w.path("nightcore_over_rpc_reps").get(2).asDouble()).isCloseTo(350 / 233.333, within(0.002));
        assertThat(markdown).contains("p99 range over reps").contains("30.00–34.00");
    }

    @Test
    void untrustworthyAndFailedPointsAreFlagged() {
        assertThat(summary.path("points_untrustworthy").asInt()).isEqualTo(1);
        assertThat(summary.path("points_failed").asInt()).isEqualTo(1);
        assertThat(markdown).contains("loadgen reported trustworthy=false")
            .contains("failed: stack up failed: exit code 1: openfaas watchdog did not start");
    }

    @Test
    void perHopBreakdownComesFromTheEngineStatsAtTheKneeLevel() {
        assertThat(markdown).contains("socialnetwork-mixed at 300 offered QPS")
            .contains("| ComposePostService | 1500 | 0 | 1800 | 2.50 | 30 / 300 | 35 / 90 | 900 / 2500 | 960 / 2900 |")
            .contains("Percentiles and τ are cumulative since the engine started");
    }

    /**
     * Per-point deltas from stats-before.json and stats.json of nightcore 300 QPS rep 1: engine calls
     * (1800−300) + (2400−400) + (1800−300) = 5000, failures 1−0; gateway calls 1500 + 2000 = 3500 with mean
     * ((1100·1800 − 1000·300) + (460·2400 − 500·400)) / 3500 = 2,584,000 / 3500 = 738.3 µs.
     */
    @Test
    void perPointCountsAreDifferencesOfTheSnapshots() {
        assertThat(markdown).contains("| 300 | 1 | 5000 | 1 | 3500 | 738 |  |");
    }

    @Test
    void writesHtmlAndPlots() throws IOException {
        assertThat(Files.readString(run.resolve("index.html"))).contains("<table>").contains("latency-socialnetwork-mixed.png");
        for (String png : new String[] {"latency-socialnetwork-mixed.png", "throughput-socialnetwork-mixed.png",
            "per-hop-socialnetwork-mixed.png"}) {
            byte[] head = Files.readAllBytes(run.resolve(png));
            assertThat(head.length).isGreaterThan(1000);
            assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    @Test
    void hlogIsCrossCheckedAgainstTheJson() throws IOException {
        HlogSummary h = HlogSummary.read(run.resolve("points/socialnetwork-mixed/rpc/qps-200-rep-1/latency.hlog"));
        // Only the "corrected" interval counts (the "uncorrected" one in the same file has 1000 other values).
        assertThat(h.count()).isEqualTo(1000);
        assertThat(h.p99Us()).isCloseTo(30_000, within(30.0));
        assertThat(markdown).doesNotContain("hlog p99");
    }
}
