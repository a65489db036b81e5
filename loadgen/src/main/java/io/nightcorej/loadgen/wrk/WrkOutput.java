package io.nightcorej.loadgen.wrk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What wrk (Debian 4.1) or wrk2 printed, parsed. Sources, in order of preference:
 * <ol>
 *   <li>the {@code LOADGEN_DONE {json}} line our wrapper's Lua {@code done()} writes (exact µs from the tool's own
 *       histogram: p50/p90/p99/p99.9/max/mean, request and error counts);</li>
 *   <li>wrk2's {@code Latency Distribution (HdrHistogram - Recorded Latency)} table and the {@code #[Max = ...]} line
 *       of its "Detailed Percentile spectrum" (and the same for {@code Uncorrected Latency} with {@code -U});</li>
 *   <li>wrk's {@code --latency} table (50/75/90/99 %) and its Thread Stats {@code Latency} max;</li>
 *   <li>the summary lines: {@code N requests in T, B read}, {@code Socket errors: ...},
 *       {@code Non-2xx or 3xx responses: N}, {@code Requests/sec: R}.</li>
 * </ol>
 */
public final class WrkOutput {
    private static final Pattern RUNNING = Pattern.compile("^Running (\\S+) test @ (\\S+)");
    private static final Pattern THREADS = Pattern.compile("^\\s*(\\d+) threads and (\\d+) connections");
    private static final Pattern STATS_LATENCY = Pattern.compile(
        "^\\s*Latency\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)%");
    private static final Pattern PERCENTILE_ROW = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)%\\s+(\\S+)\\s*$");
    private static final Pattern SPECTRUM_MAX = Pattern.compile("^#\\[Max\\s*=\\s*([\\d.]+),\\s*Total count\\s*=\\s*(\\d+)\\]");
    private static final Pattern SPECTRUM_MEAN = Pattern.compile("^#\\[Mean\\s*=\\s*([\\d.]+),");
    private static final Pattern REQUESTS = Pattern.compile("^\\s*(\\d+) requests in ([\\d.]+\\w+), (\\S+) read");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
        "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern RPS = Pattern.compile("^Requests/sec:\\s+([\\d.]+)");
    private static final Pattern DONE = Pattern.compile("^LOADGEN_DONE (\\{.*\\})\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Test duration as announced. */
    public String announcedDuration;
    /** URL. */
    public String url;
    /** Threads. */
    public int threads;
    /** Connections. */
    public int connections;
    /** Whether wrk2's HdrHistogram tables were present. */
    public boolean hdrTables;
    /** Corrected (wrk2 "Recorded Latency") or wrk's latency table: percentile → µs. */
    public final Map<Double, Double> recorded = new LinkedHashMap<>();
    /** wrk2 -U table: percentile → µs. */
    public final Map<Double, Double> uncorrected = new LinkedHashMap<>();
    /** Max of the recorded histogram in µs (wrk2 spectrum footer, else Thread Stats max). */
    public Double recordedMaxUs;
    /** Max of the uncorrected histogram in µs. */
    public Double uncorrectedMaxUs;
    /** Mean latency in µs. */
    public Double meanUs;
    /** Completed requests. */
    public long requests = -1;
    /** Seconds the tool ran. */
    public double durationS;
    /** Socket errors. */
    public long connectErrors;
    /** Read errors. */
    public long readErrors;
    /** Write errors. */
    public long writeErrors;
    /** Timeouts. */
    public long timeouts;
    /** Non-2xx/3xx. */
    public long non2xx;
    /** Requests/sec line. */
    public double requestsPerSec = -1;
    /** The done() JSON, if present. */
    public JsonNode done;

    /**
     * Parses the complete stdout of a wrk or wrk2 run.
     *
     * @param text stdout.
     * @return parsed values.
     * @throws IllegalArgumentException if it does not look like wrk output (no requests/sec line and no done JSON).
     */
    public static WrkOutput parse(final String text) {
        final WrkOutput o = new WrkOutput();
        Map<Double, Double> table = null;
        boolean inUncorrected = false;
        for (String line : text.split("\\R")) {
            Matcher m;
            if ((m = RUNNING.matcher(line)).find()) {
                o.announcedDuration = m.group(1);
                o.url = m.group(2);
            } else if ((m = THREADS.matcher(line)).find()) {
                o.threads = Integer.parseInt(m.group(1));
                o.connections = Integer.parseInt(m.group(2));
            } else if ((m = DONE.matcher(line)).find()) {
                try {
                    o.done = JSON.readTree(m.group(1));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("malformed LOADGEN_DONE line: " + line, e);
                }
            } else if (line.contains("Latency Distribution (HdrHistogram - Recorded Latency)")) {
                o.hdrTables = true;
                table = o.recorded;
                inUncorrected = false;
            } else if (line.contains("Latency Distribution (HdrHistogram - Uncorrected Latency")) {
                table = o.uncorrected;
                inUncorrected = true;
            } else if (line.trim().equals("Latency Distribution")) {
                table = o.recorded;
            } else if (table != null && (m = PERCENTILE_ROW.matcher(line)).find()) {
                table.put(Double.parseDouble(m.group(1)), parseMicros(m.group(2)));
            } else if ((m = SPECTRUM_MAX.matcher(line)).find()) {
                table = null;
                final double maxUs = Double.parseDouble(m.group(1)) * 1000.0;
                if (inUncorrected) {
                    o.uncorrectedMaxUs = maxUs;
                } else {
                    o.recordedMaxUs = maxUs;
                }
            } else if ((m = SPECTRUM_MEAN.matcher(line)).find()) {
                if (!inUncorrected) {
                    o.meanUs = Double.parseDouble(m.group(1)) * 1000.0;
                }
            } else if ((m = STATS_LATENCY.matcher(line)).find()) {
                o.meanUs = parseMicros(m.group(1));
                o.recordedMaxUs = parseMicros(m.group(3));
            } else if ((m = REQUESTS.matcher(line)).find()) {
                table = null;
                o.requests = Long.parseLong(m.group(1));
                o.durationS = parseMicros(m.group(2)) / 1e6;
            } else if ((m = SOCKET_ERRORS.matcher(line)).find()) {
                o.connectErrors = Long.parseLong(m.group(1));
                o.readErrors = Long.parseLong(m.group(2));
                o.writeErrors = Long.parseLong(m.group(3));
                o.timeouts = Long.parseLong(m.group(4));
            } else if ((m = NON_2XX.matcher(line)).find()) {
                o.non2xx = Long.parseLong(m.group(1));
            } else if ((m = RPS.matcher(line)).find()) {
                o.requestsPerSec = Double.parseDouble(m.group(1));
            } else if (line.isBlank() || line.contains("Detailed Percentile spectrum") || line.startsWith("#[")
                || line.startsWith("---")) {
                continue;
            } else if (table != null && !line.trim().matches("^[\\d.]+\\s+[\\d.]+\\s+\\d+\\s+(\\S+)$")) {
                table = null;
            }
        }
        if (o.requestsPerSec < 0 && o.done == null) {
            throw new IllegalArgumentException("not wrk/wrk2 output (no 'Requests/sec:' line and no LOADGEN_DONE line)");
        }
        return o;
    }

    /**
     * Parses wrk's time units ({@code us}, {@code ms}, {@code s}, {@code m}, {@code h}) to µs.
     *
     * @param v e.g. {@code 1.07ms}.
     * @return µs.
     */
    public static double parseMicros(final String v) {
        final Matcher m = Pattern.compile("^([\\d.]+)(us|ms|s|m|h)$").matcher(v.trim().toLowerCase(Locale.ROOT));
        if (!m.find()) {
            throw new IllegalArgumentException("not a wrk time value: '" + v + "'");
        }
        final double n = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> n;
            case "ms" -> n * 1e3;
            case "s" -> n * 1e6;
            case "m" -> n * 60e6;
            default -> n * 3600e6;
        };
    }
}
