package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * One measured (or failed) point of a run directory: what was offered, what loadgen reported, and the engine stats.
 * Latencies are in milliseconds, from loadgen's coordinated-omission-corrected percentiles.
 */
public record PointResult(String workload, String system, double offeredQps, int repetition, boolean ok, String error,
                          double achievedQps, double p50Ms, double p99Ms, double p999Ms, long requests, long errors,
                          boolean trustworthy, String untrustworthyReasons, JsonNode stats, HlogSummary hlog,
                          Path dir) {

    /** Measured and not flagged by loadgen as having fallen behind its schedule: usable for the knee search. */
    public boolean usable() {
        return ok && trustworthy;
    }

    /** Failed requests (errors + non-2xx + timeouts) per request sent. */
    public double errorRatio() {
        return requests <= 0 ? (ok ? 0 : 1) : (double) errors / requests;
    }
}
