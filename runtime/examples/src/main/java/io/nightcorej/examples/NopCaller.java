package io.nightcorej.examples;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionContext;

/**
 * The internal-call microbenchmark, timed at the caller as in the paper: input {@code "<calls>"} (or
 * {@code "<calls>:<warmup>"}); makes {@code warmup} untimed then {@code calls} timed sequential {@code invoke} calls of
 * {@code callee} (setting, default {@code Nop}) with a 5-byte input, and returns
 * {@code {"calls":n,"p50_us":..,"p99_us":..,"p999_us":..,"max_us":..,"mean_us":..,"calls_per_s":..}}.
 * Each round trip is worker → engine → callee worker → engine → worker. Latencies are kept exactly (one long per
 * call) and sorted, so the percentiles are exact, not bucketed.
 */
public final class NopCaller implements Function {

    private static final byte[] INPUT = "nop!!".getBytes(StandardCharsets.UTF_8);
    private String callee = "Nop";

    @Override
    public void init(final Map<String, String> settings) {
        callee = settings.getOrDefault("callee", callee);
    }

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) throws Exception {
        final String[] spec = new String(input, StandardCharsets.UTF_8).trim().split(":");
        final int calls = Integer.parseInt(spec[0]);
        final int warmup = spec.length > 1 ? Integer.parseInt(spec[1]) : Math.min(calls, 10_000);
        if (calls < 1 || calls > 10_000_000 || warmup < 0) {
            throw new IllegalArgumentException("calls must be 1..10000000 and warmup >= 0: " + calls + ":" + warmup);
        }
        for (int i = 0; i < warmup; i++) {
            context.invoke(callee, INPUT);
        }
        final long[] ns = new long[calls];
        final long begin = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            final long t0 = System.nanoTime();
            context.invoke(callee, INPUT);
            ns[i] = System.nanoTime() - t0;
        }
        final long elapsed = System.nanoTime() - begin;
        long sum = 0;
        for (final long v : ns) {
            sum += v;
        }
        Arrays.sort(ns);
        return ("{\"calls\":" + calls + ",\"p50_us\":" + us(pct(ns, 50)) + ",\"p99_us\":" + us(pct(ns, 99))
            + ",\"p999_us\":" + us(pct(ns, 99.9)) + ",\"max_us\":" + us(ns[ns.length - 1]) + ",\"mean_us\":"
            + us(sum / calls) + ",\"calls_per_s\":" + Math.round(calls * 1e9 / elapsed) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static long pct(final long[] sorted, final double p) {
        final int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static double us(final long nanos) {
        return Math.round(nanos / 100.0) / 10.0;
    }
}
