package io.nightcorej.loadgen.calibrate;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The smallest useful HTTP/1.1 server: answers every request with {@code 200 ok} (keep-alive), optionally after a
 * delay chosen per request. It is the calibration target of {@code bin/loadgen calibrate} and, with a delay function,
 * the stalling/slow server of the tests.
 *
 * <pre>{@code
 * try (TrivialHttpServer s = TrivialHttpServer.start(new TrivialHttpServer.Context().port(0))) {
 *     URI url = s.url();
 * }
 * }</pre>
 */
public final class TrivialHttpServer implements AutoCloseable {
    private static final byte[] BODY = "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Settings. */
    public static final class Context {
        private String bind = "127.0.0.1";
        private int port;
        private int ioThreads = 1;
        private LongUnaryOperator delayNanos = now -> 0L;
        private HttpResponseStatus status = HttpResponseStatus.OK;
        private boolean busyPoll;

        /**
         * @param v spin on a non-blocking epoll poll instead of sleeping in epoll_wait (epoll only). For a server with
         *          a CPU of its own: clients' sends then never have to wake it (no cross-CPU wake-up per request).
         * @return this
         */
        public Context busyPoll(final boolean v) {
            busyPoll = v;
            return this;
        }

        /** @param v status of every answer (200 by default; tests use others). @return this */
        public Context status(final int v) {
            status = HttpResponseStatus.valueOf(v);
            return this;
        }

        /** @param v bind address (loopback by default). @return this */
        public Context bind(final String v) {
            bind = v;
            return this;
        }

        /** @param v port, 0 = any free port. @return this */
        public Context port(final int v) {
            port = v;
            return this;
        }

        /** @param v event-loop threads. @return this */
        public Context ioThreads(final int v) {
            ioThreads = v;
            return this;
        }

        /**
         * @param v given the arrival time (System.nanoTime), how long to hold the response; 0 = answer at once.
         * @return this
         */
        public Context delayNanos(final LongUnaryOperator v) {
            delayNanos = v;
            return this;
        }
    }

    private final MultiThreadIoEventLoopGroup group;
    private final Channel serverChannel;
    private final boolean epoll;

    private TrivialHttpServer(final MultiThreadIoEventLoopGroup group, final Channel serverChannel, final boolean epoll) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.epoll = epoll;
    }

    /**
     * Binds and starts.
     *
     * @param ctx settings.
     * @return the running server.
     * @throws InterruptedException if interrupted while binding.
     */
    public static TrivialHttpServer start(final Context ctx) throws InterruptedException {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory factory = !epoll ? NioIoHandler.newFactory()
            : ctx.busyPoll ? EpollIoHandler.newFactory(0, () -> (selectNow, hasTasks) -> selectNow.get())
            : EpollIoHandler.newFactory();
        final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(ctx.ioThreads, factory);
        try {
            final Channel ch = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel c) {
                        c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                            new Handler(ctx.delayNanos, ctx.status));
                    }
                })
                .bind(ctx.bind, ctx.port).sync().channel();
            return new TrivialHttpServer(group, ch, epoll);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** @return the bound port. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** @return {@code http://127.0.0.1:port/}. */
    public java.net.URI url() {
        return java.net.URI.create("http://" + ((InetSocketAddress) serverChannel.localAddress()).getHostString() + ":" + port() + "/");
    }

    /** @return whether epoll is used. */
    public boolean epoll() {
        return epoll;
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final LongUnaryOperator delayNanos;
        private final HttpResponseStatus status;

        Handler(final LongUnaryOperator delayNanos, final HttpResponseStatus status) {
            this.delayNanos = delayNanos;
            this.status = status;
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest req) {
            final boolean keepAlive = HttpUtil.isKeepAlive(req);
            final ByteBuf body = Unpooled.wrappedBuffer(BODY);
            final FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                req.decoderResult().isSuccess() ? status : HttpResponseStatus.BAD_REQUEST, body);
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            if (!keepAlive) {
                resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            final long delay = delayNanos.applyAsLong(System.nanoTime());
            final Runnable write = () -> {
                if (keepAlive) {
                    ctx.writeAndFlush(resp, ctx.voidPromise());
                } else {
                    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                }
            };
            if (delay <= 0) {
                write.run();
            } else {
                ctx.executor().schedule(write, delay, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            ctx.close();
        }
    }
}
