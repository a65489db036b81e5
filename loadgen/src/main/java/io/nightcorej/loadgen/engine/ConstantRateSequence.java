package io.nightcorej.loadgen.engine;

/**
 * Tick {@code i} fires at {@code ceil(i * 1e9 / rate)} ns after the start (as Hyperfoil's {@code ConstantRateGenerator}).
 *
 * <p>For an integral rate the arithmetic is exact 64-bit integer arithmetic ({@code ceilDiv(i * 1e9, rate)}; it stays
 * exact for 9.2e9 ticks, i.e. more than two days at 50,000 req/s). For a fractional rate it is one double
 * multiplication per tick from the index, so the relative error is ~1e-16 of the elapsed time and does not grow with
 * the number of ticks.
 */
final class ConstantRateSequence implements FireTimeSequence {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double rate;
    private final long integralRate;
    private final double nanosPerTick;
    private long tick;

    ConstantRateSequence(final double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive finite number, got " + rate);
        }
        this.rate = rate;
        this.integralRate = rate == Math.rint(rate) && rate <= Long.MAX_VALUE ? (long) rate : 0L;
        this.nanosPerTick = NANOS_PER_SECOND / rate;
    }

    /**
     * The fire time of tick {@code i}, independent of any state.
     *
     * @param i tick index from 0.
     * @return ns since start.
     */
    long fireTimeOf(final long i) {
        if (integralRate != 0L && i < Long.MAX_VALUE / NANOS_PER_SECOND) {
            return Math.floorDiv(i * NANOS_PER_SECOND + integralRate - 1, integralRate);
        }
        return (long) Math.ceil(i * nanosPerTick);
    }

    @Override
    public long next() {
        return fireTimeOf(tick++);
    }

    @Override
    public double rate() {
        return rate;
    }
}
