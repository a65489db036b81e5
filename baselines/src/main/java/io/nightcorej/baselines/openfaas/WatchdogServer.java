package io.nightcorej.baselines.openfaas;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.nightcorej.microservices.common.net.EventLoops;
import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OpenFaaS-style watchdog: an HTTP server hosting one {@link Function} in its own (sandboxed) process, like
 * OpenFaaS's of-watchdog in HTTP mode with the function server merged into it. Every POST is one call, run on one of
 * {@code workers} threads (the same per-function budget as Nightcore's max workers); calls beyond the workers wait in a
 * bounded queue, and a full queue answers 503.
 *
 * <p>Hosting follows the SDK contract: the handler class is built by its no-arg constructor, {@code init(settings)}
 * runs once before the server listens, each call runs with its {@link FunctionContext} bound to the thread, and an
 * exception is a failed call (500 with the message). The context's {@code invoke} POSTs to the gateway's
 * {@code /function/<name>} — internal calls leave the process and go through the gateway, as in OpenFaaS.
 */
public final class WatchdogServer implements AutoCloseable {
    private final String functionName;
    private final Function function;
    private final InetSocketAddress gateway;
    private final long timeoutMs;
    private final HttpForwarder client;
    private final ThreadPoolExecutor workers;
    private final EventLoopGroup group;
    private final Channel channel;
    private final AtomicLong callIds = new AtomicLong();

    /**
     * @param bind         address to listen on.
     * @param functionName the function's name (as the gateway routes it).
     * @param function     the initialised handler.
     * @param gateway      the gateway that internal calls go through.
     * @param workers      threads running calls.
     * @param timeoutMs    deadline for one internal call.
     * @param maxPayload   largest body.
     */
    public WatchdogServer(InetSocketAddress bind, String functionName, Function function, InetSocketAddress gateway,
            int workers, long timeoutMs, int maxPayload) throws InterruptedException {
        this.functionName = functionName;
        this.function = function;
        this.gateway = gateway;
        this.timeoutMs = timeoutMs;
        this.group = EventLoops.group(1, "watchdog-io");
        this.client = new HttpForwarder(group, Math.max(8, workers * 2), maxPayload);
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096), r -> {
            Thread t = new Thread(r, "worker-" + functionName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ServerBootstrap b = new ServerBootstrap().group(group).channel(EventLoops.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                        new HttpObjectAggregator(maxPayload), new CallHandler());
                }
            });
        this.channel = b.bind(bind).sync().channel();
    }

    /** Builds and initialises a handler as the SDK contract says. */
    public static Function load(String handlerClass, Map<String, String> settings) throws Exception {
        Class<?> c = Class.forName(handlerClass);
        if (!Function.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException(handlerClass + " does not implement " + Function.class.getName());
        }
        Function f = (Function) c.getConstructor().newInstance();
        f.init(settings);
        return f;
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2000);
        workers.shutdownNow();
        client.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3000);
    }

    /** Maps a gateway answer to the SDK's failure statuses. */
    static FunctionCallException.Status statusOf(int http) {
        return switch (http) {
            case 404 -> FunctionCallException.Status.NOT_FOUND;
            case 504 -> FunctionCallException.Status.TIMEOUT;
            case 503 -> FunctionCallException.Status.OVERLOADED;
            case 413 -> FunctionCallException.Status.PAYLOAD_TOO_LARGE;
            case 502 -> FunctionCallException.Status.UNAVAILABLE;
            default -> FunctionCallException.Status.FAILED;
        };
    }

    /** A call's context: internal calls are HTTP POSTs to the gateway. */
    private final class WatchdogContext implements FunctionContext {
        private final long callId = callIds.incrementAndGet();

        @Override
        public String functionName() {
            return functionName;
        }

        @Override
        public long callId() {
            return callId;
        }

        @Override
        public byte[] invoke(String callee, byte[] input) throws FunctionCallException {
            try {
                return invokeAsync(callee, input).get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof FunctionCallException f) throw f;
                throw new FunctionCallException(FunctionCallException.Status.FAILED, callee, String.valueOf(e.getCause()));
            } catch (TimeoutException e) {
                throw new FunctionCallException(FunctionCallException.Status.TIMEOUT, callee, "no answer in " + timeoutMs + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FunctionCallException(FunctionCallException.Status.FAILED, callee, "interrupted");
            }
        }

        @Override
        public CompletableFuture<byte[]> invokeAsync(String callee, byte[] input) {
            return client.post(gateway, "/function/" + callee, input, timeoutMs).thenApply(r -> {
                if (r.status() == 200) return r.body();
                throw new CompletionException(new FunctionCallException(statusOf(r.status()), callee,
                    new String(r.body(), StandardCharsets.UTF_8).trim()));
            });
        }
    }

    private final class CallHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (req.method().equals(HttpMethod.GET)) {
                send(ctx, FaasGatewayServer.text(HttpResponseStatus.OK, "ok " + functionName), keepAlive);
                return;
            }
            if (!req.method().equals(HttpMethod.POST)) {
                send(ctx, FaasGatewayServer.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST"), keepAlive);
                return;
            }
            byte[] input = ByteBufUtil.getBytes(req.content());
            try {
                workers.execute(() -> {
                    FullHttpResponse r;
                    WatchdogContext context = new WatchdogContext();
                    try (var scope = FunctionContext.bind(context)) {
                        byte[] out = function.call(context, input);
                        r = FaasGatewayServer.response(HttpResponseStatus.OK, out == null ? new byte[0] : out,
                            HttpHeaderValues.APPLICATION_OCTET_STREAM.toString());
                    } catch (Exception | Error e) {
                        r = FaasGatewayServer.text(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            functionName + ": FAILED: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                    FullHttpResponse answer = r;
                    ctx.executor().execute(() -> send(ctx, answer, keepAlive));
                });
            } catch (RejectedExecutionException e) {
                send(ctx, FaasGatewayServer.text(HttpResponseStatus.SERVICE_UNAVAILABLE, functionName + ": queue full"), keepAlive);
            }
        }

        private void send(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
            HttpUtil.setKeepAlive(r, keepAlive);
            ctx.writeAndFlush(r);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
