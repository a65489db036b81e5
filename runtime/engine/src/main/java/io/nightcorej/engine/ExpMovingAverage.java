package io.nightcorej.engine;

/**
 * A power-mean exponential moving average, as Nightcore computes it: {@code avg += alpha * (x^p - avg)}, value
 * {@code avg^(1/p)}. With p &lt; 1 a burst of very large samples (instant rates of back-to-back arrivals) moves the
 * average less than with a plain EMA. Until {@code warmupSamples} samples have been seen the value is the plain power
 * mean of the samples so far, so early samples are not drowned by the initial zero.
 *
 * <p>Not thread-safe; the owning dispatcher serialises access.
 */
public final class ExpMovingAverage {

    private final double alpha;
    private final double p;
    private final int warmupSamples;
    private long samples;
    private double sum;
    private double avg;

    /**
     * @param alpha         weight of a new sample, in (0, 1].
     * @param p             power of the mean (1 = arithmetic).
     * @param warmupSamples samples averaged plainly before the EMA takes over.
     */
    public ExpMovingAverage(final double alpha, final double p, final int warmupSamples) {
        if (!(alpha > 0 && alpha <= 1) || !(p > 0) || warmupSamples < 0) {
            throw new IllegalArgumentException("alpha must be in (0,1], p > 0, warmupSamples >= 0");
        }
        this.alpha = alpha;
        this.p = p;
        this.warmupSamples = warmupSamples;
    }

    /** @param x a sample (&gt;= 0). */
    public void add(final double x) {
        final double powered = p == 1.0 ? x : Math.pow(x, p);
        samples++;
        if (samples <= Math.max(1, warmupSamples)) {
            sum += powered;
            avg = sum / samples;
        } else {
            avg += alpha * (powered - avg);
        }
    }

    /** @return true once more than the warm-up samples have been seen. */
    public boolean warm() {
        return samples > warmupSamples;
    }

    /** @return samples seen. */
    public long samples() {
        return samples;
    }

    /** @return the current value, 0 before the first sample. */
    public double value() {
        if (samples == 0) {
            return 0;
        }
        return p == 1.0 ? avg : Math.pow(avg, 1.0 / p);
    }
}
