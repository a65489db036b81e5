package io.nightcorej.gateway;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An external function call from its admission to its answer.
 *
 * <pre>
 *   NEW --admit--> QUEUED --engine slot frees--> DISPATCHED --COMPLETE/FAILED, deadline, engine lost--> DONE
 *    \                \--deadline, no engine, client gone----------------------------------------------> DONE
 *     \--no room in the queue (503)---------------------------------------------------------------------> DONE
 * </pre>
 *
 * QUEUED and DISPATCHED are entered under the router's lock; leaving DISPATCHED for DONE is a compare-and-set, because
 * the engine's answer (on the engine connection's event loop) races the deadline (on the HTTP connection's loop).
 */
final class PendingCall extends Exchange implements Runnable {

    static final int NEW = 0;
    static final int QUEUED = 1;
    static final int DISPATCHED = 2;
    static final int DONE = 3;

    private static final AtomicIntegerFieldUpdater<PendingCall> STATE =
        AtomicIntegerFieldUpdater.newUpdater(PendingCall.class, "state");

    final FunctionRoute route;
    final long deadlineNanos;
    long callId;
    ByteBuf input;
    EngineConnection connection;
    ScheduledFuture<?> timer;
    private volatile int state;

    PendingCall(final GatewayHttpHandler handler, final long startNanos, final HttpVersion version, final boolean keepAlive,
                final FunctionStats stats, final FunctionRoute route, final ByteBuf input) {
        super(handler, startNanos, version, keepAlive, stats);
        this.route = route;
        this.input = input;
        this.deadlineNanos = startNanos + route.timeoutMs() * 1_000_000L;
    }

    int state() {
        return state;
    }

    void state(final int newState) {
        state = newState;
    }

    /** @return true for exactly one caller: the one that moved the call from {@code expected} to DONE. */
    boolean finish(final int expected) {
        return STATE.compareAndSet(this, expected, DONE);
    }

    /** Hands over the input buffer (its release becomes the taker's job). */
    ByteBuf takeInput() {
        final ByteBuf b = input;
        input = null;
        return b;
    }

    void releaseInput() {
        final ByteBuf b = takeInput();
        if (b != null) {
            b.release();
        }
    }

    void cancelTimer() {
        final ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** The deadline timer. */
    @Override
    public void run() {
        handler.router().onTimer(this);
    }
}
