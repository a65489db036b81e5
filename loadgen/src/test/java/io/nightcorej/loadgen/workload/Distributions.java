package io.nightcorej.loadgen.workload;

import static org.assertj.core.api.Assertions.assertThat;

import org.assertj.core.data.Offset;

/**
 * Statistical assertions on a generator's draws. With the tests' fixed seeds they are deterministic; the 5-standard-
 * deviation bounds only say how far a correct port may be from the script's distribution.
 */
final class Distributions {

    private Distributions() {
    }

    /**
     * Asserts that {@code count} of {@code n} draws is the script's share {@code p}.
     *
     * @param what the operation's name, for the message.
     * @param count how many draws were it ({@code null}: none).
     * @param p the expected share.
     * @param n how many draws.
     */
    static void assertShare(final String what, final Integer count, final double p, final int n) {
        final double sd = Math.sqrt(p * (1 - p) / n); // a binomial proportion's standard deviation
        assertThat((count == null ? 0 : count) / (double) n).as(what).isCloseTo(p, Offset.offset(5 * sd));
    }

    /**
     * Asserts that {@code n} draws of integers, counted by value in {@code counts}, are uniform over {@code lo..hi}.
     *
     * @param counts how often each value was drawn, indexed by the value.
     * @param lo the lowest value the script draws.
     * @param hi the highest.
     * @param n how many draws.
     */
    static void assertUniform(final int[] counts, final int lo, final int hi, final int n) {
        final int k = hi - lo + 1;
        int total = 0;
        double chi2 = 0;
        for (int v = 0; v < counts.length; v++) {
            if (v < lo || v > hi) {
                assertThat(counts[v]).as("count of value %d outside %d..%d", v, lo, hi).isZero();
            } else {
                final double e = n / (double) k;
                chi2 += (counts[v] - e) * (counts[v] - e) / e;
                total += counts[v];
            }
        }
        assertThat(total).isEqualTo(n);
        // Chi-square goodness of fit: for k-1 degrees of freedom, mean k-1, sd sqrt(2(k-1)); allow 5 sd.
        assertThat(chi2).as("chi2 for %d..%d", lo, hi).isLessThan((k - 1) + 5 * Math.sqrt(2.0 * (k - 1)));
    }
}
