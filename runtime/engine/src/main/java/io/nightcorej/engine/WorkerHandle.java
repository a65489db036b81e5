package io.nightcorej.engine;

import io.nightcorej.ipc.MessageSender;

/**
 * The engine's view of one worker (a thread in a function container) or of a container's own channel (where results
 * of its asynchronous nested calls go). Identified by a client id that is never reused.
 */
final class WorkerHandle {

    final int clientId;
    final FunctionContainer container;
    final MessageSender sender;
    /** Set when its container died or it was stopped: nothing more is sent to it. */
    volatile boolean dead;

    // Dispatcher state, guarded by the dispatcher's lock.
    CallRecord current;
    /** A call sent ahead: already in the worker's channel, it runs once {@link #current} is done. */
    CallRecord ahead;
    long idleSinceNanos;

    WorkerHandle(final int clientId, final FunctionContainer container, final MessageSender sender) {
        this.clientId = clientId;
        this.container = container;
        this.sender = sender;
    }

    @Override
    public String toString() {
        return "worker " + clientId + " of " + container.function().name();
    }
}
