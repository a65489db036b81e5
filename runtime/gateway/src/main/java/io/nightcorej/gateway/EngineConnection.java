package io.nightcorej.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;

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

    /**
     * @return whether bytes written to this connection are still waiting (not yet flushed, or not yet taken by the
     *         socket). Call only on the connection's event loop.
     */
    boolean hasPendingWrites() {
        final ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out != null && out.totalPendingWriteBytes() > 0;
    }

    @Override
    public String toString() {
        return "engine node " + nodeId + " conn " + connId + " (" + channel.remoteAddress() + ")";
    }
}
