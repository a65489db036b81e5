package io.nightcorej.loadgen.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The result of one load run, whichever tool produced it (our open-loop engine, wrk2 or wrk). It prints as one line of
 * JSON with snake_case keys; that line is the last line every {@code bin/loadgen} command prints.
 *
 * <p>Latency keys without a prefix ({@code p50_us} ...) are <b>corrected</b>: measured from the intended send time of
 * the schedule, so a stalled server or a generator that fell behind shows up in them (wrk2's "Recorded Latency").
 * {@code uncorrected_*} are measured from the actual send (wrk2 {@code -U}). {@code lag_*} is how late the generator
 * actually sent relative to the schedule. A {@code null} value means the tool cannot know it (e.g. wrk has no lag).
 */
public final class LoadResult {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** "open-loop", "closed-loop (wrk)", "open-loop (wrk2)". */
    public String mode;
    /** Workload name (or the Lua script for wrk). */
    public String workload;
    /** URL given. */
    public String url;
    /** Requested rate, req/s (null for closed-loop wrk). */
    public Double rateTarget;
    /** Completed responses (any status) of measured requests per second of measured duration. */
    public double rateAchieved;
    /** Measured requests actually sent per second of measured duration (null when unknown). */
    public Double rateSent;
    /** Completed responses of measured requests (2xx and non-2xx). */
    public long requests;
    /** Connection-level failures: connect/read/write errors, resets, malformed responses. */
    public long errors;
    /** Responses with a status outside 200..299 (not in the latency histograms). */
    public long non2xx;
    /** Requests with no response within the timeout. */
    public long timeouts;
    /** Corrected percentiles of 2xx responses, µs. */
    public Long p50Us;
    /** Corrected p90. */
    public Long p90Us;
    /** Corrected p99. */
    public Long p99Us;
    /** Corrected p99.9. */
    public Long p999Us;
    /** Corrected max. */
    public Long maxUs;
    /** Corrected mean. */
    public Double meanUs;
    /** Uncorrected p50, µs. */
    public Long uncorrectedP50Us;
    /** Uncorrected p90. */
    public Long uncorrectedP90Us;
    /** Uncorrected p99. */
    public Long uncorrectedP99Us;
    /** Uncorrected p99.9. */
    public Long uncorrectedP999Us;
    /** Uncorrected max. */
    public Long uncorrectedMaxUs;
    /** Sends more than {@link #lateThresholdUs} behind schedule. */
    public Long lateSends;
    /** Threshold for {@link #lateSends}. */
    public Long lateThresholdUs;
    /** Measured requests that had to wait for a free connection (all busy when they were due): sent late or unsent. */
    public Long noFreeConnection;
    /** Measured requests whose send time had come but that were never sent before the end. */
    public Long unsent;
    /**
     * Measured sends that had to wait for a free connection (all connections busy): the server was saturated (or
     * {@code --connections} too low for rate × latency). Their lag is valid wrk2-style coordinated-omission-corrected
     * latency, not a generator defect. Null for wrappers.
     */
    public Long saturatedSends;
    /** Measured sends more than the late threshold behind schedule although a connection was free: the generator's own
     * timer/CPU lag. Null for wrappers. */
    public Long generatorLateSends;
    /** Send-lag p99 of the measured sends that found a connection free (the generator's own lag), µs. Null for wrappers. */
    public Long generatorLagP99Us;
    /** Send-lag max of those sends, µs. Null for wrappers. */
    public Long generatorLagMaxUs;
    /** Why sends fell behind: {@code none}, {@code server-saturated} or {@code generator} (README "behind_cause"). Null for wrappers. */
    public String behindCause;
    /** Send lag p50, µs. */
    public Long lagP50Us;
    /** Send lag p99, µs. */
    public Long lagP99Us;
    /** Send lag p99.9, µs. */
    public Long lagP999Us;
    /** Send lag max, µs. */
    public Long lagMaxUs;
    /** The bound lag p99 must stay under to be trustworthy. */
    public Long lagBoundUs;
    /** Verdict on the generator (not on the server): see {@link #untrustworthyReasons}. */
    public boolean trustworthy;
    /** Why not trustworthy; empty when trustworthy. */
    public List<String> untrustworthyReasons = new ArrayList<>();
    /** Measured seconds. */
    public double durationS;
    /** Warm-up seconds (not recorded). */
    public double warmupS;
    /** Connections. */
    public int connections;
    /** Seed. */
    public Long seed;
    /** "constant" or "poisson" (null for wrk). */
    public String arrival;
    /** Netty transport, or the external tool. */
    public String transport;
    /** Per-operation completed counts (e.g. compose-post: n). */
    public Map<String, Long> operations = new LinkedHashMap<>();
    /**
     * CPU time of the generator's event-loop thread per request sent in the measured phase and drain, µs (thread CPU
     * time, so it does not count time spent waiting for a CPU): 1e6 divided by it bounds the
     * rate one dedicated core could sustain, whatever else the machine is doing. Null for wrappers.
     */
    public Double loopCpuUsPerRequest;
    /**
     * {@link #loopCpuUsPerRequest} minus the busy-poll spinning: event-loop CPU time less the wall time of poll turns
     * that found no I/O and sent nothing, per request, µs (an estimate: a preemption inside an idle turn counts as idle).
     * This is the work a request costs; with busy-poll the plain CPU figure is ~1e6/rate whatever the work. Equal to
     * it when the loop sleeps. 1e6 divided by it is the rate one dedicated core could sustain. Null for wrappers.
     */
    public Double loopBusyUsPerRequest;
    /** Where the event-loop thread was pinned (e.g. {@code tid 123 -> CPU 0}), or null if not pinned. */
    public String loopPlacement;
    /** .hlog written, if any. */
    public String hlog;
    /** External command, for wrapper runs. */
    public List<String> command;

    /**
     * @return the result as an ordered map with the JSON key names.
     */
    public Map<String, Object> toMap() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("workload", workload);
        m.put("url", url);
        m.put("rate_target", rateTarget);
        m.put("rate_achieved", round2(rateAchieved));
        m.put("rate_sent", rateSent == null ? null : round2(rateSent));
        m.put("requests", requests);
        m.put("errors", errors);
        m.put("non_2xx", non2xx);
        m.put("timeouts", timeouts);
        m.put("p50_us", p50Us);
        m.put("p90_us", p90Us);
        m.put("p99_us", p99Us);
        m.put("p999_us", p999Us);
        m.put("max_us", maxUs);
        m.put("mean_us", meanUs == null ? null : round2(meanUs));
        m.put("uncorrected_p50_us", uncorrectedP50Us);
        m.put("uncorrected_p90_us", uncorrectedP90Us);
        m.put("uncorrected_p99_us", uncorrectedP99Us);
        m.put("uncorrected_p999_us", uncorrectedP999Us);
        m.put("uncorrected_max_us", uncorrectedMaxUs);
        m.put("late_sends", lateSends);
        m.put("late_threshold_us", lateThresholdUs);
        m.put("no_free_connection", noFreeConnection);
        m.put("unsent", unsent);
        m.put("saturated_sends", saturatedSends);
        m.put("generator_late_sends", generatorLateSends);
        m.put("generator_lag_p99_us", generatorLagP99Us);
        m.put("generator_lag_max_us", generatorLagMaxUs);
        m.put("behind_cause", behindCause);
        m.put("lag_p50_us", lagP50Us);
        m.put("lag_p99_us", lagP99Us);
        m.put("lag_p999_us", lagP999Us);
        m.put("lag_max_us", lagMaxUs);
        m.put("lag_bound_us", lagBoundUs);
        m.put("trustworthy", trustworthy);
        m.put("untrustworthy_reasons", untrustworthyReasons);
        m.put("duration_s", round2(durationS));
        m.put("warmup_s", round2(warmupS));
        m.put("connections", connections);
        m.put("seed", seed);
        m.put("arrival", arrival);
        m.put("transport", transport);
        m.put("operations", operations);
        m.put("loop_cpu_us_per_request", loopCpuUsPerRequest);
        m.put("loop_busy_us_per_request", loopBusyUsPerRequest);
        m.put("loop_placement", loopPlacement);
        m.put("hlog", hlog);
        if (command != null) {
            m.put("command", command);
        }
        return m;
    }

    /**
     * @return one line of JSON.
     */
    public String toJson() {
        return toJson(toMap());
    }

    /**
     * @param map any JSON-able map.
     * @return one line of JSON.
     */
    public static String toJson(final Map<String, Object> map) {
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise result", e);
        }
    }

    private static double round2(final double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
