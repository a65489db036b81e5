package io.nightcorej.loadgen.report;

import java.io.PrintStream;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * Prints histograms the way wrk2 prints them with {@code --latency}: the eight-row "Latency Distribution
 * (HdrHistogram - ...)" table, then the "Detailed Percentile spectrum" (HdrHistogram's percentile output, values in
 * ms), so people used to wrk2 can read our runs at a glance.
 */
public final class LatencyTable {
    private static final double[] PERCENTILES = {50.0, 75.0, 90.0, 99.0, 99.9, 99.99, 99.999, 100.0};

    private LatencyTable() {
    }

    /**
     * Creates the histogram every recorder and total uses: µs values from 1 µs to 1 hour, 3 significant digits.
     *
     * @return a new histogram.
     */
    public static Histogram newHistogram() {
        return new Histogram(1, 3_600_000_000L, 3);
    }

    /**
     * @param out where.
     * @param histogram µs values.
     * @param description e.g. "Recorded Latency".
     * @param spectrum whether to print the detailed spectrum.
     */
    public static void print(final PrintStream out, final Histogram histogram, final String description, final boolean spectrum) {
        out.printf("  Latency Distribution (HdrHistogram - %s)%n", description);
        for (double p : PERCENTILES) {
            out.printf(Locale.ROOT, "%7.3f%%%10s%n", p, formatMicros(histogram.getValueAtPercentile(p)));
        }
        if (spectrum && histogram.getTotalCount() > 0) {
            out.printf("%n  Detailed Percentile spectrum:%n");
            histogram.outputPercentileDistribution(out, 5, 1000.0);
        }
        out.println("----------------------------------------------------------");
    }

    /**
     * wrk's unit formatting: {@code 812.00us}, {@code 1.07ms}, {@code 2.50s}.
     *
     * @param us microseconds.
     * @return formatted.
     */
    public static String formatMicros(final double us) {
        if (us < 1000.0) {
            return String.format(Locale.ROOT, "%.2fus", us);
        } else if (us < 1_000_000.0) {
            return String.format(Locale.ROOT, "%.2fms", us / 1000.0);
        }
        return String.format(Locale.ROOT, "%.2fs", us / 1_000_000.0);
    }
}
