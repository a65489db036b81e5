package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * One measured (or failed) point of a run directory: what was offered, what loadgen reported, and the engine stats.
 * Latencies are in milliseconds, from loadgen's coordinated-omission-corrected percentiles.
 *
 * <p>{@code trustworthy} is loadgen's raw verdict; {@code behindCause} says <em>why</em> a point it distrusts was
 * late (see {@link BehindCause}). Only generator-caused lateness makes a point unusable: a server that keeps every
 * connection busy is saturated, and its corrected latencies are exactly the finding (wrk2 semantics).
 */
public record PointResult(String workload, String system, double offeredQps, int repetition, boolean ok, String error,
                          double achievedQps, double p50Ms, double p99Ms, double p999Ms, long requests, long errors,
                          boolean trustworthy, String untrustworthyReasons, JsonNode stats, HlogSummary hlog,
                          Path dir, BehindCause behindCause, JsonNode statsBefore) {

    /** The pre-classification shape (loadgen's flag alone): a distrusted point counts as generator-caused. */
    public PointResult(String workload, String system, double offeredQps, int repetition, boolean ok, String error,
                       double achievedQps, double p50Ms, double p99Ms, double p999Ms, long requests, long errors,
                       boolean trustworthy, String untrustworthyReasons, JsonNode stats, HlogSummary hlog, Path dir) {
        this(workload, system, offeredQps, repetition, ok, error, achievedQps, p50Ms, p99Ms, p999Ms, requests, errors,
            trustworthy, untrustworthyReasons, stats, hlog, dir,
            trustworthy ? BehindCause.NONE_CAUSE : BehindCause.GENERATOR_UNKNOWN, null);
    }

    /**
     * Measured, and not flagged by loadgen for falling behind through its own fault: usable for the knee search.
     * A server-saturated point is usable (and fails the SLO or throughput rule, as it should).
     */
    public boolean usable() {
        return ok && !behindCause.generatorLimited();
    }

    /** loadgen was late because every connection was busy: the server did not keep up with the offered load. */
    public boolean saturated() {
        return ok && behindCause.cause() == BehindCause.Cause.SERVER_SATURATED;
    }

    /**
     * Saturated beyond loadgen's own tolerance: more than {@link BehindCause#ALLOWED_FRACTION} of the sends waited
     * for a free connection. Only then does saturation alone fail the knee rule (a brief stall that made a handful
     * of requests wait shows in p99 already).
     */
    public boolean saturatedBeyondBound() {
        return saturated() && behindCause.saturatedSends() > BehindCause.ALLOWED_FRACTION * Math.max(1, requests);
    }

    /** loadgen itself fell behind (CPU, scheduling): the offered load was not what was asked; excluded. */
    public boolean generatorLimited() {
        return ok && behindCause.generatorLimited();
    }

    /** Failed requests (errors + non-2xx + timeouts) per request sent. */
    public double errorRatio() {
        return requests <= 0 ? (ok ? 0 : 1) : (double) errors / requests;
    }
}
