package io.nightcorej.launcher;

import io.nightcorej.ipc.MessageReceiver;
import io.nightcorej.ipc.MessageSender;
import io.nightcorej.ipc.ShmPayloads;
import io.nightcorej.protocol.Message;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionCallException.Status;
import io.nightcorej.sdk.FunctionContext;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One worker: a thread that reads calls from its own channel, runs the handler, and writes the result to the engine.
 * It is also the {@link FunctionContext} of the call it runs. A blocking {@link #invoke} made on the worker's own
 * thread sends INVOKE and reads the answer from the same channel itself, so a nested call costs no thread hop in the
 * container; {@link #invokeAsync} (and invoke from other threads) get their answers through the container's channel.
 */
final class Worker implements Runnable, FunctionContext {

    private static final byte[] EMPTY = new byte[0];

    private final ContainerRuntime runtime;
    final int clientId;
    private final MessageReceiver input;
    /** This worker's own sender to the engine input (not shared: no lock contention between workers). */
    private final MessageSender engineInput;
    private final UnsafeBuffer inBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Message.LENGTH));
    private final Message in = new Message().wrap(inBuffer, 0);
    private final UnsafeBuffer outBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Message.LENGTH));
    private final Message out = new Message().wrap(outBuffer, 0);
    /**
     * Calls the engine sent ahead (PROTOCOL.md 3.5, dispatch ahead) that arrived while this worker waited for the
     * answer of a nested call: they run, in order, once the current call is done.
     */
    private final ArrayDeque<byte[]> aheadCalls = new ArrayDeque<>();
    volatile Thread thread;
    private long sequence;
    private long currentCallId;
    private long currentDeadline;
    private boolean running;
    private boolean stopRequested;
    /** Whether the last DISPATCH said more calls were queued ({@link Message#FLAG_MORE_QUEUED}). */
    private boolean backlog;

    Worker(final ContainerRuntime runtime, final int clientId, final MessageReceiver input, final MessageSender engineInput) {
        this.runtime = runtime;
        this.clientId = clientId;
        this.input = input;
        this.engineInput = engineInput;
    }

    @Override
    public void run() {
        try {
            // An idle worker sleeps at once unless its last call came off a backlog (FLAG_MORE_QUEUED): then the next
            // one is likely to follow within microseconds, and catching it by polling saves the engine a wake-up write
            // and this worker a blocking read and a context switch per call.
            while (!stopRequested && nextMessage()) {
                switch (in.type()) {
                    case Message.DISPATCH_FUNC_CALL:
                        runCall();
                        break;
                    case Message.STOP_FUNC_WORKER:
                        stopRequested = true;
                        break;
                    case Message.FUNC_CALL_COMPLETE:
                    case Message.FUNC_CALL_FAILED:
                        discardStaleResult();
                        break;
                    default:
                        break;
                }
            }
        } catch (final IOException e) {
            System.err.println("nightcore launcher: worker " + clientId + " channel failed: " + e);
        } finally {
            input.close();
            engineInput.close();
        }
    }

    /** Takes the next message: a call kept during a nested wait first, then the channel. */
    private boolean nextMessage() throws IOException {
        final byte[] kept = aheadCalls.pollFirst();
        if (kept != null) {
            inBuffer.putBytes(0, kept);
            return true;
        }
        return backlog ? input.receive(inBuffer, 0) : input.receive(inBuffer, 0, 0);
    }

    private void runCall() throws IOException {
        final long received = System.nanoTime();
        final long callId = in.callId();
        // Read everything needed from the DISPATCH now: a nested invoke reuses the input buffer.
        final int functionId = in.functionId();
        final long parentCallId = in.parentCallId();
        final int replyTo = (in.flags() & Message.FLAG_DIRECT_REPLY) != 0 ? in.replyClientId() : 0;
        backlog = (in.flags() & Message.FLAG_MORE_QUEUED) != 0;
        final int dispatchDelayUs = (int) Math.max(0, (received - in.sendTimestamp()) / 1000);
        currentCallId = callId;
        currentDeadline = in.deadline();
        byte[] output = null;
        int status = 0;
        String error = null;
        long start = received;
        try {
            final byte[] inputBytes = in.payloadInShm()
                ? ShmPayloads.readAndDelete(runtime.layout.shmInput(callId), in.payloadLength())
                : in.inlinePayload();
            running = true;
            start = System.nanoTime();
            try (var scope = FunctionContext.bind(this)) {
                output = runtime.handler.call(this, inputBytes);
            }
            if (output == null) {
                output = EMPTY;
            }
            if (output.length > runtime.maxPayloadBytes) {
                status = Status.PAYLOAD_TOO_LARGE.code();
                error = "output of " + output.length + " bytes exceeds " + runtime.maxPayloadBytes;
            }
        } catch (final Throwable t) {
            status = Status.FAILED.code();
            error = ContainerRuntime.describe(t);
        } finally {
            running = false;
        }
        final long finished = System.nanoTime();
        final int processingUs = (int) Math.min(Integer.MAX_VALUE, (finished - start) / 1000);
        out.clearHeader().functionId(functionId).callId(callId).parentCallId(parentCallId)
            .processingTimeUs(processingUs).dispatchDelayUs(dispatchDelayUs);
        if (status == 0) {
            out.type(Message.FUNC_CALL_COMPLETE);
            if (output.length <= Message.INLINE_CAPACITY) {
                out.putInlinePayload(output, 0, output.length);
            } else {
                try {
                    ShmPayloads.write(runtime.layout.shmOutput(callId), output, 0, output.length);
                    out.payloadSize(-output.length);
                } catch (final IOException e) {
                    status = Status.FAILED.code();
                    error = "cannot write the output to shared memory: " + e.getMessage();
                }
            }
        }
        if (status != 0) {
            final byte[] text = ContainerRuntime.truncatedUtf8(error);
            out.type(Message.FUNC_CALL_FAILED).status(status).putInlinePayload(text, 0, text.length);
        }
        if (replyTo != 0 && sendDirectReply(replyTo, finished)) {
            // The caller has its answer; the engine only needs to know the call finished (header only).
            out.flags(Message.FLAG_REPLIED);
        }
        out.clientId(clientId).sendTimestamp(System.nanoTime());
        engineInput.send(outBuffer, 0);
    }

    /**
     * Writes the result in {@link #out} straight to the calling worker's channel.
     *
     * @return false when the caller's channel cannot be reached: the result then goes to the engine, which forwards it
     *     (or drops it when the caller is gone), as without direct replies.
     */
    private boolean sendDirectReply(final int replyTo, final long now) {
        final MessageSender target = runtime.replySender(replyTo);
        if (target == null) {
            return false;
        }
        out.clientId(replyTo).sendTimestamp(now);
        try {
            target.send(outBuffer, 0);
            return true;
        } catch (final IOException e) {
            runtime.forgetReplySender(replyTo, target);
            return false;
        }
    }

    private void discardStaleResult() {
        if (in.payloadInShm()) {
            ShmPayloads.deleteQuietly(runtime.layout.shmOutput(in.callId()));
        }
    }

    @Override
    public String functionName() {
        return runtime.functionName;
    }

    @Override
    public long callId() {
        return currentCallId;
    }

    @Override
    public byte[] invoke(final String function, final byte[] input) throws FunctionCallException {
        if (Thread.currentThread() != thread || !running) {
            return join(function, invokeAsync(function, input));
        }
        final int calleeId = runtime.functionId(function);
        if (calleeId < 0) {
            throw new FunctionCallException(Status.NOT_FOUND, function, "no function of that name");
        }
        if (input.length > runtime.maxPayloadBytes) {
            throw new FunctionCallException(Status.PAYLOAD_TOO_LARGE, function,
                "input of " + input.length + " bytes exceeds " + runtime.maxPayloadBytes);
        }
        final long callId = ((long) clientId << 40) | ++sequence;
        try {
            runtime.writeInvoke(outBuffer, clientId, callId, currentCallId, currentDeadline, calleeId, 0, input);
            engineInput.send(outBuffer, 0);
            // The engine answers every call (at the latest with TIMEOUT at its deadline), on this worker's channel.
            while (this.input.receive(inBuffer, 0, runtime.replySpinMicros)) {
                final int type = in.type();
                if ((type == Message.FUNC_CALL_COMPLETE || type == Message.FUNC_CALL_FAILED) && in.callId() == callId) {
                    return runtime.resultOf(in, function);
                }
                if (type == Message.STOP_FUNC_WORKER) {
                    stopRequested = true;
                } else if (type == Message.DISPATCH_FUNC_CALL) {
                    final byte[] kept = new byte[Message.LENGTH];
                    inBuffer.getBytes(0, kept);
                    aheadCalls.addLast(kept);
                } else if (type == Message.FUNC_CALL_COMPLETE || type == Message.FUNC_CALL_FAILED) {
                    discardStaleResult();
                }
            }
            throw new FunctionCallException(Status.UNAVAILABLE, function, "worker channel closed while waiting");
        } catch (final IOException e) {
            throw new FunctionCallException(Status.UNAVAILABLE, function, "cannot reach the engine: " + e.getMessage());
        }
    }

    private byte[] join(final String function, final CompletableFuture<byte[]> future) throws FunctionCallException {
        if (runtime.isAsyncReaderThread()) {
            throw new IllegalStateException("blocking invoke(\"" + function + "\") inside a callback running on the runtime's"
                + " result thread would deadlock; use invokeAsync and thenCompose, or an *Async callback stage");
        }
        final long remainingNanos = currentDeadline == 0 ? TimeUnit.MINUTES.toNanos(10) : currentDeadline - System.nanoTime();
        try {
            // The engine answers by the deadline; the extra seconds only guard against a lost engine.
            return future.get(Math.max(0, remainingNanos) + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof FunctionCallException) {
                throw (FunctionCallException) e.getCause();
            }
            throw new FunctionCallException(Status.FAILED, function, String.valueOf(e.getCause()));
        } catch (final TimeoutException e) {
            throw new FunctionCallException(Status.TIMEOUT, function, "no answer from the engine");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionCallException(Status.UNAVAILABLE, function, "interrupted");
        }
    }

    @Override
    public CompletableFuture<byte[]> invokeAsync(final String function, final byte[] input) {
        return runtime.invokeAsync(this, currentCallId, currentDeadline, function, input);
    }
}
