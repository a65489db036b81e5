package io.nightcorej.microservices.common.ids;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnowflakeIdsTest {

    @Test
    void layoutIsUpstreamsHexConcatenationWithTheSignBitMasked() {
        final long machine = 0xABC;
        final long ts = 0x12_3456_789AL;
        final long counter = 0xDEF;
        final String hex = String.format("%03x%010x%03x", machine, ts, counter);
        final long upstream = Long.parseUnsignedLong(hex, 16) & 0x7FFFFFFFFFFFFFFFL;
        final long id = SnowflakeIds.compose(machine, ts, counter);
        assertThat(id).isEqualTo(upstream).isPositive();
        assertThat(SnowflakeIds.machineIdOf(id)).isEqualTo(machine & 0x7FF);
        assertThat(SnowflakeIds.timestampOf(id)).isEqualTo(ts);
        assertThat(SnowflakeIds.counterOf(id)).isEqualTo(counter);
    }

    @Test
    void counterResetsEachMillisecondAndCountsWithinIt() {
        final AtomicLong now = new AtomicLong(SnowflakeIds.CUSTOM_EPOCH_MS + 1000);
        final SnowflakeIds ids = new SnowflakeIds(7, now::get);
        final long a = ids.next();
        final long b = ids.next();
        now.incrementAndGet();
        final long c = ids.next();
        assertThat(SnowflakeIds.counterOf(a)).isZero();
        assertThat(SnowflakeIds.counterOf(b)).isEqualTo(1);
        assertThat(SnowflakeIds.counterOf(c)).isZero();
        assertThat(SnowflakeIds.timestampOf(a)).isEqualTo(1000);
        assertThat(SnowflakeIds.timestampOf(c)).isEqualTo(1001);
        assertThat(SnowflakeIds.machineIdOf(a)).isEqualTo(7);
    }

    @Test
    void neverRepeatsWhenOneMillisecondIsExhaustedOrTheClockStepsBack() {
        final AtomicLong now = new AtomicLong(SnowflakeIds.CUSTOM_EPOCH_MS + 5000);
        final SnowflakeIds ids = new SnowflakeIds(1, now::get);
        final Set<Long> seen = new HashSet<>();
        long previous = -1;
        for (int i = 0; i < 10_000; i++) {
            if (i == 6000) {
                now.addAndGet(-3); // clock steps backwards
            }
            final long id = ids.next();
            assertThat(seen.add(id)).as("duplicate id at %d", i).isTrue();
            assertThat(id).isGreaterThan(previous);
            previous = id;
        }
    }
}
