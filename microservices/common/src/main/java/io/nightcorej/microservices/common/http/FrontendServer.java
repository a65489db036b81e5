package io.nightcorej.microservices.common.http;

import io.nightcorej.microservices.common.net.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A workload's HTTP front end (DeathStarBench's nginx + Lua role) on Netty: I/O threads parse, a bounded worker pool
 * runs the endpoints.
 *
 * <pre><code>
 * try (FrontendServer server = new FrontendServer.Context().endpoints(workload.frontend(env)).port(8080).start()) {
 *     System.out.println(server.url());
 * }
 * </code></pre>
 */
public final class FrontendServer implements AutoCloseable {

    /** Settings with defaults; {@link #conclude()} validates them. */
    public static final class Context {
        private Map<String, HttpEndpoint> endpoints;
        private String bind = "127.0.0.1";
        private int port = 8080;
        private int ioThreads = 1;
        private int workers = 64;
        private int queue = 4096;
        private int maxBodyBytes = 1024 * 1024;

        /** @param endpoints endpoints by exact path. */
        public Context endpoints(final Map<String, HttpEndpoint> endpoints) {
            this.endpoints = endpoints;
            return this;
        }

        /** @param bind the address to listen on (default 127.0.0.1). */
        public Context bind(final String bind) {
            this.bind = bind;
            return this;
        }

        /** @param port the port, 0 for any free one (default 8080). */
        public Context port(final int port) {
            this.port = port;
            return this;
        }

        /** @param ioThreads Netty event-loop threads (default 1). */
        public Context ioThreads(final int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /** @param workers threads running endpoints, which block on service calls (default 64). */
        public Context workers(final int workers) {
            this.workers = workers;
            return this;
        }

        /** @param queue requests waiting for a worker before 503 (default 4096). */
        public Context queue(final int queue) {
            this.queue = queue;
            return this;
        }

        /** @param maxBodyBytes the largest request body; larger gets 413 (default 1 MiB). */
        public Context maxBodyBytes(final int maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * @return this, validated.
         * @throws IllegalArgumentException naming the bad value.
         */
        public Context conclude() {
            if (endpoints == null || endpoints.isEmpty()) {
                throw new IllegalArgumentException("front end has no endpoints");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, not " + port);
            }
            if (ioThreads < 1 || workers < 1 || queue < 1 || maxBodyBytes < 1) {
                throw new IllegalArgumentException("ioThreads, workers, queue and maxBodyBytes must be positive");
            }
            return this;
        }

        /**
         * @return the listening server.
         * @throws InterruptedException when interrupted while binding.
         */
        public FrontendServer start() throws InterruptedException {
            conclude();
            return new FrontendServer(this);
        }
    }

    private final EventLoopGroup group;
    private final ThreadPoolExecutor workers;
    private final Channel channel;

    private FrontendServer(final Context ctx) throws InterruptedException {
        this.workers = new ThreadPoolExecutor(ctx.workers, ctx.workers, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(ctx.queue), new DefaultThreadFactory("frontend-worker", true),
                new ThreadPoolExecutor.AbortPolicy());
        this.group = EventLoops.group(ctx.ioThreads, "frontend-io");
        try {
            this.channel = new ServerBootstrap()
                    .group(group)
                    .channel(EventLoops.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new FrontendInitializer(ctx.endpoints, workers, ctx.maxBodyBytes))
                    .bind(ctx.bind, ctx.port).sync().channel();
        } catch (final RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** @return the bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** @return {@code http://host:port}. */
    public String url() {
        final InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.shutdownNow();
    }
}
