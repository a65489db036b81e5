package io.nightcorej.sdk;

import java.util.Map;

/**
 * A serverless function: bytes in, bytes out.
 *
 * <p>The runtime loads the class named in the stack config by its public no-argument constructor, once per function
 * container, calls {@link #init(Map)} once, then calls {@link #call(FunctionContext, byte[])} from several worker
 * threads at the same time. An implementation must therefore be thread-safe; per-call state belongs on the stack.
 *
 * <pre><code>
 * public final class Foo implements Function {
 *     public byte[] call(FunctionContext ctx, byte[] input) throws Exception {
 *         byte[] fromBar = ctx.invoke("Bar", input);          // internal call, routed by the local engine
 *         return concat("From function Bar: ", fromBar);
 *     }
 * }
 * </code></pre>
 *
 * <p>A call that throws is reported to its caller as a failure ({@link FunctionCallException.Status#FAILED}) carrying
 * the exception's message; the worker stays alive and takes the next call.
 */
@FunctionalInterface
public interface Function {

    /**
     * Runs one call.
     *
     * @param context the call's context: its identity and the way to call other functions.
     * @param input   the input bytes, never null (an empty body is an empty array).
     * @return the output bytes; null is sent as an empty output.
     * @throws Exception any failure, reported to the caller as a failed call.
     */
    byte[] call(FunctionContext context, byte[] input) throws Exception;

    /**
     * Called once, before the first call, with the function's {@code settings} from the stack config
     * (for example the address of a storage server). The default does nothing.
     *
     * @param settings the settings, never null.
     * @throws Exception when the function cannot start; its container then reports the failure and exits.
     */
    default void init(final Map<String, String> settings) throws Exception {
    }
}
