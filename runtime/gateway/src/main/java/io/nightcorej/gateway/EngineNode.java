package io.nightcorej.gateway;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.EventLoop;

/**
 * An engine (one per host, identified by its node id) with its connections and its count of calls in flight.
 * Guarded by the {@link CallRouter}'s lock.
 */
final class EngineNode {

    final int nodeId;
    final List<EngineConnection> connections = new ArrayList<>(4);
    int inFlight;
    private int next;

    EngineNode(final int nodeId) {
        this.nodeId = nodeId;
    }

    /**
     * Picks a connection served by {@code loop} (then the dispatch, the engine's answer and the HTTP response all run
     * on one thread with no hand-off, as the original pins them): preferably one that already has unflushed dispatches
     * from this pass of the loop, so that a burst of requests reaches the engine in one {@code writev} and wakes one of
     * its reader threads instead of all of them; otherwise round-robin. A connection of another loop only when none is
     * on this one.
     */
    EngineConnection pick(final EventLoop loop) {
        final int n = connections.size();
        EngineConnection roundRobin = null;
        int roundRobinIndex = -1;
        for (int i = 0; i < n; i++) {
            final int index = (next + i) % n;
            final EngineConnection c = connections.get(index);
            if (c.channel.eventLoop() == loop) {
                if (c.hasPendingWrites()) {
                    return c;
                }
                if (roundRobin == null) {
                    roundRobin = c;
                    roundRobinIndex = index;
                }
            }
        }
        if (roundRobin != null) {
            next = (roundRobinIndex + 1) % n;
            return roundRobin;
        }
        final EngineConnection c = connections.get(next % n);
        next = (next + 1) % n;
        return c;
    }
}
