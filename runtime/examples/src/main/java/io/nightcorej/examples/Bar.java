package io.nightcorej.examples;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionContext;

/** Echo: returns its input unchanged. The callee of the original Nightcore's Foo-Bar example. */
public final class Bar implements Function {

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) {
        return input;
    }
}
