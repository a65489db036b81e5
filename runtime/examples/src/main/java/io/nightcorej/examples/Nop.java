package io.nightcorej.examples;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionContext;

/** Does nothing and returns an empty output: what the runtime's own overhead is measured with. */
public final class Nop implements Function {

    private static final byte[] EMPTY = new byte[0];

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) {
        return EMPTY;
    }
}
