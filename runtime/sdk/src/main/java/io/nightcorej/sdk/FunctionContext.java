package io.nightcorej.sdk;

import java.util.concurrent.CompletableFuture;

/**
 * What a running call knows and can do: its identity, and calls to other functions.
 *
 * <p>Internal calls made here go to the local engine over the worker's message channel and never touch the gateway.
 * {@link #invoke} blocks the calling thread; {@link #invokeAsync} returns at once, so a handler can fan out to several
 * functions in parallel and join the futures. Both may be used from any thread while the call that owns this context is
 * still running; the engine counts the time a worker spends waiting on its nested calls as time the worker is held.
 *
 * <p>While the runtime executes a call it binds the call's context to the executing thread, so code that cannot be
 * handed the context (a Thrift client transport, say) finds it through {@link #current()}.
 */
public interface FunctionContext {

    /** @return the name of the function this call runs in. */
    String functionName();

    /** @return the engine-wide id of the running call; nested calls carry it as their parent. */
    long callId();

    /**
     * Calls another function and waits for its output.
     *
     * @param function the callee's name.
     * @param input    the callee's input.
     * @return the callee's output.
     * @throws FunctionCallException when the callee is unknown, fails, dies, or misses its deadline.
     */
    byte[] invoke(String function, byte[] input) throws FunctionCallException;

    /**
     * Calls another function without waiting.
     *
     * @param function the callee's name.
     * @param input    the callee's input.
     * @return a future completed with the output, or exceptionally with a {@link FunctionCallException}.
     */
    CompletableFuture<byte[]> invokeAsync(String function, byte[] input);

    /**
     * @return the context bound to the current thread by the runtime.
     * @throws IllegalStateException when the thread is not running a function call.
     */
    static FunctionContext current() {
        final FunctionContext context = CurrentContext.HOLDER.get();
        if (context == null) {
            throw new IllegalStateException("no function call is running on thread " + Thread.currentThread().getName());
        }
        return context;
    }

    /**
     * Binds a context to the current thread until the returned scope is closed. Used by the runtime around each call,
     * and by handlers that hand work to their own threads.
     *
     * @param context the context to bind.
     * @return a scope whose close restores the previous binding.
     */
    static CurrentContext.Scope bind(final FunctionContext context) {
        return CurrentContext.bind(context);
    }
}
