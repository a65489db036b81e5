package io.nightcorej.engine;

import io.nightcorej.protocol.config.FunctionConfig;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One function's scheduler: a FIFO queue of calls, a LIFO stack of idle workers (the most recently freed worker is
 * the warmest: its thread, caches and JIT state are hot), and the Little's-law {@link ConcurrencyLimit}.
 *
 * <p>A new call goes to an idle worker only while fewer than tau calls run and nothing is queued ahead of it;
 * otherwise it waits. A worker that finishes takes the head of the queue at once (no tau check there: the number of
 * running calls does not change). Workers are added when calls wait with no idle worker, at most once per grow
 * interval but by as many as needed, up to maxWorkers; idle workers beyond minWorkers are stopped after the idle
 * timeout, least recently used first.
 *
 * <p><b>Dispatch ahead.</b> When every worker is busy, the function cannot add workers, and its calls are short (average
 * processing time at most {@code engine.dispatchAheadMaxMicros}), a new call is sent at once to a busy worker (the one
 * whose call started first) instead of waiting in the queue; the worker finds it in its channel when it finishes and
 * starts it without sleeping, and without waiting for the engine to see its result and answer with the next call.
 * On a 2-core machine that round trip (two wake-ups) held a nop function's worker for ~85 µs per call of ~1 µs work,
 * so two workers could not serve more than ~23k calls/s (runtime/README.md, "Dispatch ahead"). At most one call per
 * worker is sent ahead, and only to containers that declared they keep such calls (LAUNCHER_HANDSHAKE). A call sent
 * ahead counts as running for tau, and its queueing time runs until its worker starts it.
 *
 * <p>All methods hold the dispatcher's lock briefly and never do I/O; the engine sends messages after they return.
 */
final class Dispatcher {

    private final FunctionConfig function;
    private final FunctionStats stats = new FunctionStats();
    private final ConcurrencyLimit limit = new ConcurrencyLimit();
    private final boolean limitEnabled;
    private final long growIntervalNanos;
    private final long idleTimeoutNanos;

    private final ArrayDeque<CallRecord> queue = new ArrayDeque<>();
    private final ArrayDeque<WorkerHandle> idle = new ArrayDeque<>();
    private final Set<WorkerHandle> workers = new HashSet<>();
    /** The same workers, for iteration without an iterator object per call. */
    private final ArrayList<WorkerHandle> workerList = new ArrayList<>();
    private final long aheadMaxMicros;
    /** Smoothed processing time (µs) of this function's calls, as the workers report it. */
    private double processingMicros = Double.MAX_VALUE;
    private long processingSamples;
    private long sentAhead;
    /**
     * Set for good once one of its calls calls another function: a call sent ahead would wait behind a nested call
     * chain (and wake the waiting worker only to be put aside), so such functions never get calls sent ahead.
     */
    private volatile boolean callsOthers;
    private int running;
    private int requested;
    private long lastGrowNanos = Long.MIN_VALUE / 2;

    volatile FunctionContainer container;

    Dispatcher(final FunctionConfig function, final boolean limitEnabled, final long growIntervalMs, final long idleTimeoutMs) {
        this(function, limitEnabled, growIntervalMs, idleTimeoutMs, 0);
    }

    Dispatcher(final FunctionConfig function, final boolean limitEnabled, final long growIntervalMs, final long idleTimeoutMs,
               final int aheadMaxMicros) {
        this.function = function;
        this.aheadMaxMicros = aheadMaxMicros;
        this.limitEnabled = limitEnabled;
        this.growIntervalNanos = growIntervalMs * 1_000_000L;
        this.idleTimeoutNanos = idleTimeoutMs * 1_000_000L;
    }

    FunctionConfig function() {
        return function;
    }

    FunctionStats stats() {
        return stats;
    }

    /**
     * A new call arrives.
     *
     * @return the call to send now to its {@link CallRecord#worker}: this one, or, when calls are queued and one may be
     *     sent ahead, the oldest queued call (this one then waits behind it); null when nothing is to be sent.
     */
    synchronized CallRecord admit(final CallRecord call, final long now) {
        limit.onArrival(now);
        if (running < currentLimit()) {
            if (queue.isEmpty() && !idle.isEmpty()) {
                assign(idle.pop(), call, now);
                return call;
            }
            final WorkerHandle busy = aheadTarget();
            if (busy != null) {
                queue.addLast(call);
                final CallRecord oldest = pollQueue();
                sendAhead(busy, oldest, now);
                return oldest;
            }
        }
        queue.addLast(call);
        return null;
    }

