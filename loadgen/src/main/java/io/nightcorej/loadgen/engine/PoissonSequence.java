package io.nightcorej.loadgen.engine;

import java.util.SplittableRandom;

/**
 * Poisson arrivals: inter-arrival times are exponential with mean {@code 1/rate}. The running time is kept as a double
 * in ns so truncating each draw to whole nanoseconds cannot bias the mean rate.
 */
final class PoissonSequence implements FireTimeSequence {
    private final double rate;
    private final double meanNanos;
    private final SplittableRandom random;
    private double timeNs;
    private boolean first = true;

    PoissonSequence(final double rate, final long seed) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive finite number, got " + rate);
        }
        this.rate = rate;
        this.meanNanos = 1e9 / rate;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public long next() {
        if (first) {
            first = false;
            return 0L;
        }
        // 1 - nextDouble() is in (0, 1], so the log is finite.
        timeNs += -Math.log(1.0 - random.nextDouble()) * meanNanos;
        return (long) timeNs;
    }

    @Override
    public double rate() {
        return rate;
    }
}
