package io.nightcorej.microservices.common.ids;

import java.net.InetAddress;
import java.util.function.LongSupplier;

/**
 * DeathStarBench's snowflake-style 64-bit ids (SocialNetwork post ids, MediaMicroservices review ids, and user ids of
 * {@code RegisterUser} in both).
 *
 * <pre>
 *  63  62        52 51                                   12 11          0
 * +---+------------+---------------------------------------+-------------+
 * | 0 | machine id |  ms since 2018-01-01Z (40 bits)        |  counter    |
 * +---+------------+---------------------------------------+-------------+
 *      11 bits (the 12-bit machine id's top bit is masked)    12 bits
 * </pre>
 *
 * Upstream builds the hex string {@code machine(3) + timestamp(10) + counter(3)}, parses it and masks the sign bit;
 * shifting the three fields into place gives the same bits. The counter is per process (one generator per JVM, as
 * upstream's process-global counter), resets when the millisecond changes and counts within it.
 *
 * <p>Two deliberate differences: when 4096 ids are taken within one millisecond, upstream's counter wraps silently
 * (duplicate ids); here the generator moves on to the next millisecond instead. When the clock steps backwards,
 * upstream calls {@code exit(1)}; here ids keep using the last millisecond seen until the clock catches up.
 */
public final class SnowflakeIds {

    /** Upstream's {@code CUSTOM_EPOCH}, 2018-01-01T00:00:00Z. */
    public static final long CUSTOM_EPOCH_MS = 1514764800000L;

    private static final long TIMESTAMP_MASK = 0xFF_FFFF_FFFFL;
    private static final int COUNTER_MAX = 0xFFF;

    private static final SnowflakeIds PROCESS = new SnowflakeIds(defaultMachineId(), System::currentTimeMillis);

    private final long machineId;
    private final LongSupplier clock;
    private long lastTimestamp = -1;
    private int counter;

    /**
     * @param machineId 12-bit machine id (only the low 11 bits survive the sign mask).
     * @param clock     wall clock in ms since the Unix epoch.
     */
    public SnowflakeIds(final long machineId, final LongSupplier clock) {
        this.machineId = machineId & 0xFFF;
        this.clock = clock;
    }

    /** @return the generator shared by everything in this JVM. */
    public static SnowflakeIds process() {
        return PROCESS;
    }

    /** @return the next id. */
    public synchronized long next() {
        long now = clock.getAsLong() - CUSTOM_EPOCH_MS;
        if (now < lastTimestamp) {
            now = lastTimestamp;
        }
        if (now == lastTimestamp) {
            if (counter == COUNTER_MAX) {
                now = ++lastTimestamp;
                counter = 0;
            } else {
                counter++;
            }
        } else {
            lastTimestamp = now;
            counter = 0;
        }
        return compose(machineId, now, counter);
    }

    /** @return the id with the given fields, laid out as drawn above. */
    public static long compose(final long machineId, final long timestampSinceEpoch, final long counter) {
        return ((machineId & 0xFFF) << 52 | (timestampSinceEpoch & TIMESTAMP_MASK) << 12 | (counter & COUNTER_MAX))
                & Long.MAX_VALUE;
    }

    /** @return the machine id field of an id. */
    public static long machineIdOf(final long id) {
        return id >>> 52;
    }

    /** @return the ms-since-2018 field of an id. */
    public static long timestampOf(final long id) {
        return (id >>> 12) & TIMESTAMP_MASK;
    }

    /** @return the counter field of an id. */
    public static long counterOf(final long id) {
        return id & COUNTER_MAX;
    }

    /** NC's choice: the hostname and the process id, hashed to 12 bits. */
    public static long defaultMachineId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (final Exception e) {
            host = "localhost";
        }
        return (host + "/" + ProcessHandle.current().pid()).hashCode() & 0xFFF;
    }
}
