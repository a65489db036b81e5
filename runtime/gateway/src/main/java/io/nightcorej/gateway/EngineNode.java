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
     * Round-robin over the connections, preferring one served by {@code loop}: then the dispatch, the engine's answer
     * and the HTTP response all run on one thread with no hand-off, as the original pins them.
     */
    EngineConnection pick(final EventLoop loop) {
        final int n = connections.size();
        for (int i = 0; i < n; i++) {
            final EngineConnection c = connections.get((next + i) % n);
            if (c.channel.eventLoop() == loop) {
                next = (next + i + 1) % n;
                return c;
            }
        }
        final EngineConnection c = connections.get(next % n);
        next = (next + 1) % n;
        return c;
    }
}
