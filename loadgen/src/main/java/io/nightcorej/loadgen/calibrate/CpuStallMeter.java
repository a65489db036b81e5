package io.nightcorej.loadgen.calibrate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much of its CPU a thread actually gets: spin reading {@link System#nanoTime()} and count the gaps between
 * consecutive reads (jHiccup's idea, without the JVM pauses being the point). A gap is time the thread did not run:
 * preempted by another thread on the same CPU, or the whole (virtual) CPU taken away by the hypervisor.
 *
 * <p>Why {@code calibrate} runs it: an open-loop generator cannot send on time while its CPU is gone. If more than
 * about 1 % of the time is lost in gaps longer than the lag bound, a send-lag p99 under that bound is out of reach for
 * <em>any</em> generator on that CPU, however lean, and "not held" says so about the machine, not the generator.
 */
public final class CpuStallMeter {
    private static final long SMALL_GAP_NS = 50_000;

    private CpuStallMeter() {
    }

    /**
     * Spins on the calling thread for {@code duration}.
     *
     * @param duration how long to spin (the thread's CPU is fully used meanwhile).
     * @param boundNs gaps longer than this are the ones that break a lag bound of the same size.
     * @return {@code seconds}, {@code lost_pct_over_50us}, {@code lost_pct_over_bound}, {@code stalls_over_bound},
     *         {@code stalls_over_5ms}, {@code max_stall_ms}, {@code bound_us}.
     */
    public static Map<String, Object> measure(final Duration duration, final long boundNs) {
        final long durationNs = duration.toNanos();
        final long start = System.nanoTime();
        long last = start;
        long lostSmall = 0;
        long lostBound = 0;
        long overBound = 0;
        long over5ms = 0;
        long max = 0;
        long now = start;
        while (now - start < durationNs) {
            now = System.nanoTime();
            final long gap = now - last;
            last = now;
            if (gap > SMALL_GAP_NS) {
                lostSmall += gap;
                if (gap > boundNs) {
                    lostBound += gap;
                    overBound++;
                }
                if (gap > 5_000_000) {
                    over5ms++;
                }
                max = Math.max(max, gap);
            }
        }
        final double elapsed = now - start;
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", Math.round(elapsed / 1e7) / 100.0);
        m.put("lost_pct_over_50us", Math.round(10_000.0 * lostSmall / elapsed) / 100.0);
        m.put("lost_pct_over_bound", Math.round(10_000.0 * lostBound / elapsed) / 100.0);
        m.put("stalls_over_bound", overBound);
        m.put("stalls_over_5ms", over5ms);
        m.put("max_stall_ms", Math.round(max / 1e4) / 100.0);
        m.put("bound_us", boundNs / 1000);
        return m;
    }
}
