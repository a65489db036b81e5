package io.nightcorej.gateway;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.GatewayConfig;
import io.nightcorej.protocol.config.StackConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Nightcore-J gateway: an HTTP server for external calls and a TCP server that engines connect to.
 *
 * <pre>
 *   client --HTTP--> [httpPort]  GatewayHttpHandler --+                      +--> engine (node 0)
 *                                                     +-- CallRouter --TCP---+
 *   engines --TCP--> [enginePort] EngineConnectionHandler (answers, stats) --+--> engine (node 1)
 * </pre>
 *
 * Both servers share one event-loop group of {@code ioThreads} threads (io_uring when {@link IoUring#isAvailable()},
 * else epoll when {@link Epoll#isAvailable()}, else NIO; see {@link #TRANSPORT_PROPERTY}), so an HTTP connection and
 * the engine connection serving it usually live on the same thread.
 *
 * <pre>{@code
 * try (GatewayServer gw = GatewayServer.launch(new GatewayServer.Context().httpPort(0).enginePort(0)
 *         .functions(List.of(new FunctionRoute("Foo", 1, false, false, 10_000))))) {
 *     ... gw.httpPort() ...
 * }
 * }</pre>
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    /**
     * System property choosing the socket transport: {@code auto} (default: io_uring when the kernel allows it, else
     * epoll, else NIO), {@code io_uring}, {@code epoll} or {@code nio}. io_uring submits a loop pass's sends and
     * receives in one {@code io_uring_enter}, which on this VM (where every syscall is expensive) cut the gateway's CPU
     * per call by 3-4 us (runtime/README.md NOTES, session 5).
     */
    public static final String TRANSPORT_PROPERTY = "nightcore.gateway.transport";

    private final Context context;
    private final EventLoopGroup group;
    private final Channel httpChannel;
    private final Channel engineChannel;
    private final CallRouter router;
    private final boolean epoll;
    private final String transport;
    private final ChannelGroup accepted = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private GatewayServer(final Context context) throws InterruptedException {
        this.context = context;
        this.router = new CallRouter(context);
        final String wanted = System.getProperty(TRANSPORT_PROPERTY, "auto");
        final boolean uring = context.preferEpoll() && ("auto".equals(wanted) || "io_uring".equals(wanted)) && IoUring.isAvailable();
        this.epoll = !uring && context.preferEpoll() && !"nio".equals(wanted) && Epoll.isAvailable();
        this.transport = uring ? "io_uring" : epoll ? "epoll" : "nio";
        final IoHandlerFactory io = uring ? IoUringIoHandler.newFactory()
            : epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(context.ioThreads(), new DefaultThreadFactory("gateway-io", true), io);
        final Class<? extends ServerChannel> serverClass = uring ? IoUringServerSocketChannel.class
            : epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Channel http = null;
        try {
            http = new ServerBootstrap().group(group).channel(serverClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(tracked(new GatewayHttpInitializer(router)))
                .bind(context.host(), context.httpPort()).sync().channel();
            this.engineChannel = new ServerBootstrap().group(group).channel(serverClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(tracked(new EngineConnectionInitializer(router)))
                .bind(context.host(), context.enginePort()).sync().channel();
            this.httpChannel = http;
        } catch (final Exception e) {
            if (http != null) {
                http.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("gateway cannot listen on " + context.host() + " (http " + context.httpPort()
                + ", engines " + context.enginePort() + "): " + e, e);
        }
        LOG.info("gateway listening: http {}:{}, engines {}:{}, {} io thread(s), {}", context.host(), httpPort(), context.host(),
            enginePort(), context.ioThreads(), transport);
    }

    private ChannelInitializer<Channel> tracked(final ChannelHandler initializer) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(final Channel ch) {
                accepted.add(ch);
                ch.pipeline().addLast(initializer);
            }
        };
    }

    /**
     * Starts a gateway.
     *
     * @param context its configuration; {@link Context#conclude()} is called here.
     * @return the running gateway.
     * @throws IllegalStateException when a port cannot be bound.
     */
    public static GatewayServer launch(final Context context) {
        context.conclude();
        try {
            return new GatewayServer(context);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding", e);
        }
    }

    /** @return the bound HTTP port (useful when 0 was configured). */
    public int httpPort() {
        return ((InetSocketAddress) httpChannel.localAddress()).getPort();
    }

    /** @return the bound engine port. */
    public int enginePort() {
        return ((InetSocketAddress) engineChannel.localAddress()).getPort();
    }

    /** @return the socket transport in use: {@code io_uring}, {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    /** @return whether the native epoll transport is in use. */
    public boolean epoll() {
        return epoll;
    }

    /** @return the number of engines with at least one connection. */
    public int enginesConnected() {
        return router.enginesConnected();
    }

    /** @return the configuration. */
    public Context context() {
        return context;
    }

    /** Stops listening, closes every connection (engines then reconnect elsewhere or wait) and stops the threads. */
    @Override
    public void close() {
        httpChannel.close().syncUninterruptibly();
        engineChannel.close().syncUninterruptibly();
        // Close every accepted connection explicitly, so engines see EOF and reconnect even if the event loops take
        // their time to terminate (a restarted gateway must not find engines still attached to the old sockets).
        accepted.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * Gateway configuration with fluent setters; {@link #conclude()} validates. Defaults match the stack config's.
     */
    public static final class Context {
        private String host = "127.0.0.1";
        private int httpPort = 8080;
        private int enginePort = 10007;
        private int maxRunningRequests = 48;
        private int maxQueuedRequests = 4096;
        private int maxPayloadBytes = 16 * 1024 * 1024;
        private long defaultTimeoutMs = 10_000;
        private int ioThreads = 1;
        private long noEngineWaitMs = 1000;
        private boolean preferEpoll = true;
        private List<FunctionRoute> functions = new ArrayList<>();

        /**
         * @param config a parsed stack config.
         * @return a context with the config's {@code gateway} section and its functions' routes.
         */
        public static Context fromStackConfig(final StackConfig config) {
            final GatewayConfig g = config.gateway();
            final List<FunctionRoute> routes = new ArrayList<>();
            for (final FunctionConfig f : config.functions()) {
                routes.add(new FunctionRoute(f.name(), f.id(), f.allowHttpGet(), f.qsAsInput(),
                    f.timeoutMs() > 0 ? f.timeoutMs() : g.defaultTimeoutMs()));
            }
            return new Context().host(g.host()).httpPort(g.httpPort()).enginePort(g.enginePort())
                .maxRunningRequests(g.maxRunningRequests()).maxQueuedRequests(g.maxQueuedRequests())
                .maxPayloadBytes(g.maxPayloadBytes()).defaultTimeoutMs(g.defaultTimeoutMs()).ioThreads(g.ioThreads())
                .functions(routes);
        }

        /** @return this, after checking every value; throws IllegalArgumentException naming the bad one. */
        public Context conclude() {
            check(httpPort >= 0 && httpPort <= 65535, "httpPort", httpPort);
            check(enginePort >= 0 && enginePort <= 65535, "enginePort", enginePort);
            check(maxRunningRequests >= 0, "maxRunningRequests", maxRunningRequests);
            check(maxQueuedRequests >= 0, "maxQueuedRequests", maxQueuedRequests);
            check(maxPayloadBytes > 0, "maxPayloadBytes", maxPayloadBytes);
            check(defaultTimeoutMs > 0, "defaultTimeoutMs", defaultTimeoutMs);
            check(ioThreads > 0, "ioThreads", ioThreads);
            check(noEngineWaitMs >= 0, "noEngineWaitMs", noEngineWaitMs);
            return this;
        }

        private static void check(final boolean ok, final String name, final Object value) {
            if (!ok) {
                throw new IllegalArgumentException("gateway." + name + " is invalid: " + value);
            }
        }

        public Context host(final String v) {
            host = v;
            return this;
        }

        public Context httpPort(final int v) {
            httpPort = v;
            return this;
        }

        public Context enginePort(final int v) {
            enginePort = v;
            return this;
        }

        public Context maxRunningRequests(final int v) {
            maxRunningRequests = v;
            return this;
        }

        public Context maxQueuedRequests(final int v) {
            maxQueuedRequests = v;
            return this;
        }

        public Context maxPayloadBytes(final int v) {
            maxPayloadBytes = v;
            return this;
        }

        public Context defaultTimeoutMs(final long v) {
            defaultTimeoutMs = v;
            return this;
        }

        public Context ioThreads(final int v) {
            ioThreads = v;
            return this;
        }

        /** How long a call waits for an engine when none is connected before it gets 503. */
        public Context noEngineWaitMs(final long v) {
            noEngineWaitMs = v;
            return this;
        }

        /** Use a native transport (io_uring or epoll) when available (default true); false forces NIO. */
        public Context preferEpoll(final boolean v) {
            preferEpoll = v;
            return this;
        }

        public Context functions(final List<FunctionRoute> v) {
            functions = new ArrayList<>(v);
            return this;
        }

        public String host() {
            return host;
        }

        public int httpPort() {
            return httpPort;
        }

        public int enginePort() {
            return enginePort;
        }

        public int maxRunningRequests() {
            return maxRunningRequests;
        }

        public int maxQueuedRequests() {
            return maxQueuedRequests;
        }

        public int maxPayloadBytes() {
            return maxPayloadBytes;
        }

        public long defaultTimeoutMs() {
            return defaultTimeoutMs;
        }

        public int ioThreads() {
            return ioThreads;
        }

        public long noEngineWaitMs() {
            return noEngineWaitMs;
        }

        public boolean preferEpoll() {
            return preferEpoll;
        }

        public List<FunctionRoute> functions() {
            return functions;
        }
    }
}
