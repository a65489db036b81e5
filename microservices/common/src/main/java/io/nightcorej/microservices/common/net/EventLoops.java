package io.nightcorej.microservices.common.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The one place that picks Netty's transport for this module's servers and clients: native epoll when it loads (Linux
 * x86-64, fewer syscalls and no selector garbage), NIO otherwise. Threads are daemons named after their owner.
 */
public final class EventLoops {

    private static final boolean EPOLL = !Boolean.getBoolean("nightcorej.noEpoll") && Epoll.isAvailable();

    private EventLoops() {
    }

    /**
     * @param threads the number of event-loop threads.
     * @param name    the thread-name prefix.
     * @return a new group.
     */
    public static EventLoopGroup group(final int threads, final String name) {
        final DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return new MultiThreadIoEventLoopGroup(threads, factory,
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** @return the server channel class matching {@link #group}. */
    public static Class<? extends ServerChannel> serverChannel() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** @return the client channel class matching {@link #group}. */
    public static Class<? extends SocketChannel> socketChannel() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** @return "epoll" or "nio". */
    public static String transportName() {
        return EPOLL ? "epoll" : "nio";
    }
}
