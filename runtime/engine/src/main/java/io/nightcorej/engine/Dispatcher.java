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
    private int running;
    private int requested;
    private long lastGrowNanos = Long.MIN_VALUE / 2;

    volatile FunctionContainer container;

    Dispatcher(final FunctionConfig function, final boolean limitEnabled, final long growIntervalMs, final long idleTimeoutMs) {
        this.function = function;
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
     * @return the worker it was assigned to (the caller sends it), or null when it was queued.
     */
    synchronized WorkerHandle admit(final CallRecord call, final long now) {
        limit.onArrival(now);
        if (queue.isEmpty() && !idle.isEmpty() && running < currentLimit()) {
            final WorkerHandle worker = idle.pop();
            assign(worker, call, now);
            return worker;
        }
        queue.addLast(call);
        return null;
    }

    /**
     * A worker finished (or abandoned) its call.
     *
     * @return the next call now assigned to the worker (the caller sends it), or null.
     */
    synchronized CallRecord release(final WorkerHandle worker, final long now) {
        final CallRecord finished = worker.current;
        if (finished == null) {
            return null;
        }
        limit.onFinish(now - finished.dispatchedNanos);
        worker.current = null;
        running--;
        if (worker.dead || !workers.contains(worker)) {
            return null;
        }
        return takeNextOrIdle(worker, now);
    }

    /**
     * A new worker is ready.
     *
     * @return a queued call now assigned to it, or null.
     */
    synchronized CallRecord addWorker(final WorkerHandle worker, final long now) {
        requested = Math.max(0, requested - 1);
        workers.add(worker);
        return takeNextOrIdle(worker, now);
    }

    /**
     * A worker is gone (its container died).
     *
     * @return the call it was running, or null.
     */
    synchronized CallRecord removeWorker(final WorkerHandle worker) {
        workers.remove(worker);
        idle.remove(worker);
        final CallRecord current = worker.current;
        if (current != null) {
            worker.current = null;
            running--;
        }
        return current;
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
