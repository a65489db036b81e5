package io.nightcorej.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;

/**
 * Admission control, engine choice, deadlines and the matching of engine answers to waiting HTTP requests.
 *
 * <p><b>Admission.</b> Each connected engine runs at most {@code maxRunningRequests} external calls at once
 * (0 = unlimited). A call that finds every engine full waits in one FIFO at the gateway; when that FIFO already holds
 * {@code maxQueuedRequests} calls the new one is refused with 503. A call that arrives while no engine is connected
 * waits up to {@code noEngineWaitMs} for one, then gets 503.
 *
 * <p><b>Choice.</b> The engine with the fewest calls in flight wins (the original's {@code --lb_pick_least_load}, used in
 * every experiment); among its connections, one served by the HTTP connection's own event loop.
 *
 * <p><b>Deadlines.</b> Every call gets a timer on its HTTP connection's event loop for the function's {@code timeoutMs};
 * the engine is told the remaining budget in the DISPATCH frame's time field so it can stop waiting too. The first of
 * answer, deadline and loss of the engine connection decides the HTTP status; the others find the call DONE.
 *
 * <p>The lock guards only the engine list, the slot counts and the FIFO; it is held for a few field updates per call.
 */
final class CallRouter {

    private final GatewayServer.Context context;
    private final Map<String, FunctionRoute> routes;
    private final Map<Integer, FunctionRoute> routesById;
    private final GatewayStats stats;
    private final ConcurrentHashMap<Long, PendingCall> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, StatsCollection> statsRequests = new ConcurrentHashMap<>();
    private final AtomicLong nextCallId = new AtomicLong();

    // Guarded by this.
    private final List<EngineNode> nodes = new ArrayList<>();
    private final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
    private int totalInFlight;

    CallRouter(final GatewayServer.Context context) {
        this.context = context;
        final Map<String, FunctionRoute> byName = new HashMap<>();
        final Map<Integer, FunctionRoute> byId = new HashMap<>();
        for (final FunctionRoute r : context.functions()) {
            if (byName.put(r.name(), r) != null) {
                throw new IllegalArgumentException("function configured twice: " + r.name());
            }
            if (byId.put(r.id(), r) != null) {
                throw new IllegalArgumentException("function id used twice: " + r.id());
            }
        }
        this.routes = Collections.unmodifiableMap(byName);
        this.routesById = Collections.unmodifiableMap(byId);
        this.stats = new GatewayStats(context.functions());
    }

    GatewayServer.Context context() {
        return context;
    }

    FunctionRoute route(final String name) {
        return routes.get(name);
    }

