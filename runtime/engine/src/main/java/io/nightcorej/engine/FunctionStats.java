package io.nightcorej.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The tracer's per-function aggregates: counts and HdrHistograms (microseconds, cumulative since engine start) of
 *
 * <ul>
 *   <li>queueing delay: dispatch - receive (time in the dispatcher's queue);</li>
 *   <li>processing time: measured by the worker around the handler;</li>
 *   <li>dispatch overhead: (finish - dispatch) - processing, the runtime's own cost per call on the worker side;</li>
 *   <li>total: finish - receive, as the engine sees it;</li>
 *   <li>dispatch delay: the engine's DISPATCH send to the worker reading it (measured by the worker), and return delay:
 *   the worker's COMPLETE send to the engine reading it. These two channel hops are the part of the dispatch overhead
 *   spent waiting to be scheduled: when they make up most of it, the overhead is CPU contention, not engine work.</li>
 * </ul>
 */
final class FunctionStats {

    private static final long HIGHEST_US = 3_600_000_000L;

    private final Histogram queueing = new Histogram(HIGHEST_US, 2);
    private final Histogram processing = new Histogram(HIGHEST_US, 2);
    private final Histogram dispatchOverhead = new Histogram(HIGHEST_US, 2);
    private final Histogram total = new Histogram(HIGHEST_US, 2);
    private final Histogram dispatchDelay = new Histogram(HIGHEST_US, 2);
    private final Histogram returnDelay = new Histogram(HIGHEST_US, 2);
    private long calls;
    private long failures;

    synchronized void recordCompletion(final long receivedNanos, final long dispatchedNanos, final long finishedNanos,
                                       final int processingUs, final int dispatchDelayUs, final long returnDelayNanos) {
        dispatchDelay.recordValue(Math.min(Math.max(dispatchDelayUs, 0), HIGHEST_US));
        returnDelay.recordValue(Math.min(Math.max(returnDelayNanos / 1000, 0), HIGHEST_US));
        calls++;
        final long queueUs = Math.max(0, (dispatchedNanos - receivedNanos) / 1000);
        final long heldUs = Math.max(0, (finishedNanos - dispatchedNanos) / 1000);
        queueing.recordValue(Math.min(queueUs, HIGHEST_US));
        processing.recordValue(Math.min(Math.max(processingUs, 0), HIGHEST_US));
        dispatchOverhead.recordValue(Math.min(Math.max(heldUs - processingUs, 0), HIGHEST_US));
        total.recordValue(Math.min(Math.max(0, (finishedNanos - receivedNanos) / 1000), HIGHEST_US));
    }

    synchronized void recordFailure() {
        calls++;
        failures++;
    }

    synchronized void writeTo(final ObjectNode node) {
        node.put("calls", calls);
        node.put("failures", failures);
        percentiles(node.putObject("queueing_us"), queueing);
        percentiles(node.putObject("processing_us"), processing);
        percentiles(node.putObject("dispatch_overhead_us"), dispatchOverhead);
        percentiles(node.putObject("total_us"), total);
        percentiles(node.putObject("dispatch_delay_us"), dispatchDelay);
        percentiles(node.putObject("return_delay_us"), returnDelay);
    }

    private static void percentiles(final ObjectNode node, final Histogram h) {
        node.put("p50", h.getValueAtPercentile(50));
        node.put("p90", h.getValueAtPercentile(90));
        node.put("p99", h.getValueAtPercentile(99));
        node.put("p999", h.getValueAtPercentile(99.9));
        node.put("max", h.getMaxValue());
    }
}
