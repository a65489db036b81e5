package io.nightcorej.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConcurrencyLimitTest {

    @Test
    void tauIsArrivalRateTimesHoldTime() {
        final ConcurrencyLimit limit = new ConcurrencyLimit(0.01, 1.0, 10, 1.0);
        long now = 0;
        // 10,000 calls/s (one every 100 us), each holding a worker for 500 us: Little's law says 5 in flight.
        for (int i = 0; i < 1000; i++) {
            now += 100_000;
            limit.onArrival(now);
            limit.onFinish(500_000);
        }
        assertThat(limit.rate()).isCloseTo(10_000, within(1.0));
        assertThat(limit.holdTimeSeconds()).isCloseTo(500e-6, within(1e-9));
        assertThat(limit.tau()).isCloseTo(5.0, within(0.01));
        assertThat(limit.limit(1, 100)).isEqualTo(5);
    }

    @Test
    void limitIsMaxWorkersUntilWarmAndThenClamped() {
        final ConcurrencyLimit limit = new ConcurrencyLimit(0.01, 1.0, 128, 1.0);
        long now = 0;
        for (int i = 0; i < 100; i++) {
            now += 1_000_000;
            limit.onArrival(now);
            limit.onFinish(10_000);
        }
        assertThat(limit.warm()).isFalse();
        assertThat(limit.limit(2, 8)).isEqualTo(8);
        for (int i = 0; i < 100; i++) {
            now += 1_000_000;
            limit.onArrival(now);
            limit.onFinish(10_000);
        }
        assertThat(limit.warm()).isTrue();
        // 1000 calls/s x 10 us = 0.01: clamped up to minWorkers.
        assertThat(limit.limit(2, 8)).isEqualTo(2);
        for (int i = 0; i < 2000; i++) {
            now += 10_000;
            limit.onArrival(now);
            limit.onFinish(50_000_000);
        }
        // 100,000 calls/s x 50 ms = 5000: clamped down to maxWorkers.
        assertThat(limit.limit(2, 8)).isEqualTo(8);
    }

    @Test
    void simultaneousArrivalsCountAsOneMicrosecondApart() {
        final ConcurrencyLimit limit = new ConcurrencyLimit(1.0, 1.0, 0, 1.0);
        limit.onArrival(5);
        limit.onArrival(5);
        assertThat(limit.rate()).isCloseTo(1_000_000, within(1.0));
    }

    @Test
    void powerMeanDampsBursts() {
        final ExpMovingAverage plain = new ExpMovingAverage(0.5, 1.0, 0);
        final ExpMovingAverage damped = new ExpMovingAverage(0.5, 0.5, 0);
        for (final double x : new double[] {100, 100, 100, 10_000}) {
            plain.add(x);
            damped.add(x);
        }
        assertThat(damped.value()).isLessThan(plain.value());
        // sqrt-mean: avg of sqrt = 10 -> 10 -> 10 -> (10 + 100) / 2 = 55, squared = 3025
        assertThat(damped.value()).isCloseTo(3025, within(1e-6));
        assertThat(plain.value()).isCloseTo(5050, within(1e-6));
    }
}
