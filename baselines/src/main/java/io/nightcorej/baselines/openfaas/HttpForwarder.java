package io.nightcorej.baselines.openfaas;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.nightcorej.microservices.common.net.EventLoops;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client of the OpenFaaS-style deployment: a pool of keep-alive HTTP/1.1 connections per upstream
 * ({@code host:port}), one request in flight per connection, as Go's {@code net/http} transport does in the OpenFaaS
 * gateway and watchdog. Used by the gateway (gateway → watchdog) and by every watchdog (internal call → gateway).
 *
 * <p>Every call has a deadline: when it passes, the call fails with {@link Result#TIMEOUT} and the connection is closed
 * (a late response must not be read by the next caller). A connection that fails or that the server wants closed is
 * discarded, never returned to the pool.
 */
public final class HttpForwarder implements AutoCloseable {
    /** Status used for results that never got an HTTP response: connect failure. */
    public static final int UNREACHABLE = 502;

    private static final AttributeKey<CompletableFuture<Result>> PENDING = AttributeKey.valueOf("faas.pending");

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final Bootstrap bootstrap;
    private final int maxConnectionsPerUpstream;
    private final int maxPayloadBytes;
    private final ConcurrentHashMap<InetSocketAddress, FixedChannelPool> pools = new ConcurrentHashMap<>();

    /** An upstream's answer: HTTP status and body (or a synthetic 502/504 with a message). */
    public record Result(int status, byte[] body) {
        /** Status for a call whose deadline passed before the answer. */
        public static final int TIMEOUT = 504;
    }

    /**
     * @param group                     event loops to run on ({@code null}: a private one-thread group).
     * @param maxConnectionsPerUpstream connections per upstream; further calls wait for a free one.
     * @param maxPayloadBytes           largest response accepted.
     */
    public HttpForwarder(EventLoopGroup group, int maxConnectionsPerUpstream, int maxPayloadBytes) {
        this.ownsGroup = group == null;
        this.group = group != null ? group : EventLoops.group(1, "faas-client");
        this.maxConnectionsPerUpstream = maxConnectionsPerUpstream;
        this.maxPayloadBytes = maxPayloadBytes;
        this.bootstrap = new Bootstrap().group(this.group).channel(EventLoops.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000);
    }

    private FixedChannelPool pool(InetSocketAddress upstream) {
        return pools.computeIfAbsent(upstream, a -> new FixedChannelPool(bootstrap.clone().remoteAddress(a),
            new AbstractChannelPoolHandler() {
                @Override
                public void channelCreated(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(maxPayloadBytes),
                        new ResponseHandler());
                }
            }, maxConnectionsPerUpstream, Integer.MAX_VALUE));
    }

    /**
     * POSTs a body; never throws, never hangs beyond the timeout.
     *
     * @return the upstream's status and body; 502 when it cannot be reached, 504 when the deadline passes.
     */
    public CompletableFuture<Result> post(InetSocketAddress upstream, String path, byte[] body, long timeoutMs) {
        CompletableFuture<Result> result = new CompletableFuture<>();
        FixedChannelPool pool = pool(upstream);
        ScheduledFuture<?> deadline = group.next().schedule(() -> {
            result.complete(error(Result.TIMEOUT, "no answer from " + upstream + path + " within " + timeoutMs + " ms"));
        }, timeoutMs, TimeUnit.MILLISECONDS);
        result.whenComplete((r, e) -> deadline.cancel(false));
        pool.acquire().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                result.complete(error(UNREACHABLE, "cannot connect to " + upstream + ": " + f.cause().getMessage()));
                return;
            }
            Channel ch = f.getNow();
            if (result.isDone()) { // timed out while waiting for a connection
                pool.release(ch);
                return;
            }
            CompletableFuture<Result> exchange = new CompletableFuture<>();
            ch.attr(PENDING).set(exchange);
            exchange.whenComplete((r, e) -> {
                boolean reusable = r != null && r.status() > 0 && ch.isActive() && ch.attr(PENDING).get() == null;
                if (!reusable) ch.close();
                pool.release(ch);
                result.complete(r != null ? r : error(UNREACHABLE, String.valueOf(e)));
            });
            result.whenComplete((r, e) -> {
                if (!exchange.isDone()) { // our deadline fired first: this connection may still get a late answer
                    ch.attr(PENDING).set(null);
                    ch.close();
                    exchange.complete(new Result(-1, new byte[0]));
                }
            });
            FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                Unpooled.wrappedBuffer(body));
            req.headers().set(HttpHeaderNames.HOST, upstream.getHostString() + ":" + upstream.getPort())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ch.writeAndFlush(req).addListener(w -> {
                if (!w.isSuccess()) {
                    ch.attr(PENDING).set(null);
                    exchange.complete(error(UNREACHABLE, "send to " + upstream + " failed: " + w.cause().getMessage()));
                }
            });
        });
        return result;
    }

    static Result error(int status, String message) {
        return new Result(status, message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        pools.values().forEach(FixedChannelPool::close);
        if (ownsGroup) group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Completes the pending exchange of its connection. */
    private static final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
            CompletableFuture<Result> pending = ctx.channel().attr(PENDING).getAndSet(null);
            if (pending == null) return;
            if (!HttpUtil.isKeepAlive(msg)) ctx.channel().attr(PENDING).set(new CompletableFuture<>()); // mark: not reusable
            pending.complete(new Result(msg.status().code(), ByteBufUtil.getBytes(msg.content())));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            CompletableFuture<Result> pending = ctx.channel().attr(PENDING).getAndSet(null);
            if (pending != null) pending.complete(error(UNREACHABLE, "connection closed before the answer"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            CompletableFuture<Result> pending = ctx.channel().attr(PENDING).getAndSet(null);
            if (pending != null) pending.complete(error(UNREACHABLE, "upstream error: " + cause.getMessage()));
            ctx.close();
        }
    }
}
