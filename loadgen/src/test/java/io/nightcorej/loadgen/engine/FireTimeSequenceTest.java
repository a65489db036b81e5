package io.nightcorej.loadgen.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FireTimeSequenceTest {

    @Test
    void constantIntegralRateHasNoDriftOverTenMillionTicks() {
        final FireTimeSequence seq = FireTimeSequence.constantRate(50_000);
        long previous = seq.next();
        assertThat(previous).isZero();
        for (long i = 1; i < 10_000_000L; i++) {
            final long t = seq.next();
            if (t - previous != 20_000L) {
                throw new AssertionError("gap before tick " + i + " is " + (t - previous) + " ns, expected 20000");
            }
            previous = t;
        }
        // Tick 10^7 is at exactly 200 s: no accumulated error.
        assertThat(seq.next()).isEqualTo(200_000_000_000L);
    }

    @Test
    void constantFractionalRateStaysWithinOneNanosecondOfTheExactScheduleOverTenMillionTicks() {
        final double rate = 3333.3;
        final ConstantRateSequence seq = new ConstantRateSequence(rate);
        final java.math.BigDecimal nanosPerTick = java.math.BigDecimal.valueOf(1_000_000_000L)
            .divide(java.math.BigDecimal.valueOf(rate), java.math.MathContext.DECIMAL128);
        long previous = seq.next();
        long minGap = Long.MAX_VALUE;
        long maxGap = Long.MIN_VALUE;
        for (long i = 1; i <= 10_000_000L; i++) {
            final long t = seq.next();
            minGap = Math.min(minGap, t - previous);
            maxGap = Math.max(maxGap, t - previous);
            previous = t;
            if (i % 1_000_000L == 0) {
                final long exact = nanosPerTick.multiply(java.math.BigDecimal.valueOf(i))
                    .setScale(0, java.math.RoundingMode.CEILING).longValueExact();
                assertThat(Math.abs(t - exact)).as("tick %d", i).isLessThanOrEqualTo(1L);
            }
        }
        // Each gap is floor or ceil of 300,003.0003 ns: rounding never accumulates into the gaps.
        assertThat(minGap).isGreaterThanOrEqualTo(300_002L);
        assertThat(maxGap).isLessThanOrEqualTo(300_004L);
    }

    @Test
    void poissonArrivalsHaveTheMeanRateAndAreRepeatableForASeed() {
        final FireTimeSequence a = FireTimeSequence.poisson(10_000, 7);
        final FireTimeSequence b = FireTimeSequence.poisson(10_000, 7);
        long last = 0;
        int n = 1_000_000;
        long sumSq = 0;
        long prev = 0;
        for (int i = 0; i < n; i++) {
            last = a.next();
            if (b.next() != last || last < prev) {
                throw new AssertionError("tick " + i + " not repeatable or not monotonic");
            }
            final long gap = last - prev;
            sumSq += gap / 1000 * (gap / 1000);
            prev = last;
        }
        final double meanGapNs = last / (double) (n - 1);
        assertThat(meanGapNs).isCloseTo(100_000.0, org.assertj.core.data.Percentage.withPercentage(1));
        // Exponential gaps: standard deviation equals the mean (coefficient of variation 1).
        final double meanGapUs = meanGapNs / 1000;
        final double sdUs = Math.sqrt(sumSq / (double) (n - 1) - meanGapUs * meanGapUs);
        assertThat(sdUs / meanGapUs).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
    }
}
