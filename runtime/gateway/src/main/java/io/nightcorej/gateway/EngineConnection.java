package io.nightcorej.gateway;

import io.netty.channel.Channel;

/**
 * One TCP connection from an engine, after its {@code ENGINE_HANDSHAKE}. An engine opens several; they share the
 * engine's admission slots ({@link EngineNode}).
 */
final class EngineConnection {

    final Channel channel;
    final int nodeId;
    final int connId;
    EngineNode node;

    EngineConnection(final Channel channel, final int nodeId, final int connId) {
        this.channel = channel;
        this.nodeId = nodeId;
        this.connId = connId;
    }

    @Override
    public String toString() {
        return "engine node " + nodeId + " conn " + connId + " (" + channel.remoteAddress() + ")";
    }
}
