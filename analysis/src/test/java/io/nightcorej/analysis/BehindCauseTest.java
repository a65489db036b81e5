package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Classification of loadgen results that say {@code trustworthy: false}, on four results copied from the
 * 2026-11-27 05:35 {@code reproduce} run ({@code src/test/resources/loadgen}) plus loadgen's own cause keys.
 */
class BehindCauseTest {
    @TempDir
    Path tmp;

    private static JsonNode fixture(String name) throws IOException {
        return Json.read(Path.of("src/test/resources/loadgen", name));
    }

    /** A point directory around one of the loadgen fixtures. */
    private Path pointDir(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.copy(Path.of("src/test/resources/loadgen", name), dir.resolve("loadgen.json"));
        Files.writeString(dir.resolve("point.json"), "{\"workload\":\"w\",\"system\":\"rpc\",\"offered_qps\":400,"
            + "\"repetition\":1,\"status\":\"ok\"}");
        return dir;
    }

    @Test
    void allConnectionsBusyIsServerSaturation() throws IOException {
        // Nightcore-J at 400 QPS: 4673 of 4759 late sends waited for a free connection (p99 992 ms).
        BehindCause c = BehindCause.of(fixture("nightcore-400-saturated.json"));
        assertThat(c.cause()).isEqualTo(BehindCause.Cause.SERVER_SATURATED);
        assertThat(c.saturatedSends()).isEqualTo(4673);
        assertThat(c.generatorLateSends()).isEqualTo(86);
        assertThat(c.describe()).startsWith("server saturated: 4673 sends waited");
        // 86 generator-late sends are 1.4 % (> 1 %) but outnumbered by the connection waits: the server is the limit.
        PointResult p = RunData.readPoint(pointDir("nightcore-400-saturated.json"));
        assertThat(p.usable()).isTrue();
        assertThat(p.saturatedBeyondBound()).isTrue();
    }

    @Test
    void lateSendsWithFreeConnectionsBeyondLoadgensToleranceAreTheGeneratorsOwnLag() throws IOException {
        // OpenFaaS-style at 200 QPS: 80 of 3000 sends (2.7 % > 1 %) late, none waited for a connection.
        BehindCause c = BehindCause.of(fixture("openfaas-200-generator.json"));
        assertThat(c.cause()).isEqualTo(BehindCause.Cause.GENERATOR);
        assertThat(c.generatorLateSends()).isEqualTo(80);
    }

    @Test
    void aDistrustedPointWithNeitherCauseBeyondToleranceIsJudgedOnItsNumbers() throws IOException {
        // RPC at 400 QPS: 67 late sends, 14 of them for want of a connection (0.23 %); the other 53 are 0.88 % of
        // 6000 sends. Each is within loadgen's 1 %; only together did the lag p99 cross its 10 ms bound.
        BehindCause c = BehindCause.of(fixture("rpc-400-generator.json"));
        assertThat(c.cause()).isEqualTo(BehindCause.Cause.NONE);
        assertThat(c.generatorLateSends()).isEqualTo(53);
        PointResult p = RunData.readPoint(pointDir("rpc-400-generator.json"));
        assertThat(p.trustworthy()).isFalse();
        assertThat(p.usable()).isTrue();
        assertThat(p.saturated()).isFalse();
    }

    @Test
    void aTrustedResultHasNoCause() throws IOException {
        assertThat(BehindCause.of(fixture("nightcore-200-trusted.json")).cause()).isEqualTo(BehindCause.Cause.NONE);
    }

    @Test
    void loadgensOwnCauseWinsOverTheDerivation() throws IOException {
        JsonNode lg = Json.MAPPER.readTree("{\"trustworthy\":false,\"late_sends\":100,\"no_free_connection\":90,"
            + "\"behind_cause\":\"generator\",\"generator_late_sends\":70,\"saturated_sends\":30}");
        BehindCause c = BehindCause.of(lg);
        assertThat(c.cause()).isEqualTo(BehindCause.Cause.GENERATOR);
        assertThat(c.derived()).isFalse();
        assertThat(c.saturatedSends()).isEqualTo(30);
        assertThat(c.generatorLateSends()).isEqualTo(70);
    }

    @Test
    void loadgensNoneOnADistrustedResultKeepsThePoint() throws IOException {
        // loadgen's own rule: neither cause beyond its tolerance, although the lag p99 crossed the bound.
        JsonNode lg = Json.MAPPER.readTree("{\"trustworthy\":false,\"behind_cause\":\"none\",\"saturated_sends\":14,"
            + "\"generator_late_sends\":53}");
        assertThat(BehindCause.of(lg).cause()).isEqualTo(BehindCause.Cause.NONE);
        JsonNode saturated = Json.MAPPER.readTree("{\"trustworthy\":false,\"behind_cause\":\"server-saturated\","
            + "\"saturated_sends\":4673,\"generator_late_sends\":86}");
        assertThat(BehindCause.of(saturated).cause()).isEqualTo(BehindCause.Cause.SERVER_SATURATED);
    }

    @Test
    void aDistrustedResultWithoutCountsIsExcluded() throws IOException {
        // e.g. a wrk2 wrapper: nothing shows the server was the limit.
        JsonNode lg = Json.MAPPER.readTree("{\"trustworthy\":false,\"mode\":\"open-loop (wrk2)\"}");
        assertThat(BehindCause.of(lg).cause()).isEqualTo(BehindCause.Cause.GENERATOR);
    }
}