    /**
     * Takes back a call that was sent ahead to a worker that is now gone (it never started): it goes to an idle worker,
     * else to the head of the queue.
     *
     * @return the worker it was assigned to (the caller sends it), or null when it was queued.
     */
    synchronized WorkerHandle readmit(final CallRecord call, final long now) {
        if (queue.isEmpty() && !idle.isEmpty()) {
            final WorkerHandle worker = idle.pop();
            assign(worker, call, now);
            return worker;
        }
        queue.addFirst(call);
        return null;
    }

    /**
     * A worker finished (or abandoned) its call.
     *
     * @return the next call now assigned to the worker (the caller sends it, then its {@link CallRecord#sendAlso}), or
     *     null.
     */
    synchronized CallRecord release(final WorkerHandle worker, final long now, final int processingMicros) {
        final CallRecord finished = worker.current;
        if (finished == null) {
            return null;
        }
        limit.onFinish(now - finished.dispatchedNanos);
        noteProcessing(processingMicros);
        worker.current = null;
        running--;
        if (worker.dead || !workers.contains(worker)) {
            return null;
        }
        final CallRecord ahead = worker.ahead;
        if (ahead != null) {
            // Already in the worker's channel: it starts now, and the next queued call (if any) may follow it ahead.
            worker.ahead = null;
            worker.current = ahead;
            ahead.dispatchedNanos = now;
            final CallRecord next = aheadAllowed() ? pollQueue() : null;
            if (next != null) {
                sendAhead(worker, next, now);
            }
            return next;
        }
        final CallRecord next = takeNextOrIdle(worker, now);
        if (next != null && !queue.isEmpty() && aheadAllowed() && worker.container.dispatchAhead) {
            final CallRecord follower = pollQueue();
            if (follower != null) {
                sendAhead(worker, follower, now);
                next.sendAlso = follower;
            }
        }
        return next;
    }

    /**
     * A new worker is ready.
     *
     * @return a queued call now assigned to it, or null.
     */
    synchronized CallRecord addWorker(final WorkerHandle worker, final long now) {
        requested = Math.max(0, requested - 1);
        workers.add(worker);
        workerList.add(worker);
        return takeNextOrIdle(worker, now);
    }

    /**
     * A worker is gone (its container died).
     *
     * @return the call it was running, or null.
     */
    synchronized CallRecord removeWorker(final WorkerHandle worker) {
        workers.remove(worker);
        workerList.remove(worker);
        idle.remove(worker);
        final CallRecord current = worker.current;
        if (current != null) {
            worker.current = null;
            running--;
        }
        return current;
    }

    /**
     * @return the call that was sent ahead to a removed worker and so never started (to be readmitted), or null.
     */
    synchronized CallRecord takeAhead(final WorkerHandle worker) {
        final CallRecord ahead = worker.ahead;
        if (ahead != null) {
            worker.ahead = null;
            ahead.worker = null;
            running--;
        }
        return ahead;
    }

    /** Worker requests that will not be answered (their container died or refused). */
    synchronized void requestsLost(final int count) {
        requested = Math.max(0, requested - count);
    }

    /** Forgets outstanding requests, e.g. when a new container generation starts. */
    synchronized void resetRequests() {
        requested = 0;
    }

    /**
     * Decides how many workers to add now.
     *
     * @return the count to request (already counted as requested), 0 for none.
     */
    synchronized int workersToAdd(final long now) {
        final int have = workers.size() + requested;
        int want = 0;
        if (have < function.minWorkers()) {
            want = function.minWorkers();
        }
        if (!queue.isEmpty() && idle.isEmpty()) {
            want = Math.max(want, Math.min(function.maxWorkers(), running + queue.size()));
        }
        final int need = Math.min(want, function.maxWorkers()) - have;
        if (need <= 0) {
            return 0;
        }
        if (have >= function.minWorkers() && now - lastGrowNanos < growIntervalNanos) {
            return 0;
        }
        lastGrowNanos = now;
        requested += need;
        return need;
    }

