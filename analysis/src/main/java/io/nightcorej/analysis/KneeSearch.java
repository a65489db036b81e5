package io.nightcorej.analysis;

import java.util.List;

/**
 * The highest offered load a system sustains under the p99 SLO (the paper compares systems "at equal tail
 * latency"; its Figure 7 reads the throughput where each p99 curve crosses the SLO).
 *
 * <p>Rule, on the levels of one system sorted by offered QPS, using only usable levels (measured, and not flagged
 * {@code trustworthy: false} by loadgen):
 * <ol>
 *   <li>A level <em>passes</em> when p99 ≤ SLO, achieved ≥ {@code minAchievedRatio} × offered (default 95 %),
 *       the error ratio ≤ {@code maxErrorRatio} (default 1 %), and loadgen did not find the server saturated
 *       (every connection busy: {@link BehindCause}).</li>
 *   <li>Take the highest passing level L. No passing level: the knee is {@link Kind#NONE} (below the lowest level).
 *       L is the highest level measured: the knee is a {@link Kind#LOWER_BOUND} (the system did not saturate).</li>
 *   <li>Otherwise, with N the next level above L: if N's p99 exceeds the SLO, interpolate linearly between
 *       (L, p99<sub>L</sub>) and (N, p99<sub>N</sub>) to the offered QPS where p99 reaches the SLO
 *       ({@link Kind#INTERPOLATED}), capped at N's achieved QPS when that is higher than L (a system cannot be
 *       credited with more than it delivered). If N failed only on throughput, errors or saturation, the knee is L
 *       ({@link Kind#AT_LEVEL}).</li>
 * </ol>
 * Every knee carries its <em>bracket</em>: [L, N], the last passing and the first failing measured level; the
 * true knee lies inside it, the interpolated value is the estimate.
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

    /**
     * The knee: offered QPS, p99 there (ms) and how it was obtained. qps is 0 for {@link Kind#NONE}.
     * {@code lastPassQps} / {@code firstFailQps}: the bracket (NaN where there is no such level).
     */
    public record Knee(double qps, double p99Ms, Kind kind, String note, double lastPassQps, double firstFailQps) {
        public Knee(double qps, double p99Ms, Kind kind, String note) {
            this(qps, p99Ms, kind, note, Double.NaN, Double.NaN);
        }

        /** "[200, 400]", "[200, –]", "[–, 25]". */
        public String bracket() {
            return "[" + (Double.isFinite(lastPassQps) ? ExperimentRunner.fmtQps(Math.rint(lastPassQps)) : "–") + ", "
                + (Double.isFinite(firstFailQps) ? ExperimentRunner.fmtQps(Math.rint(firstFailQps)) : "–") + "]";
        }
    }

    private final double sloP99Ms;
    private final double minAchievedRatio;
    private final double maxErrorRatio;

    public KneeSearch(double sloP99Ms, double minAchievedRatio, double maxErrorRatio) {
        this.sloP99Ms = sloP99Ms;
        this.minAchievedRatio = minAchievedRatio;
        this.maxErrorRatio = maxErrorRatio;
    }

    public double sloP99Ms() {
        return sloP99Ms;
    }

    public boolean passes(Level l) {
        return l.usable() && failures(l).isEmpty();
    }

    /** Why a usable level fails the rule (empty when it passes): the words the report and the runner print. */
    public List<String> failures(Level l) {
        List<String> why = new java.util.ArrayList<>();
        if (!(l.p99Ms() <= sloP99Ms)) {
            why.add(String.format(java.util.Locale.ROOT, "p99 %.1f ms > SLO %.0f ms", l.p99Ms(), sloP99Ms));
        }
        if (!(l.achievedQps() >= minAchievedRatio * l.offeredQps())) {
            why.add(String.format(java.util.Locale.ROOT, "achieved %.1f < %.0f %% of %s QPS", l.achievedQps(),
                minAchievedRatio * 100, ExperimentRunner.fmtQps(l.offeredQps())));
        }
        if (!(l.errorRatio() <= maxErrorRatio)) {
            why.add(String.format(java.util.Locale.ROOT, "errors %.2f %% > %.2f %%", l.errorRatio() * 100,
                maxErrorRatio * 100));
        }
        if (l.saturated()) why.add("server saturated (> 1 % of sends waited for a free connection)");
        return why;
    }

    public Knee find(List<Level> levels) {
        List<Level> usable = levels.stream().filter(Level::usable).toList();
        if (usable.isEmpty()) return new Knee(0, Double.NaN, Kind.NONE, "no usable level");
        Knee k = findUnbracketed(usable);
        double lastPass = Double.NaN;
        double firstFail = Double.NaN;
        for (Level l : usable) {
            if (passes(l) && l.offeredQps() <= Math.max(k.qps(), 0)) lastPass = l.offeredQps();
        }
        for (Level l : usable) {
            boolean above = Double.isNaN(lastPass) || l.offeredQps() > lastPass;
            if (above && !passes(l)) {
                firstFail = l.offeredQps();
                break;
            }
        }
        String note = k.note();
        double top = Double.isFinite(lastPass) ? lastPass : 0;
        double ceiling = Double.isFinite(firstFail) ? firstFail : Double.POSITIVE_INFINITY;
        boolean generatorAbove = levels.stream().anyMatch(l -> !l.usable() && l.generatorLimitedReps() > 0
            && l.offeredQps() > top && l.offeredQps() < ceiling);
        if (generatorAbove && k.kind() == Kind.LOWER_BOUND) {
            note += "; the load generator fell behind at the next level, so it could not be judged";
        }
        return new Knee(k.qps(), k.p99Ms(), k.kind(), note, lastPass, firstFail);
    }

    private Knee findUnbracketed(List<Level> usable) {
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
            "next level fails: " + String.join(", ", failures(next)) + nonMonotone);
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
