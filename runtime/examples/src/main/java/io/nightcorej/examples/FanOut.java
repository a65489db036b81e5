package io.nightcorej.examples;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;

/**
 * Fans out: calls {@code callee} (setting, default {@code Bar}) {@code fanout} times (setting, default 4) in parallel with
 * {@link FunctionContext#invokeAsync}, each with input {@code "<i>:" + input}, joins the futures and returns
 * {@code "<fanout> calls: " + out0 + "|" + out1 + ...} in call order. Something the original C++ worker could not do.
 */
public final class FanOut implements Function {

    private String callee = "Bar";
    private int fanout = 4;

    @Override
    public void init(final Map<String, String> settings) {
        callee = settings.getOrDefault("callee", callee);
        fanout = Integer.parseInt(settings.getOrDefault("fanout", Integer.toString(fanout)));
        if (fanout < 1) {
            throw new IllegalArgumentException("fanout must be >= 1: " + fanout);
        }
    }

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) throws Exception {
        @SuppressWarnings("unchecked")
        final CompletableFuture<byte[]>[] futures = new CompletableFuture[fanout];
        for (int i = 0; i < fanout; i++) {
            final byte[] prefix = (i + ":").getBytes(StandardCharsets.UTF_8);
            final byte[] in = new byte[prefix.length + input.length];
            System.arraycopy(prefix, 0, in, 0, prefix.length);
            System.arraycopy(input, 0, in, prefix.length, input.length);
            futures[i] = context.invokeAsync(callee, in);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((fanout + " calls: ").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < fanout; i++) {
            if (i > 0) {
                out.write('|');
            }
            try {
                out.writeBytes(futures[i].get());
            } catch (final ExecutionException e) {
                if (e.getCause() instanceof FunctionCallException) {
                    throw (FunctionCallException) e.getCause();
                }
                throw e;
            }
        }
        return out.toByteArray();
    }
}
