package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Nightcore engine's per-function breakdown from gateway {@code /stats} snapshots (CONTRACTS.md
 * "Engine STATS_REPLY JSON"): time queued in the engine before a worker took the call, the engine's dispatch
 * overhead, and processing inside the worker.
 *
 * <p>What a snapshot can and cannot say about one point. The engine's histograms are cumulative since engine start
 * and the stats carry only counts and percentiles (no sums), so:
 * <ul>
 *   <li><b>counts</b> ({@code calls}, {@code failures}) are differenced between the snapshot taken before the
 *       point ({@code stats-before.json}) and after it ({@code stats.json}): exact per-point values;</li>
 *   <li><b>percentiles</b> cannot be differenced (a percentile of a difference of histograms needs the buckets) and
 *       are shown as they are: cumulative over the stack's whole life (data load, warm-ups, earlier points);</li>
 *   <li>the gateway's external per-function {@code calls} and {@code mean} latency allow an exact per-point mean
 *       (sum = mean × calls, differenced).</li>
 * </ul>
 * The before-snapshot is taken before loadgen starts, so the deltas include its warm-up and the drain.
 */
final class PerHop {
    record Row(String function, long calls, long failures, long callsDelta, long failuresDelta, double tau,
               double queueingP50Us, double queueingP99Us, double dispatchP50Us, double dispatchP99Us,
               double processingP50Us, double processingP99Us, double totalP50Us, double totalP99Us) {
    }

    /** One point's totals over all functions: engine calls and failures, gateway external calls and their mean. */
    record PointTotals(long engineCalls, long engineFailures, long gatewayCalls, double gatewayMeanUs) {
    }

    private PerHop() {
    }

    static List<Row> rows(JsonNode stats) {
        return rows(stats, null);
    }

    /** Rows of the after-snapshot; deltas against {@code before} (-1 when there is no before-snapshot). */
    static List<Row> rows(JsonNode stats, JsonNode before) {
        List<Row> rows = new ArrayList<>();
        if (stats == null) return rows;
        for (JsonNode engine : stats.path("engines")) {
            JsonNode beforeFunctions = engineFunctions(before, engine.path("nodeId").asInt(0));
            Iterator<Map.Entry<String, JsonNode>> it = engine.path("functions").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode f = e.getValue();
                JsonNode b = beforeFunctions == null ? null : beforeFunctions.path(e.getKey());
                long calls = f.path("calls").asLong();
                long failures = f.path("failures").asLong();
                rows.add(new Row(e.getKey(), calls, failures,
                    b == null ? -1 : calls - b.path("calls").asLong(0),
                    b == null ? -1 : failures - b.path("failures").asLong(0),
                    f.path("tau").asDouble(Double.NaN),
                    pct(f, "queueing_us", "p50"), pct(f, "queueing_us", "p99"),
                    pct(f, "dispatch_overhead_us", "p50"), pct(f, "dispatch_overhead_us", "p99"),
                    pct(f, "processing_us", "p50"), pct(f, "processing_us", "p99"),
                    pct(f, "total_us", "p50"), pct(f, "total_us", "p99")));
            }
        }
        return rows;
    }

    /** Per-point totals, or null without both snapshots. */
    static PointTotals totals(JsonNode stats, JsonNode before) {
        if (stats == null || before == null) return null;
        long calls = 0;
        long failures = 0;
        for (Row r : rows(stats, before)) {
            calls += r.callsDelta();
            failures += r.failuresDelta();
        }
        long gwCalls = 0;
        double gwSumUs = 0;
        Iterator<Map.Entry<String, JsonNode>> it = stats.path("gateway").path("functions").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode b = before.path("gateway").path("functions").path(e.getKey());
            long c1 = e.getValue().path("calls").asLong(0);
            long c0 = b.path("calls").asLong(0);
            if (c1 <= c0) continue;
            gwCalls += c1 - c0;
            gwSumUs += e.getValue().path("latency_us").path("mean").asDouble(0) * c1
                - b.path("latency_us").path("mean").asDouble(0) * c0;
        }
        return new PointTotals(calls, failures, gwCalls, gwCalls == 0 ? Double.NaN : gwSumUs / gwCalls);
    }

    private static JsonNode engineFunctions(JsonNode stats, int nodeId) {
        if (stats == null) return null;
        for (JsonNode engine : stats.path("engines")) {
            if (engine.path("nodeId").asInt(0) == nodeId) return engine.path("functions");
        }
        return null;
    }

    private static double pct(JsonNode f, String hist, String p) {
        JsonNode v = f.path(hist).path(p);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
