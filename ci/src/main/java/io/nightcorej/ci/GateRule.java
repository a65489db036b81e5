package io.nightcorej.ci;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The gate's decision rule for one metric, from its repetitions.
 *
 * <p>Each metric is a ratio of two things measured in the same run (Nightcore-J over RPC), so machine speed
 * cancels; what remains is noise. With n samples (n ≥ {@code minSamples}), median m and interquartile range IQR:
 * <ul>
 *   <li>spread = IQR / |m| ≤ {@code maxSpread}: <b>FAIL</b> if m is beyond the threshold, else <b>PASS</b>;</li>
 *   <li>spread &gt; {@code maxSpread} (a noisy machine): <b>FAIL</b> only if every sample is beyond the threshold,
 *       <b>PASS</b> only if every sample is within it, else <b>INCONCLUSIVE</b>;</li>
 *   <li>fewer than {@code minSamples} usable samples: <b>INCONCLUSIVE</b>.</li>
 * </ul>
 * INCONCLUSIVE does not fail CI; FAIL does, with a message naming the metric, the threshold and the value.
 */
public final class GateRule {

    public enum Verdict { PASS, INCONCLUSIVE, FAIL }

    /** A bound: the metric must stay ≤ max and/or ≥ min. */
    public record Threshold(String metric, Double max, Double min, String what) {
        boolean beyond(double v) {
            return (max != null && v > max) || (min != null && v < min);
        }

        String describe() {
            if (max != null && min != null) return "in [" + fmt(min) + ", " + fmt(max) + "]";
            return max != null ? "≤ " + fmt(max) : "≥ " + fmt(min);
        }
    }

    /** The decision for one metric, with the line CI prints. */
    public record Decision(String metric, Verdict verdict, double median, double spread, double[] samples,
                           String message) {
    }

    private final double maxSpread;
    private final int minSamples;

    public GateRule(double maxSpread, int minSamples) {
        this.maxSpread = maxSpread;
        this.minSamples = minSamples;
    }

    public Decision decide(Threshold t, List<Double> values) {
        double[] s = values.stream().filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue)
            .sorted().toArray();
        if (s.length < minSamples) {
            return new Decision(t.metric(), Verdict.INCONCLUSIVE, median(s), Double.NaN, s, String.format(Locale.ROOT,
                "INCONCLUSIVE %s: only %d of the %d samples needed (threshold %s)", t.metric(), s.length, minSamples,
                t.describe()));
        }
        double m = median(s);
        double iqr = quantile(s, 0.75) - quantile(s, 0.25);
        double spread = m == 0 ? (iqr == 0 ? 0 : Double.POSITIVE_INFINITY) : iqr / Math.abs(m);
        long beyond = Arrays.stream(s).filter(t::beyond).count();
        Verdict v;
        String why;
        if (spread <= maxSpread) {
            v = t.beyond(m) ? Verdict.FAIL : Verdict.PASS;
            why = "median";
        } else if (beyond == s.length) {
            v = Verdict.FAIL;
            why = "noisy (spread " + fmt(spread) + " > " + fmt(maxSpread) + ") but every sample is beyond";
        } else if (beyond == 0) {
            v = Verdict.PASS;
            why = "noisy (spread " + fmt(spread) + " > " + fmt(maxSpread) + ") but every sample is within";
        } else {
            v = Verdict.INCONCLUSIVE;
            why = "spread " + fmt(spread) + " > " + fmt(maxSpread) + " and " + beyond + " of " + s.length
                + " samples beyond";
        }
        String msg = String.format(Locale.ROOT, "%s %s: measured %s (median of %d, IQR/median %s; %s), threshold %s%s",
            v, t.metric(), fmt(m), s.length, fmt(spread), why, t.describe(),
            t.what() == null || t.what().isEmpty() ? "" : " — " + t.what());
        return new Decision(t.metric(), v, m, spread, s, msg);
    }

    /** FAIL if any metric failed, else INCONCLUSIVE if any was, else PASS. */
    public static Verdict overall(List<Decision> decisions) {
        Verdict worst = Verdict.PASS;
        for (Decision d : decisions) {
            if (d.verdict().ordinal() > worst.ordinal()) worst = d.verdict();
        }
        return worst;
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) return Double.NaN;
        return quantile(sorted, 0.5);
    }

    /** Linear interpolation between closest ranks (R type 7, the spreadsheet default). */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) return sorted[0];
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
