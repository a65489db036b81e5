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
 * A small Redis-protocol (RESP2) server on a real TCP socket, serving the sorted-set commands of
 * {@link RespDatabase}. It is the zero-install stand-in for {@code redis-server}: Jedis talks to it exactly as it
 * talks to Redis (same client, same wire protocol, same socket round trips), so the measured request path keeps its
 * network hops and serialization, unlike an in-JVM map behind the interface. Data lives in memory only, like
 * {@code redis-server --save '' --appendonly no}.
 *
 * <pre><code>
 * try (RespServer redis = RespServer.start("127.0.0.1", 0)) {
 *     SortedSetStore store = new JedisSortedSetStore("127.0.0.1:" + redis.port(), 1000);
 * }
 * </code></pre>
 */
public final class RespServer implements AutoCloseable {

    private final RespDatabase database;
    private final EventLoopGroup group;
    private final Channel channel;
    // Accepted connections, closed first on close(): a stopped store must look dead to its clients at once
    // (their reconnect logic starts from the EOF), not only once the event loops have wound down.
    private final ChannelGroup connections;

    private RespServer(final RespDatabase database, final EventLoopGroup group, final Channel channel, final ChannelGroup connections) {
        this.database = database;
        this.group = group;
        this.channel = channel;
        this.connections = connections;
    }

    /**
     * Binds a server with one event-loop thread (Redis is single-threaded too).
     *
     * @param host the address to bind, e.g. {@code 127.0.0.1}.
     * @param port the port, 0 for any free one.
     * @return the listening server.
     * @throws InterruptedException when interrupted while binding.
     */
    public static RespServer start(final String host, final int port) throws InterruptedException {
        final RespDatabase database = new RespDatabase();
        final EventLoopGroup group = EventLoops.group(1, "resp-server");
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
                            ch.pipeline().addLast(new RespCommandDecoder(), new RespCommandHandler(database));
                        }
                    })
                    .bind(host, port).sync().channel();
            SelfCheck.roundTrip((InetSocketAddress) channel.localAddress(), "PING\r\n", "+PONG");
            return new RespServer(database, group, channel, connections);
        } catch (final RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** @return the bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** @return {@code host:port} for {@code storage.redis}. */
    public String address() {
        final InetSocketAddress a = (InetSocketAddress) channel.localAddress();
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** @return the data (tests). */
    RespDatabase database() {
        return database;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
