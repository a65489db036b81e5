package io.nightcorej.loadgen.engine;

/**
 * The intended send times of an open-model load, in nanoseconds relative to the start of the schedule.
 *
 * <p>An open model decides <em>when</em> a request should be sent from the clock alone, never from when earlier
 * responses came back. Each call to {@link #next()} returns the next intended send time; the engine sends every
 * request whose time has come and, when it cannot (no free connection, late timer), sends it later but still measures
 * its latency from the time returned here. That is the discipline of wrk2 and of Hyperfoil's {@code FireTimeSequence}.
 *
 * <p>Implementations compute each time from the tick index, not by summing intervals, so rounding never accumulates:
 * after 10<sup>7</sup> ticks at 50,000 req/s the schedule is at exactly 200 s.
 */
public interface FireTimeSequence {

    /**
     * @return the intended send time of the next request in ns since the schedule's start; non-decreasing.
     */
    long next();

    /**
     * The rate the sequence was built for.
     *
     * @return requests per second.
     */
    double rate();

    /**
     * A constant-rate sequence: tick {@code i} (from 0) fires at {@code ceil(i * 1e9 / rate)} ns.
     *
     * @param requestsPerSecond target rate, &gt; 0.
     * @return a new sequence starting at tick 0.
     */
    static FireTimeSequence constantRate(final double requestsPerSecond) {
        return new ConstantRateSequence(requestsPerSecond);
    }

    /**
     * A Poisson-arrival sequence with mean rate {@code requestsPerSecond}: exponential inter-arrival times drawn from a
     * seeded generator, so a seed makes the arrival pattern repeatable.
     *
     * @param requestsPerSecond mean rate, &gt; 0.
     * @param seed random seed.
     * @return a new sequence starting at time 0.
     */
    static FireTimeSequence poisson(final double requestsPerSecond, final long seed) {
        return new PoissonSequence(requestsPerSecond, seed);
    }
}
