package io.nightcorej.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * One offered QPS level of one system and workload, aggregated over its repetitions: medians of the usable
 * repetitions, and the p99 range across them (the spread a reader needs to judge a difference).
 */
public record Level(double offeredQps, double achievedQps, double p50Ms, double p99Ms, double p99MinMs,
                    double p99MaxMs, double errorRatio, int usableReps, int generatorLimitedReps, int saturatedReps,
                    int failedReps, List<PointResult> points) {

    public boolean usable() {
        return usableReps > 0;
    }

    /**
     * loadgen found the server saturated beyond its tolerance (more than 1 % of sends waited for a free connection)
     * in most of the usable repetitions: the level fails the knee rule whatever its p99, like one that does not
     * deliver the offered rate. ({@link #saturatedReps} counts every saturated repetition, for the flags.)
     */
    public boolean saturated() {
        long beyond = points.stream().filter(p -> p.usable() && p.saturatedBeyondBound()).count();
        return usableReps > 0 && 2 * beyond > usableReps;
    }

    /** Groups one system's points by offered level, sorted by offered QPS (unusable levels included). */
    public static List<Level> of(List<PointResult> points) {
        return of(points, false);
    }

    /**
     * @param includeFlagged also count points where the generator fell behind (only for the report's clearly
     *                       labelled "indicative" column on a machine too busy for trusted points; never for the
     *                       verdicts)
     */
    public static List<Level> of(List<PointResult> points, boolean includeFlagged) {
        Map<Double, List<PointResult>> byQps = new TreeMap<>();
        for (PointResult p : points) byQps.computeIfAbsent(p.offeredQps(), q -> new ArrayList<>()).add(p);
        List<Level> levels = new ArrayList<>();
        byQps.forEach((q, ps) -> levels.add(aggregate(q, ps, includeFlagged)));
        return levels;
    }

    static Level aggregate(double offered, List<PointResult> ps, boolean includeFlagged) {
        List<PointResult> usable = ps.stream().filter(p -> includeFlagged ? p.ok() : p.usable()).toList();
        int generatorLimited = (int) ps.stream().filter(PointResult::generatorLimited).count();
        int saturated = (int) usable.stream().filter(PointResult::saturated).count();
        int failed = (int) ps.stream().filter(p -> !p.ok()).count();
        return new Level(offered, median(usable, PointResult::achievedQps), median(usable, PointResult::p50Ms),
            median(usable, PointResult::p99Ms), usable.stream().mapToDouble(PointResult::p99Ms).min().orElse(Double.NaN),
            usable.stream().mapToDouble(PointResult::p99Ms).max().orElse(Double.NaN),
            median(usable, PointResult::errorRatio), usable.size(), generatorLimited, saturated, failed, ps);
    }

    static double median(List<PointResult> ps, ToDoubleFunction<PointResult> f) {
        return median(ps.stream().mapToDouble(f).toArray());
    }

    public static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
