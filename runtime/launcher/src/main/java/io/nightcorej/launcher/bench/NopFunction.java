package io.nightcorej.launcher.bench;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionContext;

/** Returns its input: the callee of the internal-call benchmark. */
public final class NopFunction implements Function {

    @Override
    public byte[] call(final FunctionContext context, final byte[] input) {
        return input;
    }
}
