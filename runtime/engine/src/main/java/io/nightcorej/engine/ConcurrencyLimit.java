package io.nightcorej.engine;

/**
 * Nightcore's per-function concurrency hint from Little's law: {@code tau = lambda * t}, where lambda is the smoothed
 * arrival rate of calls and t the smoothed time a call holds a worker (dispatch to finish, including the time the worker
 * sits blocked on its own nested calls, which is why it is not the handler's CPU time). A dispatcher sends a new call
 * to a worker only while fewer than tau calls run; the rest wait in its queue. Dispatching more would only add workers
 * contending for the same CPUs.
 *
 * <pre>
 *   lambda  = power-mean EMA (alpha, p) of 1e9 / (arrival[i] - arrival[i-1])      calls per second
 *   t       = EMA (alpha) of finish - dispatch                                     seconds
 *   tau     = round(coefficient * lambda * t), clamped to [minWorkers, maxWorkers]
 *           = maxWorkers until both averages are warm
 * </pre>
 *
 * Pure arithmetic on timestamps the caller supplies; not thread-safe (the dispatcher holds its lock).
 */
public final class ConcurrencyLimit {

    /** Nightcore's defaults: alpha 0.001, 128 warm-up samples, p 1.0 (its experiments used 0.7-0.8). */
    public static final double DEFAULT_ALPHA = 0.001;
    public static final double DEFAULT_P = 0.8;
    public static final int DEFAULT_WARMUP = 128;

    private final ExpMovingAverage instantRate;
    private final ExpMovingAverage runningTime;
    private final double coefficient;
    private long lastArrivalNanos = Long.MIN_VALUE;

    /** A limit with Nightcore's defaults (coefficient 1). */
    public ConcurrencyLimit() {
        this(DEFAULT_ALPHA, DEFAULT_P, DEFAULT_WARMUP, 1.0);
    }

    /**
     * @param alpha         EMA weight of a new sample.
     * @param p             power of the arrival-rate mean.
     * @param warmupSamples samples before the limit applies.
     * @param coefficient   multiplier on lambda * t.
     */
    public ConcurrencyLimit(final double alpha, final double p, final int warmupSamples, final double coefficient) {
        this.instantRate = new ExpMovingAverage(alpha, p, warmupSamples);
        this.runningTime = new ExpMovingAverage(alpha, 1.0, warmupSamples);
        this.coefficient = coefficient;
    }

    /**
     * Records an arrival.
     *
     * @param nowNanos monotonic time of the arrival.
     */
    public void onArrival(final long nowNanos) {
        if (lastArrivalNanos != Long.MIN_VALUE) {
            // Equal timestamps would mean an infinite rate; count them 1 us apart as Nightcore does.
            final long gap = Math.max(nowNanos - lastArrivalNanos, 1_000L);
            instantRate.add(1e9 / gap);
        }
        lastArrivalNanos = nowNanos;
    }

    /**
     * Records how long a finished call held its worker.
     *
     * @param heldNanos finish minus dispatch.
     */
    public void onFinish(final long heldNanos) {
        runningTime.add(Math.max(heldNanos, 0L) / 1e9);
    }

    /** @return true once both averages have left their warm-up. */
    public boolean warm() {
        return instantRate.warm() && runningTime.warm();
    }

    /** @return smoothed arrival rate, calls per second. */
    public double rate() {
        return instantRate.value();
    }

    /** @return smoothed time a call holds a worker, seconds. */
    public double holdTimeSeconds() {
        return runningTime.value();
    }

    /** @return lambda * t * coefficient, unclamped (0 before warm-up). */
    public double tau() {
        return coefficient * instantRate.value() * runningTime.value();
    }

    /**
     * @param minWorkers lower bound.
     * @param maxWorkers upper bound.
     * @return how many calls may run at once.
     */
    public int limit(final int minWorkers, final int maxWorkers) {
        if (!warm()) {
            return maxWorkers;
        }
        final long rounded = Math.round(tau());
        return (int) Math.max(minWorkers, Math.min(maxWorkers, rounded));
    }
}
