package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A run directory read back: {@code run.json} plus every {@code points/.../point.json} with its loadgen result. */
public record RunData(Path dir, JsonNode run, List<PointResult> points) {

    public static RunData load(Path dir) throws IOException {
        Path runJson = dir.resolve("run.json");
        JsonNode run = Files.exists(runJson) ? Json.read(runJson) : MissingNode.getInstance();
        List<PointResult> points = new ArrayList<>();
        Path pointsDir = dir.resolve("points");
        if (Files.isDirectory(pointsDir)) {
            try (var walk = Files.walk(pointsDir)) {
                for (Path p : walk.filter(f -> f.getFileName().toString().equals("point.json")).sorted().toList()) {
                    points.add(readPoint(p.getParent()));
                }
            }
        }
        points.sort(Comparator.comparing(PointResult::workload).thenComparing(PointResult::system)
            .thenComparingDouble(PointResult::offeredQps).thenComparingInt(PointResult::repetition));
        return new RunData(dir, run, points);
    }

    private static String reasons(JsonNode lg) {
        List<String> r = new ArrayList<>();
        lg.path("untrustworthy_reasons").forEach(n -> r.add(n.asText()));
        return String.join("; ", r);
    }

    static PointResult readPoint(Path pointDir) throws IOException {
        JsonNode point = Json.read(pointDir.resolve("point.json"));
        boolean ok = "ok".equals(point.path("status").asText());
        String error = point.path("error").asText(null);
        Path loadgenFile = pointDir.resolve("loadgen.json");
        JsonNode lg = Files.exists(loadgenFile) ? Json.read(loadgenFile) : MissingNode.getInstance();
        if (ok && lg.isMissingNode()) {
            ok = false;
            error = "loadgen.json missing";
        }
        long requests = lg.path("requests").asLong(0);
        long errors = lg.path("errors").asLong(0) + lg.path("non_2xx").asLong(0) + lg.path("timeouts").asLong(0);
        Path statsFile = pointDir.resolve("stats.json");
        JsonNode stats = Files.exists(statsFile) ? Json.read(statsFile) : null;
        Path beforeFile = pointDir.resolve("stats-before.json");
        JsonNode statsBefore = Files.exists(beforeFile) ? Json.read(beforeFile) : null;
        HlogSummary hlog = null;
        Path hlogFile = pointDir.resolve("latency.hlog");
        if (Files.exists(hlogFile)) {
            try {
                hlog = HlogSummary.read(hlogFile);
            } catch (IOException e) {
                error = (error == null ? "" : error + "; ") + e.getMessage();
            }
        }
        return new PointResult(point.path("workload").asText(), point.path("system").asText(),
            point.path("offered_qps").asDouble(), point.path("repetition").asInt(1), ok, error,
            lg.path("rate_achieved").asDouble(Double.NaN), lg.path("p50_us").asDouble(Double.NaN) / 1000.0,
            lg.path("p99_us").asDouble(Double.NaN) / 1000.0, lg.path("p999_us").asDouble(Double.NaN) / 1000.0,
            requests, errors, lg.path("trustworthy").asBoolean(true), reasons(lg), stats, hlog, pointDir,
            BehindCause.of(lg), statsBefore);
    }
}