    GatewayStats stats() {
        return stats;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Calls

    /** Admits a call; runs on the HTTP connection's event loop. */
    void submit(final PendingCall call, final EventLoop loop) {
        call.callId = nextCallId.incrementAndGet();
        EngineConnection target = null;
        boolean refused = false;
        boolean noEngine = false;
        synchronized (this) {
            final EngineNode node = pickNode();
            if (node != null) {
                target = assign(call, node, loop);
            } else if (queue.size() >= context.maxQueuedRequests()) {
                refused = true;
            } else {
                noEngine = nodes.isEmpty();
                call.state(PendingCall.QUEUED);
                queue.addLast(call);
            }
        }
        if (refused) {
            call.state(PendingCall.DONE);
            call.releaseInput();
            call.handler.complete(call, HttpResponseStatus.SERVICE_UNAVAILABLE,
                "overloaded: " + context.maxQueuedRequests() + " calls already queued at the gateway (maxQueuedRequests)");
            return;
        }
        final long timeoutNanos = noEngine
            ? Math.min(TimeUnit.MILLISECONDS.toNanos(context.noEngineWaitMs()), call.route.timeoutMs() * 1_000_000L)
            : call.route.timeoutMs() * 1_000_000L;
        call.timer = loop.schedule(call, timeoutNanos, TimeUnit.NANOSECONDS);
        if (target != null) {
            send(target, call);
        }
    }

    /** Caller holds the lock. @return the least-loaded engine with a free slot, or null. */
    private EngineNode pickNode() {
        final int max = context.maxRunningRequests();
        EngineNode best = null;
        for (int i = 0, n = nodes.size(); i < n; i++) {
            final EngineNode node = nodes.get(i);
            if ((max <= 0 || node.inFlight < max) && (best == null || node.inFlight < best.inFlight)) {
                best = node;
            }
        }
        return best;
    }

    /** Caller holds the lock. */
    private EngineConnection assign(final PendingCall call, final EngineNode node, final EventLoop loop) {
        final EngineConnection c = node.pick(loop);
        node.inFlight++;
        totalInFlight++;
        call.connection = c;
        call.state(PendingCall.DISPATCHED);
        inFlight.put(call.callId, call);
        return c;
    }

    private void send(final EngineConnection c, final PendingCall call) {
        final Channel ch = c.channel;
        final ByteBuf input = call.takeInput();
        final long remainingUs = Math.max(1, (call.deadlineNanos - System.nanoTime()) / 1000);
        final ByteBuf header = EngineWire.header(ch.alloc(), EngineWire.DISPATCH_FUNC_CALL, call.route.id(), 0,
            call.callId, remainingUs, input.readableBytes());
        if (ch.eventLoop().inEventLoop()) {
            ch.write(header, ch.voidPromise());
            ch.write(input, ch.voidPromise());
            FlushBatcher.flushLater(ch);
        } else {
            ch.eventLoop().execute(() -> {
                ch.write(header, ch.voidPromise());
                ch.writeAndFlush(input, ch.voidPromise());
            });
        }
    }

    /** Frees the call's engine slot and gives it to the head of the FIFO, if any. */
    private void releaseSlot(final PendingCall call) {
        final EngineConnection c = call.connection;
        synchronized (this) {
            c.node.inFlight--;
            totalInFlight--;
        }
        drainQueue();
    }

    private void drainQueue() {
        while (true) {
            EngineConnection target = null;
            PendingCall next = null;
            synchronized (this) {
                if (queue.isEmpty()) {
                    return;
                }
                final EngineNode node = pickNode();
                if (node == null) {
                    return;
                }
                next = queue.pollFirst();
                if (next.state() != PendingCall.QUEUED) {
                    continue;
                }
                if (!next.handler.isActive()) {
                    next.state(PendingCall.DONE);
                } else {
                    target = assign(next, node, next.handler.eventLoop());
                }
            }
            if (target != null) {
                send(target, next);
            } else {
                next.cancelTimer();
                next.releaseInput();
            }
        }
    }

    /** The engine answered; runs on the engine connection's event loop. The frame stays owned by the caller. */
    void onEngineAnswer(final ByteBuf frame) {
        final PendingCall call = inFlight.remove(EngineWire.callId(frame));
        if (call == null || !call.finish(PendingCall.DISPATCHED)) {
            return; // answered after its deadline, or its engine connection was already declared lost
        }
        call.cancelTimer();
        releaseSlot(call);
        if (EngineWire.type(frame) == EngineWire.FUNC_CALL_COMPLETE) {
            call.handler.completeOk(call, EngineWire.retainedPayload(frame));
        } else {
            final int code = EngineWire.status(frame);
            final String message = frame.toString(frame.readerIndex() + EngineWire.HEADER_LENGTH, EngineWire.payloadSize(frame),
                StandardCharsets.UTF_8);
            call.handler.complete(call, httpStatusOf(code), call.route.name() + ": " + statusName(code)
                + (message.isEmpty() ? "" : ": " + message));
        }
    }

    /**
     * Maps a {@code FunctionCallException.Status} wire code to the HTTP status the client sees.
     */
    static HttpResponseStatus httpStatusOf(final int code) {
        switch (code) {
            case 2: return HttpResponseStatus.NOT_FOUND;
            case 3: return HttpResponseStatus.GATEWAY_TIMEOUT;
            case 4: return HttpResponseStatus.BAD_GATEWAY;
            case 5: return HttpResponseStatus.SERVICE_UNAVAILABLE;
            case 6: return HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case 7: return HttpResponseStatus.SERVICE_UNAVAILABLE;
            default: return HttpResponseStatus.INTERNAL_SERVER_ERROR;
        }
    }

    static String statusName(final int code) {
        switch (code) {
            case 1: return "FAILED";
            case 2: return "NOT_FOUND";
            case 3: return "TIMEOUT";
            case 4: return "WORKER_DIED";
            case 5: return "OVERLOADED";
            case 6: return "PAYLOAD_TOO_LARGE";
            case 7: return "UNAVAILABLE";
            default: return "FAILED(" + code + ")";
        }
    }

    /** The call's timer fired; runs on the HTTP connection's event loop. */
    void onTimer(final PendingCall call) {
        final int s = call.state();
        if (s == PendingCall.QUEUED) {
            final boolean noEngine;
            synchronized (this) {
                if (call.state() != PendingCall.QUEUED) {
                    return;
                }
                noEngine = nodes.isEmpty();
                final long remaining = call.deadlineNanos - System.nanoTime();
                if (!noEngine && remaining > 0) {
                    // It waited for an engine, one came, and it now waits for a slot: the deadline still applies.
                    call.timer = call.handler.eventLoop().schedule(call, remaining, TimeUnit.NANOSECONDS);
                    return;
                }
                call.state(PendingCall.DONE);
                queue.remove(call);
            }
            call.releaseInput();
            if (noEngine && System.nanoTime() < call.deadlineNanos) {
                call.handler.complete(call, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "no engine connected to the gateway (waited " + context.noEngineWaitMs() + " ms)");
            } else {
                call.handler.complete(call, HttpResponseStatus.GATEWAY_TIMEOUT, call.route.name()
                    + ": deadline of " + call.route.timeoutMs() + " ms passed while queued at the gateway");
            }
        } else if (s == PendingCall.DISPATCHED && call.finish(PendingCall.DISPATCHED)) {
            inFlight.remove(call.callId);
            releaseSlot(call);
            call.handler.complete(call, HttpResponseStatus.GATEWAY_TIMEOUT,
                call.route.name() + ": deadline of " + call.route.timeoutMs() + " ms passed");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Engines

    void engineConnected(final EngineConnection c) {
        synchronized (this) {
            EngineNode node = null;
            for (final EngineNode n : nodes) {
                if (n.nodeId == c.nodeId) {
                    node = n;
                }
            }
            if (node == null) {
                node = new EngineNode(c.nodeId);
                nodes.add(node);
            }
            node.connections.add(c);
            c.node = node;
        }
        drainQueue();
    }

    void engineDisconnected(final EngineConnection c) {
        synchronized (this) {
            final EngineNode node = c.node;
            if (node == null || !node.connections.remove(c)) {
                return;
            }
            if (node.connections.isEmpty()) {
                nodes.remove(node);
            }
        }
        for (final PendingCall call : inFlight.values()) {
            if (call.connection == c && inFlight.remove(call.callId, call) && call.finish(PendingCall.DISPATCHED)) {
                call.cancelTimer();
                releaseSlot(call);
                call.handler.complete(call, HttpResponseStatus.BAD_GATEWAY,
                    call.route.name() + ": UNAVAILABLE: lost the connection to " + c + " while the call was running");
            }
        }
        for (final StatsCollection sc : statsRequests.values()) {
            sc.connectionLost(c.nodeId);
        }
    }

    synchronized int enginesConnected() {
        return nodes.size();
    }

    synchronized int inFlightCount() {
        return totalInFlight;
    }

    synchronized int queuedCount() {
        return queue.size();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Engine statistics

    /**
     * Asks every connected engine for its STATS_REPLY. The future completes with one JSON string per engine, an error
     * object standing in for an engine that did not answer within {@code timeoutMs}.
     */
    CompletableFuture<List<String>> collectEngineStats(final EventExecutor timerExecutor, final long timeoutMs) {
        final List<EngineConnection> targets = new ArrayList<>();
        synchronized (this) {
            for (final EngineNode n : nodes) {
                targets.add(n.connections.get(0));
            }
        }
        final long id = nextCallId.incrementAndGet();
        final StatsCollection sc = new StatsCollection(id, targets);
        if (targets.isEmpty()) {
            sc.future.complete(List.of());
            return sc.future;
        }
        statsRequests.put(id, sc);
        sc.future.whenComplete((r, e) -> statsRequests.remove(id));
        for (final EngineConnection c : targets) {
            final ByteBuf header = EngineWire.header(c.channel.alloc(), EngineWire.STATS_REQUEST, 0, 0, id, 0, 0);
            c.channel.writeAndFlush(header, c.channel.voidPromise());
        }
        timerExecutor.schedule(sc::timeout, timeoutMs, TimeUnit.MILLISECONDS);
        return sc.future;
    }

    void onStatsReply(final int nodeId, final ByteBuf frame) {
        final StatsCollection sc = statsRequests.get(EngineWire.callId(frame));
        if (sc != null) {
            sc.reply(nodeId, frame.toString(frame.readerIndex() + EngineWire.HEADER_LENGTH, EngineWire.payloadSize(frame),
                StandardCharsets.UTF_8));
        }
    }

    FunctionRoute routeById(final int id) {
        return routesById.get(id);
    }

    /** Replies to one STATS_REQUEST fan-out. */
    private static final class StatsCollection {
        final long id;
        final Map<Integer, String> replies = new HashMap<>();
        final List<Integer> expected = new ArrayList<>();
        final CompletableFuture<List<String>> future = new CompletableFuture<>();

        StatsCollection(final long id, final List<EngineConnection> targets) {
            this.id = id;
            for (final EngineConnection c : targets) {
                expected.add(c.nodeId);
            }
        }

        synchronized void reply(final int nodeId, final String json) {
            replies.put(nodeId, json);
            if (replies.size() >= expected.size()) {
                finish(null);
            }
        }

        synchronized void connectionLost(final int nodeId) {
            if (!replies.containsKey(nodeId) && expected.contains(nodeId)) {
                replies.put(nodeId, "{\"nodeId\":" + nodeId + ",\"error\":\"engine connection lost before STATS_REPLY\"}");
                if (replies.size() >= expected.size()) {
                    finish(null);
                }
            }
        }

        synchronized void timeout() {
            finish("no STATS_REPLY in time (request " + id + ")");
        }

        private void finish(final String missingReason) {
            if (future.isDone()) {
                return;
            }
            final List<String> out = new ArrayList<>();
            for (final Integer node : expected) {
                final String r = replies.get(node);
                out.add(r != null ? r : "{\"nodeId\":" + node + ",\"error\":\"" + missingReason + "\"}");
            }
            future.complete(out);
        }
    }
}
