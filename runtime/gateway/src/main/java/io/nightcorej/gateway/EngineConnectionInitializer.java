package io.nightcorej.gateway;

import java.nio.ByteOrder;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Pipeline of an engine connection: split the byte stream into frames by the header's little-endian payloadSize at
 * offset 28, then {@link EngineConnectionHandler}.
 */
final class EngineConnectionInitializer extends ChannelInitializer<Channel> {

    private final CallRouter router;
    private final int maxFrameLength;

    EngineConnectionInitializer(final CallRouter router) {
        this.router = router;
        // Outputs may legitimately exceed the gateway's input limit; the engine enforces its own output limit.
        this.maxFrameLength = (int) Math.min(Integer.MAX_VALUE - 64, 4L * router.context().maxPayloadBytes() + EngineWire.HEADER_LENGTH);
    }

    @Override
    protected void initChannel(final Channel ch) {
        ch.pipeline().addLast("frames", newFrameDecoder(maxFrameLength));
        ch.pipeline().addLast("engine", new EngineConnectionHandler(router));
    }

    static LengthFieldBasedFrameDecoder newFrameDecoder(final int maxFrameLength) {
        return new LengthFieldBasedFrameDecoder(ByteOrder.LITTLE_ENDIAN, maxFrameLength, EngineWire.PAYLOAD_SIZE_OFFSET, 4, 0, 0, true);
    }
}
