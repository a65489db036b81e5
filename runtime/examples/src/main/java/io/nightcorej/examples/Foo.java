package io.nightcorej.examples;

import java.nio.charset.StandardCharsets;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;

/**
 * Calls {@link Bar} internally (through the local engine, never the gateway) and returns
 * {@code "From function Bar: " + output}, as the original Nightcore example does.
 */
public final class Foo implements Function {

    private static final byte[] PREFIX = "From function Bar: ".getBytes(StandardCharsets.UTF_8);

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) throws FunctionCallException {
        final byte[] fromBar = context.invoke("Bar", input);
        final byte[] out = new byte[PREFIX.length + fromBar.length];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(fromBar, 0, out, PREFIX.length, fromBar.length);
        return out;
    }
}
