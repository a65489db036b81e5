package io.nightcorej.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

/**
 * A small closed-loop HTTP load driver (what wrk does): each of {@code connections} keep-alive connections sends one
 * POST, waits for the answer, records the latency and sends the next, until the run ends. Closed-loop latencies suffer
 * from coordinated omission under overload; they are right for the microbenchmark's question, the runtime's per-call
 * overhead at a given concurrency.
 */
public final class ClosedLoopHttpClient implements AutoCloseable {

    private final EventLoopGroup group;
    private final boolean epoll;

    /** Creates the client's event loop (one thread). */
    public ClosedLoopHttpClient() {
        epoll = Epoll.isAvailable();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-client", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** What a run measured. */
    public record Result(long calls, long errors, double seconds, Histogram latencyUs) {
        /** @return completed calls per second. */
        public double callsPerSecond() {
            return calls / seconds;
        }
    }

    /**
     * Runs a warm-up phase, then a measured phase that ends after {@code maxCalls} answers or {@code duration}, whichever
     * comes first.
     *
     * @param url         e.g. {@code http://127.0.0.1:8080/function/Nop}.
     * @param body        the POST body.
     * @param connections concurrent connections.
     * @param warmupMs    warm-up time, not recorded.
     * @param durationMs  measured time limit.
     * @param maxCalls    measured call limit (0 = no limit).
     * @return the measured phase's result.
     * @throws Exception when the server cannot be reached.
     */
    public Result run(final URI url, final byte[] body, final int connections, final long warmupMs, final long durationMs,
                      final long maxCalls) throws Exception {
        final Run run = new Run(url, body, maxCalls);
        final List<Channel> channels = new ArrayList<>();
        final Bootstrap b = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(final Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 << 20), new Driver(run));
                }
            });
        try {
            for (int i = 0; i < connections; i++) {
                channels.add(b.connect(url.getHost(), url.getPort()).sync().channel());
            }
            for (final Channel ch : channels) {
                final Driver d = ch.pipeline().get(Driver.class);
                ch.eventLoop().execute(d::send);
            }
            Thread.sleep(warmupMs);
            run.startMeasuring();
            run.done.await(durationMs, TimeUnit.MILLISECONDS);
            return run.stop();
        } finally {
            for (final Channel ch : channels) {
                ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** State of one run, shared by its connections (all on the client's single event loop thread). */
    private static final class Run {
        final URI url;
        final String target;
        final ByteBuf body;
        final long maxCalls;
        final Histogram histogram = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicLong errors = new AtomicLong();
        volatile boolean measuring;
        volatile boolean stopped;
        long measuredCalls;
        long startNanos;

        Run(final URI url, final byte[] body, final long maxCalls) {
            this.url = url;
            this.target = url.getRawPath();
            this.body = Unpooled.unreleasableBuffer(Unpooled.directBuffer(body.length).writeBytes(body));
            this.maxCalls = maxCalls;
        }

        void startMeasuring() {
            synchronized (histogram) {
                histogram.reset();
                measuredCalls = 0;
                errors.set(0);
                startNanos = System.nanoTime();
                measuring = true;
            }
        }

        Result stop() {
            stopped = true;
            synchronized (histogram) {
                final double secs = (System.nanoTime() - startNanos) / 1e9;
                return new Result(measuredCalls, errors.get(), secs, histogram.copy());
            }
        }

        FullHttpRequest request() {
            final FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target, body.duplicate());
            req.headers().set(HttpHeaderNames.HOST, url.getHost());
            req.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            return req;
        }

        void answered(final long latencyNanos, final boolean ok) {
            if (measuring && !stopped) {
                synchronized (histogram) {
                    if (ok) {
                        histogram.recordValue(Math.min(latencyNanos / 1000, histogram.getHighestTrackableValue()));
                        measuredCalls++;
                        if (maxCalls > 0 && measuredCalls >= maxCalls) {
                            done.countDown();
                        }
                    } else {
                        errors.incrementAndGet();
                    }
                }
            }
        }
    }

    /** One connection's loop: send, wait, record, send again. */
    private static final class Driver extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final Run run;
        private ChannelHandlerContext ctx;
        private long sentNanos;

        Driver(final Run run) {
            this.run = run;
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext context) {
            ctx = context;
        }

        void send() {
            if (run.stopped || !ctx.channel().isActive()) {
                return;
            }
            sentNanos = System.nanoTime();
            ctx.writeAndFlush(run.request(), ctx.voidPromise());
        }

        @Override
        protected void channelRead0(final ChannelHandlerContext context, final FullHttpResponse resp) {
            run.answered(System.nanoTime() - sentNanos, resp.status().code() == 200);
            send();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
            run.errors.incrementAndGet();
            ctx.close();
        }
    }
}
