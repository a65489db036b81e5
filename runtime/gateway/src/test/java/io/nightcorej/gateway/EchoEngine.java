package io.nightcorej.gateway;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * A stand-in engine for gateway socket tests and for measuring the gateway alone: answers every DISPATCH at once with
 * its input as output, and STATS_REQUEST with an empty function map. Not the real engine (runtime/engine).
 */
final class EchoEngine implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    EchoEngine(final String host, final int port, final int nodeId) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(final Channel ch) {
                    ch.pipeline().addLast(EngineConnectionInitializer.newFrameDecoder(64 << 20), new Echo());
                }
            }).connect(host, port).sync().channel();
        final byte[] hs = ("{\"nodeId\":" + nodeId + ",\"connId\":0}").getBytes(StandardCharsets.UTF_8);
        channel.write(EngineWire.header(channel.alloc(), EngineWire.ENGINE_HANDSHAKE, 0, 0, 0, 0, hs.length));
        channel.writeAndFlush(channel.alloc().buffer().writeBytes(hs)).sync();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private static final class Echo extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final ByteBuf frame) {
            final int type = EngineWire.type(frame);
            if (type == EngineWire.DISPATCH_FUNC_CALL) {
                final ByteBuf payload = EngineWire.retainedPayload(frame);
                ctx.write(EngineWire.header(ctx.alloc(), EngineWire.FUNC_CALL_COMPLETE, EngineWire.functionId(frame), 0,
                    EngineWire.callId(frame), 1, payload.readableBytes()));
                ctx.writeAndFlush(payload);
            } else if (type == EngineWire.STATS_REQUEST) {
                final byte[] p = "{\"nodeId\":0,\"functions\":{}}".getBytes(StandardCharsets.UTF_8);
                ctx.write(EngineWire.header(ctx.alloc(), EngineWire.STATS_REPLY, 0, 0, EngineWire.callId(frame), 0, p.length));
                ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(p));
            }
        }
    }
}
