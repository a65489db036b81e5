package io.nightcorej.microservices.common.storage.embedded;

import io.nightcorej.microservices.common.net.EventLoops;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A small memcached text-protocol server on a real TCP socket: the zero-install stand-in for {@code memcached}.
 * spymemcached talks to it exactly as to memcached (same client, same protocol, same round trips). Items live in an
 * LRU map bounded in bytes, like {@code memcached -m}; see {@link MemcachedItems} for expiry and eviction.
 */
public final class MemcachedServer implements AutoCloseable {

    /** memcached's default memory limit, {@code -m 64}. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;
    // Accepted connections, closed first on close(): a stopped store must look dead to its clients at once
    // (their reconnect logic starts from the EOF), not only once the event loops have wound down.
    private final ChannelGroup connections;

    private MemcachedServer(final EventLoopGroup group, final Channel channel, final ChannelGroup connections) {
        this.group = group;
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * @param host     the address to bind.
     * @param port     the port, 0 for any free one.
     * @param maxBytes the memory limit for items.
     * @param threads  event-loop threads (memcached's {@code -t}).
     * @return the listening server.
     * @throws InterruptedException when interrupted while binding.
     */
    public static MemcachedServer start(final String host, final int port, final long maxBytes, final int threads)
            throws InterruptedException {
        final MemcachedItems items = new MemcachedItems(maxBytes, System::currentTimeMillis);
        final EventLoopGroup group = EventLoops.group(threads, "memcached-server");
        final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        try {
            final Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(EventLoops.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            connections.add(ch);
                            ch.pipeline().addLast(new MemcachedTextDecoder(), new MemcachedCommandHandler(items));
                        }
                    })
                    .bind(host, port).sync().channel();
            SelfCheck.roundTrip((InetSocketAddress) channel.localAddress(), "version\r\n", "VERSION");
            return new MemcachedServer(group, channel, connections);
        } catch (final RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Binds with memcached's defaults: 64 MB, one event-loop thread. */
    public static MemcachedServer start(final String host, final int port) throws InterruptedException {
        return start(host, port, DEFAULT_MAX_BYTES, 1);
    }

    /** @return the bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** @return {@code host:port} for {@code storage.memcached}. */
    public String address() {
        final InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
