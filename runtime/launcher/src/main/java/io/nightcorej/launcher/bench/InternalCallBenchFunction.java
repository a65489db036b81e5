package io.nightcorej.launcher.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionContext;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The caller side of the internal-call benchmark: makes N sequential internal calls to a callee (default "Nop") and
 * times each at the caller, worker to engine to worker to engine to worker, as Nightcore's paper measures it.
 *
 * <p>Input (JSON, every key optional): {@code {"callee":"Nop","calls":20000,"warmup":5000,"payloadBytes":5,
 * "async":false}}. Output (JSON): {@code {"mode":"internal","calls":..,"p50_us":..,"p90_us":..,"p99_us":..,
 * "p999_us":..,"max_us":..,"mean_us":..,"calls_per_s":..}}. Give the function a timeoutMs large enough for the whole
 * run.
 */
public final class InternalCallBenchFunction implements Function {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) throws Exception {
        final JsonNode args = input.length == 0 ? JSON.createObjectNode() : JSON.readTree(input);
        final String callee = args.path("callee").asText("Nop");
        final int calls = args.path("calls").asInt(20_000);
        final int warmup = args.path("warmup").asInt(5_000);
        final boolean async = args.path("async").asBoolean(false);
        final byte[] payload = new byte[args.path("payloadBytes").asInt(5)];
        for (int i = 0; i < warmup; i++) {
            once(context, callee, payload, async);
        }
        final Histogram histogram = new Histogram(3_600_000_000L, 3);
        final long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            final long t0 = System.nanoTime();
            once(context, callee, payload, async);
            histogram.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final ObjectNode result = JSON.createObjectNode();
        result.put("mode", async ? "internal-async" : "internal");
        result.put("calls", calls);
        result.put("p50_us", histogram.getValueAtPercentile(50));
        result.put("p90_us", histogram.getValueAtPercentile(90));
        result.put("p99_us", histogram.getValueAtPercentile(99));
        result.put("p999_us", histogram.getValueAtPercentile(99.9));
        result.put("max_us", histogram.getMaxValue());
        result.put("mean_us", Math.round(histogram.getMean() * 10) / 10.0);
        result.put("calls_per_s", Math.round(calls / seconds));
        return result.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void once(final FunctionContext context, final String callee, final byte[] payload, final boolean async)
        throws Exception {
        if (async) {
            final CompletableFuture<byte[]> f = context.invokeAsync(callee, payload);
            f.get();
        } else {
            context.invoke(callee, payload);
        }
    }
}
