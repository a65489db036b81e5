package io.nightcorej.analysis;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The whole measured period of a loadgen {@code .hlog} (HdrHistogram interval log) folded into one histogram.
 * Values are in the unit loadgen records, microseconds. loadgen tags each interval {@code corrected},
 * {@code uncorrected} or {@code lag}; only the corrected (from intended send time) intervals are summed. The
 * report uses it to cross-check the JSON percentiles without trusting a single summary line.
 */
public record HlogSummary(long count, double p50Us, double p99Us, double p999Us, double maxUs, int intervals) {

    public static HlogSummary read(Path hlog) throws IOException {
        Histogram total = new Histogram(3);
        int intervals = 0;
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        try {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null) {
                String tag = interval.getTag();
                if (tag != null && !tag.equals("corrected")) continue;
                if (interval instanceof Histogram h) {
                    total.add(h);
                } else {
                    throw new IOException(hlog + ": expected integer histograms, found " + interval.getClass());
                }
                intervals++;
            }
        } catch (RuntimeException e) {
            throw new IOException(hlog + ": unreadable interval log: " + e, e);
        } finally {
            reader.close();
        }
        return new HlogSummary(total.getTotalCount(), total.getValueAtPercentile(50), total.getValueAtPercentile(99),
            total.getValueAtPercentile(99.9), total.getMaxValue(), intervals);
    }
}
