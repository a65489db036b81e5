package io.nightcorej.gateway;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the gateway saw of one function's external calls: answers by HTTP status and the latency from the first byte of
 * the request being decoded to the response being handed to the socket.
 *
 * <p>Event-loop threads record into a {@link Recorder}, whose writers never block or allocate; the reader (a
 * {@code /stats} or {@code /metrics} request) folds the interval histograms into a cumulative one, so the percentiles
 * cover everything since the gateway started. Latencies are in microseconds with 3 significant digits, up to one hour.
 */
final class FunctionStats {

    /** HTTP statuses the gateway answers with; anything else is counted under "other". */
    static final int[] STATUSES = {200, 400, 404, 413, 500, 502, 503, 504};

    private final String name;
    private final LongAdder[] byStatus = new LongAdder[STATUSES.length + 1];
    private final LongAdder latencySumUs = new LongAdder();
    private final Recorder recorder = new Recorder(TimeUnit.HOURS.toMicros(1), 3);
    private final Histogram cumulative = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
    private Histogram interval;

    FunctionStats(final String name) {
        this.name = name;
        for (int i = 0; i < byStatus.length; i++) {
            byStatus[i] = new LongAdder();
        }
    }

    String name() {
        return name;
    }

    void record(final int status, final long latencyUs) {
        byStatus[indexOf(status)].increment();
        final long v = Math.max(0, Math.min(latencyUs, cumulative.getHighestTrackableValue()));
        recorder.recordValue(v);
        latencySumUs.add(v);
    }

    private static int indexOf(final int status) {
        for (int i = 0; i < STATUSES.length; i++) {
            if (STATUSES[i] == status) {
                return i;
            }
        }
        return STATUSES.length;
    }

    long count(final int statusIndex) {
        return byStatus[statusIndex].sum();
    }

    long latencySumUs() {
        return latencySumUs.sum();
    }

    /** @return a copy of the cumulative latency histogram, safe to read while calls continue. */
    synchronized Histogram snapshot() {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
        return cumulative.copy();
    }
}
