package io.nightcorej.baselines.openfaas;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.nightcorej.microservices.common.net.EventLoops;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The OpenFaaS-style gateway: {@code POST /function/<name>} is forwarded over HTTP to that function's watchdog, and
 * the watchdog's answer is returned as it is. Every call between functions also comes through here (the watchdogs'
 * {@code FunctionContext.invoke} POSTs back to this gateway), which is the path whose cost Nightcore's engine removes.
 *
 * <p>Answers: 200 with the function's output; 404 unknown function; 405 other methods; 413 body over the limit
 * (answered by the aggregator before forwarding); 502 watchdog unreachable; 504 no answer within the call timeout;
 * otherwise the watchdog's own status. {@code GET /healthz} → 200; {@code GET /stats} → per-function counts (JSON).
 * Request targets in absolute form (as wrk sends them) are accepted.
 */
public final class FaasGatewayServer implements AutoCloseable {
    private final Map<String, InetSocketAddress> routes;
    private final HttpForwarder forwarder;
    private final EventLoopGroup group;
    private final long timeoutMs;
    private final Channel channel;
    private final Map<String, LongAdder[]> counts = new ConcurrentHashMap<>();

    /**
     * @param bind        address to listen on (port 0: any free port).
     * @param routes      function name → watchdog address.
     * @param ioThreads   event-loop threads (shared by the server and its forwarding client, like the Nightcore gateway).
     * @param timeoutMs   deadline for one forwarded call.
     * @param maxPayload  largest request or response body.
     * @param connectionsPerWatchdog connections the gateway keeps to each watchdog.
     */
    public FaasGatewayServer(InetSocketAddress bind, Map<String, InetSocketAddress> routes, int ioThreads, long timeoutMs,
            int maxPayload, int connectionsPerWatchdog) throws InterruptedException {
        this.routes = Map.copyOf(routes);
        this.timeoutMs = timeoutMs;
        this.group = EventLoops.group(ioThreads, "faas-gateway");
        this.forwarder = new HttpForwarder(group, connectionsPerWatchdog, maxPayload);
        ServerBootstrap b = new ServerBootstrap().group(group).channel(EventLoops.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                        new HttpObjectAggregator(maxPayload), new GatewayHandler());
                }
            });
        this.channel = b.bind(bind).sync().channel();
    }

    /** @return the bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2000);
        forwarder.close();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(3000);
    }

    static FullHttpResponse response(HttpResponseStatus status, byte[] body, String contentType) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType).setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    static FullHttpResponse text(HttpResponseStatus status, String text) {
        return response(status, (text + "\n").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** @return the path of an origin-form or absolute-form request target, without the query. */
    static String pathOf(String uri) {
        String path = uri;
        if (!uri.startsWith("/")) {
            try {
                path = URI.create(uri).getRawPath();
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (path == null) return null;
        int q = path.indexOf('?');
        return q >= 0 ? path.substring(0, q) : path;
    }

    private String statsJson() {
        StringBuilder j = new StringBuilder("{\"gateway\":\"openfaas\",\"functions\":{");
        boolean first = true;
        for (var e : counts.entrySet()) {
            if (!first) j.append(',');
            first = false;
            j.append('"').append(e.getKey()).append("\":{\"calls\":").append(e.getValue()[0].sum())
                .append(",\"failures\":").append(e.getValue()[1].sum()).append('}');
        }
        return j.append("}}").toString();
    }

    private final class GatewayHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = pathOf(req.uri());
            if (path == null || !req.decoderResult().isSuccess()) {
                send(ctx, text(HttpResponseStatus.BAD_REQUEST, "malformed request"), keepAlive);
                return;
            }
            if (req.method().equals(HttpMethod.GET) && path.equals("/healthz")) {
                send(ctx, text(HttpResponseStatus.OK, "ok"), keepAlive);
                return;
            }
            if (req.method().equals(HttpMethod.GET) && path.equals("/stats")) {
                send(ctx, response(HttpResponseStatus.OK, statsJson().getBytes(StandardCharsets.UTF_8), "application/json"),
                    keepAlive);
                return;
            }
            if (!path.startsWith("/function/")) {
                send(ctx, text(HttpResponseStatus.NOT_FOUND, "no route " + path), keepAlive);
                return;
            }
            String name = path.substring("/function/".length());
            InetSocketAddress upstream = routes.get(name);
            if (upstream == null) {
                send(ctx, text(HttpResponseStatus.NOT_FOUND, "unknown function " + name), keepAlive);
                return;
            }
            if (!req.method().equals(HttpMethod.POST)) {
                send(ctx, text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST /function/" + name), keepAlive);
                return;
            }
            LongAdder[] c = counts.computeIfAbsent(name, k -> new LongAdder[] {new LongAdder(), new LongAdder()});
            c[0].increment();
            byte[] body = ByteBufUtil.getBytes(req.content());
            forwarder.post(upstream, "/", body, timeoutMs).whenComplete((r, e) -> {
                if (r.status() != 200) c[1].increment();
                HttpResponseStatus status = HttpResponseStatus.valueOf(r.status());
                String type = r.status() == 200 ? HttpHeaderValues.APPLICATION_OCTET_STREAM.toString() : "text/plain; charset=utf-8";
                ctx.executor().execute(() -> send(ctx, response(status, r.body(), type), keepAlive));
            });
        }

        private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
            HttpUtil.setKeepAlive(r, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(r);
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
