package io.nightcorej.gateway;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's end of one engine connection. The first frame must be {@code ENGINE_HANDSHAKE} with payload
 * {@code {"nodeId":n,"connId":c}}; after it the connection carries the engine's answers ({@code FUNC_CALL_COMPLETE},
 * {@code FUNC_CALL_FAILED}) and {@code STATS_REPLY}s. Anything else closes the connection with a logged reason, and the
 * calls it was running fail with 502.
 */
final class EngineConnectionHandler extends SimpleChannelInboundHandler<ByteBuf> {

    private static final Logger LOG = LoggerFactory.getLogger(EngineConnectionHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CallRouter router;
    private EngineConnection connection;

    EngineConnectionHandler(final CallRouter router) {
        this.router = router;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf frame) {
        final int type = EngineWire.type(frame);
        if (connection == null) {
            if (type != EngineWire.ENGINE_HANDSHAKE) {
                fail(ctx, "expected ENGINE_HANDSHAKE as the first frame, got type " + type);
                return;
            }
            final String json = frame.toString(frame.readerIndex() + EngineWire.HEADER_LENGTH, EngineWire.payloadSize(frame),
                StandardCharsets.UTF_8);
            try {
                final JsonNode n = JSON.readTree(json);
                if (n == null || !n.path("nodeId").canConvertToInt()) {
                    fail(ctx, "ENGINE_HANDSHAKE without an integer nodeId: " + json);
                    return;
                }
                connection = new EngineConnection(ctx.channel(), n.get("nodeId").asInt(), n.path("connId").asInt(0));
            } catch (final Exception e) {
                fail(ctx, "ENGINE_HANDSHAKE payload is not JSON: " + json);
                return;
            }
            router.engineConnected(connection);
            LOG.info("{} connected", connection);
            return;
        }
        switch (type) {
            case EngineWire.FUNC_CALL_COMPLETE:
            case EngineWire.FUNC_CALL_FAILED:
                router.onEngineAnswer(frame);
                return;
            case EngineWire.STATS_REPLY:
                router.onStatsReply(connection.nodeId, frame);
                return;
            default:
                fail(ctx, "unexpected frame type " + type + " from " + connection);
        }
    }

    private void fail(final ChannelHandlerContext ctx, final String reason) {
        LOG.warn("closing engine connection {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            router.engineDisconnected(connection);
            LOG.info("{} disconnected", connection);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        fail(ctx, cause.toString());
    }
}