    /** @return idle workers beyond minWorkers that have been idle longer than the idle timeout (now removed). */
    synchronized List<WorkerHandle> idleWorkersToStop(final long now) {
        List<WorkerHandle> stop = null;
        while (workers.size() > function.minWorkers() && !idle.isEmpty()
            && now - idle.peekLast().idleSinceNanos > idleTimeoutNanos) {
            final WorkerHandle worker = idle.pollLast();
            workers.remove(worker);
            workerList.remove(worker);
            if (stop == null) {
                stop = new ArrayList<>();
            }
            stop.add(worker);
        }
        return stop == null ? List.of() : stop;
    }

    /** @return every queued call, removed from the queue (used when the function cannot run at all). */
    synchronized List<CallRecord> drainQueue() {
        final List<CallRecord> drained = new ArrayList<>(queue);
        queue.clear();
        return drained;
    }

    synchronized void writeStats(final com.fasterxml.jackson.databind.node.ObjectNode node) {
        node.put("running", running);
        node.put("queued", queue.size());
        node.put("workers", workers.size());
        node.put("idle", idle.size());
        node.put("sent_ahead", sentAhead);
        node.put("tau", limitEnabled ? (limit.warm() ? limit.tau() : function.maxWorkers()) : function.maxWorkers());
        node.put("rate_per_s", limit.rate());
        node.put("hold_us", limit.holdTimeSeconds() * 1e6);
    }

    synchronized int workerCount() {
        return workers.size();
    }

    synchronized int idleCount() {
        return idle.size();
    }

    private int currentLimit() {
        return limitEnabled ? limit.limit(function.minWorkers(), function.maxWorkers()) : Integer.MAX_VALUE;
    }

    private void noteProcessing(final int micros) {
        // A plain EMA (alpha 1/16) after the first 16 samples; until then their mean.
        processingSamples++;
        if (processingSamples == 1) {
            processingMicros = micros;
        } else {
            final double alpha = processingSamples <= 16 ? 1.0 / processingSamples : 1.0 / 16;
            processingMicros += alpha * (micros - processingMicros);
        }
    }

    /** Notes that a call of this function made a nested call (see {@link #callsOthers}). */
    void noteCallsOthers() {
        if (!callsOthers) {
            callsOthers = true;
        }
    }

    /** Whether calls may be sent ahead now: short calls that call no other function, and no more workers to come. */
    private boolean aheadAllowed() {
        return aheadMaxMicros > 0 && !callsOthers && processingSamples >= 16 && processingMicros <= aheadMaxMicros
            && workers.size() + requested >= function.maxWorkers();
    }

    /** @return the busy worker a new call may be sent ahead to (its call started first), or null. */
    private WorkerHandle aheadTarget() {
        if (!aheadAllowed()) {
            return null;
        }
        WorkerHandle best = null;
        for (int i = 0; i < workerList.size(); i++) {
            final WorkerHandle w = workerList.get(i);
            if (w.current != null && w.ahead == null && !w.dead && w.container.dispatchAhead
                && (best == null || w.current.dispatchedNanos - best.current.dispatchedNanos < 0)) {
                best = w;
            }
        }
        return best;
    }

    private void sendAhead(final WorkerHandle worker, final CallRecord call, final long now) {
        sentAhead++;
        worker.ahead = call;
        call.worker = worker;
        // Provisional: the call starts (and its queueing time ends) when the worker's current call is done (release).
        call.dispatchedNanos = now;
        running++;
    }

    private CallRecord pollQueue() {
        CallRecord next;
        while ((next = queue.pollFirst()) != null) {
            if (!next.cancelled) {
                return next;
            }
        }
        return null;
    }

    private CallRecord takeNextOrIdle(final WorkerHandle worker, final long now) {
        CallRecord next;
        while ((next = queue.pollFirst()) != null) {
            if (!next.cancelled) {
                assign(worker, next, now);
                next.moreQueued = !queue.isEmpty();
                return next;
            }
        }
        worker.idleSinceNanos = now;
        idle.push(worker);
        return null;
    }

    private void assign(final WorkerHandle worker, final CallRecord call, final long now) {
        worker.current = call;
        call.worker = worker;
        call.dispatchedNanos = now;
        running++;
    }
}
