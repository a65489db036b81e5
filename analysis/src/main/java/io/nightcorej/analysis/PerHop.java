package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Nightcore engine's per-function breakdown from a gateway {@code /stats} snapshot (CONTRACTS.md
 * "Engine STATS_REPLY JSON"): time queued in the engine before a worker took the call, the engine's dispatch
 * overhead, and processing inside the worker. Histograms are cumulative since engine start, so a snapshot
 * taken after a point covers the data load, the warm-up and every earlier point of the same stack session.
 */
final class PerHop {
    record Row(String function, long calls, long failures, double tau, double queueingP50Us, double queueingP99Us,
               double dispatchP50Us, double dispatchP99Us, double processingP50Us, double processingP99Us,
               double totalP50Us, double totalP99Us) {
    }

    private PerHop() {
    }

    static List<Row> rows(JsonNode stats) {
        List<Row> rows = new ArrayList<>();
        if (stats == null) return rows;
        for (JsonNode engine : stats.path("engines")) {
            Iterator<Map.Entry<String, JsonNode>> it = engine.path("functions").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode f = e.getValue();
                rows.add(new Row(e.getKey(), f.path("calls").asLong(), f.path("failures").asLong(),
                    f.path("tau").asDouble(Double.NaN),
                    pct(f, "queueing_us", "p50"), pct(f, "queueing_us", "p99"),
                    pct(f, "dispatch_overhead_us", "p50"), pct(f, "dispatch_overhead_us", "p99"),
                    pct(f, "processing_us", "p50"), pct(f, "processing_us", "p99"),
                    pct(f, "total_us", "p50"), pct(f, "total_us", "p99")));
            }
        }
        return rows;
    }

    private static double pct(JsonNode f, String hist, String p) {
        JsonNode v = f.path(hist).path(p);
        return v.isNumber() ? v.asDouble() : Double.NaN;
    }
}
