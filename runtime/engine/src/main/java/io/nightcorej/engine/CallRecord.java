package io.nightcorej.engine;

import java.util.concurrent.CompletableFuture;

/**
 * One call the engine is responsible for, from receipt to its answer. Exactly one party answers it: whoever removes
 * it from the engine's in-flight table (the completion, the deadline sweeper, or the death of its worker).
 */
final class CallRecord {

    /** Who asked, and so where the answer goes. */
    enum Origin { GATEWAY, INTERNAL, LOCAL }

    final long callId;
    final Dispatcher dispatcher;
    final Origin origin;
    final long parentCallId;
    final long receivedNanos;
    final long deadlineNanos;

    /** Input: inline bytes, or null with {@link #inputShmLength} &gt; 0 when it sits in the call's shm input file. */
    byte[] inlineInput;
    int inputShmLength;

    // GATEWAY origin
    GatewayLink.Connection gatewayConnection;
    long gatewayCallId;

    // INTERNAL origin
    WorkerHandle caller;
    boolean replyToContainer;

    // LOCAL origin
    CompletableFuture<byte[]> future;

    // Set by the dispatcher under its lock.
    volatile boolean cancelled;
    WorkerHandle worker;
    long dispatchedNanos;
    /** Whether more calls of the function were queued when this one was taken from the queue (DISPATCH flag). */
    boolean moreQueued;
    /** A call sent ahead to the same worker right behind this one; the engine sends it after this one. */
    CallRecord sendAlso;

    CallRecord(final long callId, final Dispatcher dispatcher, final Origin origin, final long parentCallId,
               final long receivedNanos, final long deadlineNanos) {
        this.callId = callId;
        this.dispatcher = dispatcher;
        this.origin = origin;
        this.parentCallId = parentCallId;
        this.receivedNanos = receivedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    /** @return the payloadSize field for the DISPATCH message: inline length, or the negated shm length. */
    int payloadSizeField() {
        return inlineInput != null ? inlineInput.length : -inputShmLength;
    }
}
