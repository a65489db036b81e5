package io.nightcorej.analysis;

import java.util.List;

/**
 * The highest offered load a system sustains under the p99 SLO (the paper compares systems "at equal tail
 * latency"; its Figure 7 reads the throughput where each p99 curve crosses the SLO).
 *
 * <p>Rule, on the levels of one system sorted by offered QPS, using only usable levels (measured, and not flagged
 * {@code trustworthy: false} by loadgen):
 * <ol>
 *   <li>A level <em>passes</em> when p99 ≤ SLO, achieved ≥ {@code minAchievedRatio} × offered (default 95 %) and
 *       the error ratio ≤ {@code maxErrorRatio} (default 1 %).</li>
 *   <li>Take the highest passing level L. No passing level: the knee is {@link Kind#NONE} (below the lowest level).
 *       L is the highest level measured: the knee is a {@link Kind#LOWER_BOUND} (the system did not saturate).</li>
 *   <li>Otherwise, with N the next level above L: if N's p99 exceeds the SLO, interpolate linearly between
 *       (L, p99<sub>L</sub>) and (N, p99<sub>N</sub>) to the offered QPS where p99 reaches the SLO
 *       ({@link Kind#INTERPOLATED}), capped at N's achieved QPS when that is higher than L (a system cannot be
 *       credited with more than it delivered). If N failed only on throughput or errors, the knee is L
 *       ({@link Kind#AT_LEVEL}).</li>
 * </ol>
 */
public final class KneeSearch {

    public enum Kind {
        INTERPOLATED("interpolated"), AT_LEVEL("at a measured level"), LOWER_BOUND("≥ (never saturated)"),
        NONE("below the lowest level");

        public final String label;

        Kind(String label) {
            this.label = label;
        }

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** The knee: offered QPS, p99 there (ms) and how it was obtained. qps is 0 for {@link Kind#NONE}. */
    public record Knee(double qps, double p99Ms, Kind kind, String note) {
    }

    private final double sloP99Ms;
    private final double minAchievedRatio;
    private final double maxErrorRatio;

    public KneeSearch(double sloP99Ms, double minAchievedRatio, double maxErrorRatio) {
        this.sloP99Ms = sloP99Ms;
        this.minAchievedRatio = minAchievedRatio;
        this.maxErrorRatio = maxErrorRatio;
    }

    public boolean passes(Level l) {
        return l.usable() && l.p99Ms() <= sloP99Ms && l.achievedQps() >= minAchievedRatio * l.offeredQps()
            && l.errorRatio() <= maxErrorRatio;
    }

    public Knee find(List<Level> levels) {
        List<Level> usable = levels.stream().filter(Level::usable).toList();
        if (usable.isEmpty()) return new Knee(0, Double.NaN, Kind.NONE, "no usable level");
        int last = -1;
        for (int i = 0; i < usable.size(); i++) {
            if (passes(usable.get(i))) last = i;
        }
        if (last < 0) {
            Level lowest = usable.get(0);
            return new Knee(0, Double.NaN, Kind.NONE, String.format(java.util.Locale.ROOT,
                "lowest level %s QPS already fails (p99 %.1f ms, achieved %.0f)", ExperimentRunner.fmtQps(
                    lowest.offeredQps()), lowest.p99Ms(), lowest.achievedQps()));
        }
        Level pass = usable.get(last);
        String nonMonotone = "";
        for (int i = 0; i < last; i++) {
            if (!passes(usable.get(i))) nonMonotone = "; a lower level failed (noisy curve)";
        }
        if (last == usable.size() - 1) {
            return new Knee(pass.offeredQps(), pass.p99Ms(), Kind.LOWER_BOUND,
                "every level up to the highest meets the SLO" + nonMonotone);
        }
        Level next = usable.get(last + 1);
        if (next.p99Ms() > sloP99Ms && next.p99Ms() > pass.p99Ms()) {
            double f = (sloP99Ms - pass.p99Ms()) / (next.p99Ms() - pass.p99Ms());
            double q = pass.offeredQps() + f * (next.offeredQps() - pass.offeredQps());
            String cap = "";
            if (next.achievedQps() > pass.offeredQps() && q > next.achievedQps()) {
                q = next.achievedQps();
                cap = ", capped at the next level's achieved QPS";
            } else if (next.achievedQps() <= pass.offeredQps()) {
                q = pass.offeredQps();
                cap = ", the next level delivered less than this one";
            }
            return new Knee(q, Math.min(sloP99Ms, Math.max(pass.p99Ms(), interpolateP99(pass, next, q))),
                cap.contains("delivered") ? Kind.AT_LEVEL : Kind.INTERPOLATED,
                "between " + ExperimentRunner.fmtQps(pass.offeredQps()) + " and "
                    + ExperimentRunner.fmtQps(next.offeredQps()) + " QPS" + cap + nonMonotone);
        }
        return new Knee(pass.offeredQps(), pass.p99Ms(), Kind.AT_LEVEL,
            "next level fails on throughput or errors" + nonMonotone);
    }

    private static double interpolateP99(Level a, Level b, double q) {
        if (b.offeredQps() == a.offeredQps()) return a.p99Ms();
        return a.p99Ms() + (q - a.offeredQps()) / (b.offeredQps() - a.offeredQps()) * (b.p99Ms() - a.p99Ms());
    }

    /**
     * p99 of a curve at an offered QPS, linear between the usable levels around it; NaN outside the measured range
     * (no extrapolation).
     */
    public static double p99At(List<Level> levels, double qps) {
        List<Level> usable = levels.stream().filter(Level::usable).toList();
        for (int i = 0; i < usable.size(); i++) {
            Level l = usable.get(i);
            if (l.offeredQps() == qps) return l.p99Ms();
            if (i + 1 < usable.size() && l.offeredQps() < qps && usable.get(i + 1).offeredQps() > qps) {
                return interpolateP99(l, usable.get(i + 1), qps);
            }
        }
        return Double.NaN;
    }
}
