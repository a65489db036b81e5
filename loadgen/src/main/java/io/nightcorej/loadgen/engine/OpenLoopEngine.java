package io.nightcorej.loadgen.engine;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.nightcorej.loadgen.report.LatencyTable;
import io.nightcorej.loadgen.report.LoadResult;
import io.nightcorej.loadgen.workload.RequestGenerator;
import io.nightcorej.loadgen.workload.RequestSpec;
import io.nightcorej.loadgen.workload.WorkloadOptions;
import io.nightcorej.loadgen.workload.Workloads;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * An open-loop HTTP/1.1 load generator: wrk2's discipline in Java on one Netty event loop.
 *
 * <h2>How a run goes</h2>
 * <pre>
 *   connect N keep-alive connections (--transport: epoll by default, io_uring, NIO)
 *   t0 = now + 20 ms
 *   |-- warm-up: sent on schedule, not recorded --|-- measured: recorded --|-- drain (until timeout) --|
 *   t0                                       t0 + warmup               t0 + warmup + duration
 * </pre>
 * Request {@code i} is <em>intended</em> to go out at {@code t0 + seq(i)} where {@code seq} is a
 * {@link FireTimeSequence} ({@code i * 1e9 / R} ns, or Poisson). The event loop sends every request whose intended
 * time has come on any idle connection (one request in flight per connection, like wrk2), then arms a timer for the
 * next intended time. When every connection is busy the due requests wait, in order, for the next connection to free
 * up: the schedule does not slow down, and each request's latency is still measured from its <em>intended</em> time.
 *
 * <h2>What is recorded (µs, HdrHistogram)</h2>
 * <ul>
 *   <li><b>corrected</b> = response complete − intended send: what a user arriving on schedule would see; a 1 s
 *       server stall shows up as a ramp of latencies up to 1 s, exactly as in wrk2's "Recorded Latency";</li>
 *   <li><b>uncorrected</b> = response complete − actual send (wrk2 {@code -U}); it hides stalls (coordinated omission);</li>
 *   <li><b>lag</b> = actual send − intended send, for every measured send: the generator's own tardiness.</li>
 * </ul>
 * Only 2xx responses go into the latency histograms; non-2xx, connection errors and timeouts are counted apart.
 * A request belongs to the measured phase by its intended time, so the warm-up never leaks into the results.
 *
 * <h2>Trust</h2>
 * The result is marked not trustworthy (with reasons) when the generator could not hold the schedule: send-lag p99
 * above the bound, more than the allowed fraction of late sends, due requests left unsent at the end. Those are
 * properties of the generator+connections, not of the server: the corrected latencies are still honest, but the
 * offered load was not the one asked for. Add connections or cores, or lower the rate.
 */
public final class OpenLoopEngine {
    private static final long NO_REQUEST = Long.MIN_VALUE;
    private static final long START_LEAD_NS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long RECONNECT_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long TIMEOUT_SCAN_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LoadContext ctx;
    private final long timerResolutionNs;
    private final long lateThresholdNs;
    private final RequestGenerator generator;
    private final FireTimeSequence sequence;
    private final String targetPrefix;
    private final String host;
    /** The transport in use (never AUTO). */
    private final LoadContext.Transport transport;
    /** Why the transport differs from the one asked for, or null. */
    private final String transportNote;
    private final boolean epoll;
    private final boolean busyPoll;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final List<Connection> all = new ArrayList<>();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final Map<String, long[]> operations = new LinkedHashMap<>();

    private final SingleWriterRecorder corrected = new SingleWriterRecorder(1, 3_600_000_000L, 3);
    private final SingleWriterRecorder uncorrected = new SingleWriterRecorder(1, 3_600_000_000L, 3);
    private final SingleWriterRecorder lag = new SingleWriterRecorder(1, 3_600_000_000L, 3);
    private final SingleWriterRecorder warmupCorrected = new SingleWriterRecorder(1, 3_600_000_000L, 3);

    // Written only by the event loop; volatile so the progress reporter can read them.
    private volatile long sent;
    private volatile long sentAll;
    private volatile long completed;
    private volatile long errors;
    private volatile long non2xx;
    private volatile long timeouts;
    private volatile long lateSends;
    private volatile long noFreeConnection;
    private volatile long connectErrors;
    private volatile long saturatedSends;
    private volatile long generatorLateSends;
    /** Lag of measured sends that found a connection free: the generator's own timer/CPU lag. Event loop only. */
    private final Histogram generatorLag = LatencyTable.newHistogram();
    private long unsent;
    private long unsentSaturated;
    private long unsentByGenerator;
    /**
     * The current wait for a connection began with the generator already late (after a stall of its own CPU, a burst of
     * due requests can exceed the connections): the waiting is then the generator's, not the server's.
     */
    private boolean backlogByGenerator;
    private long warmupCompleted;

    private long t0;
    private long measureStart;
    private long end;
    private long nextIntended;
    private boolean blockedOnConnections;
    private boolean started;
    private volatile long loopThreadId = -1;
    private volatile long loopCpuAtStart = -1;
    private volatile long sentAllAtMeasureStart;
    private RequestSpec lastSpec;
    private ByteBuf lastBytes;
    /**
     * epoll: requests are written straight to the socket ({@code write(2)} on the connection's fd) from this one direct
     * buffer, which holds the current spec's encoded bytes; the kernel copies them, so the buffer is reused for the next
     * spec at once. No Netty pipeline, promise, outbound-buffer entry or buffer duplicate per request.
     */
    private final boolean directWrite;
    private ByteBuf scratch;
    private int scratchLength;
    /** Loop wall time spent in busy-poll turns that found nothing to do (no I/O, nothing sent), ns. Event loop only. */
    private long idleSpinNs;
    /** Loop wall time spent in busy-poll turns that did something, ns. Event loop only. */
    private long busySpinNs;
    private long lastTurnStart;
    private boolean lastTurnIdle;
    private volatile long idleSpinNsAtMeasureStart;
    private volatile long idleSpinNsAtEnd = -1;
    private volatile long busySpinNsAtMeasureStart;
    private volatile long busySpinNsAtEnd = -1;
    private String loopPlacement;
    /** True while the schedule runs in busy-poll mode: the poll loop itself is the timer. Event loop only. */
    private boolean spinning;
    private boolean timerArmed;
    /** When the armed spin wake-up fires (System.nanoTime), or 0 if none. Event loop only. */
    private long spinWakeupAt;
    private final Runnable spinWakeup = () -> spinWakeupAt = 0;
    private boolean schedulingDone;
    private volatile boolean stopping;
    private final CountDownLatch drained = new CountDownLatch(1);

    private OpenLoopEngine(final LoadContext ctx) {
        this.ctx = ctx;
        this.timerResolutionNs = ctx.timerResolution().toNanos();
        this.lateThresholdNs = ctx.lateThreshold().toNanos();
        this.generator = Workloads.byName(ctx.workload())
            .newGenerator(new WorkloadOptions(ctx.seed(), ctx.url(), ctx.maxUserIndex()));
        this.sequence = ctx.poisson() ? FireTimeSequence.poisson(ctx.rate(), ctx.seed() ^ 0x5DEECE66DL)
            : FireTimeSequence.constantRate(ctx.rate());
        this.host = ctx.hostPort();
        this.targetPrefix = ctx.targetForm() == LoadContext.TargetForm.ABSOLUTE ? "http://" + host : "";
        final String[] note = new String[1];
        this.transport = resolveTransport(ctx.transport(), note);
        this.transportNote = note[0];
        this.epoll = transport == LoadContext.Transport.EPOLL;
        this.busyPoll = ctx.spins();
        // Direct writes need the scratch buffer's native address (Netty has one wherever it can use Unsafe).
        final ByteBuf probe = ByteBufAllocator.DEFAULT.directBuffer(1);
        this.directWrite = epoll && probe.hasMemoryAddress();
        probe.release();
        final IoHandlerFactory base = switch (transport) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
        final IoHandlerFactory factory = executor -> new SchedulingIoHandler(base.newHandler(executor));
        this.group = new MultiThreadIoEventLoopGroup(1, factory);
        this.loop = group.next();
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(switch (transport) {
                case IO_URING -> IoUringSocketChannel.class;
                case EPOLL -> EpollSocketChannel.class;
                default -> NioSocketChannel.class;
            })
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) ctx.connectTimeout().toMillis());
    }

    /**
     * What {@link LoadContext.Transport#AUTO} picks: epoll. io_uring did not win session 4's A/B at 50k req/s (better
     * in two plain runs, worse or equal in two calibrations; README NOTES), so it stays opt-in.
     */
    static final LoadContext.Transport AUTO_PREFERENCE = LoadContext.Transport.EPOLL;

    /**
     * Resolves the transport asked for to one available here, falling back io_uring → epoll → NIO.
     *
     * @param asked the transport asked for.
     * @param note receives a one-line reason when an explicitly asked transport is unavailable.
     * @return the transport to use (never AUTO).
     */
    static LoadContext.Transport resolveTransport(final LoadContext.Transport asked, final String[] note) {
        LoadContext.Transport t = asked == LoadContext.Transport.AUTO ? AUTO_PREFERENCE : asked;
        if (t == LoadContext.Transport.IO_URING && !IoUring.isAvailable()) {
            if (asked == LoadContext.Transport.IO_URING) {
                note[0] = "io_uring unavailable (" + cause(IoUring.unavailabilityCause()) + "); using epoll";
            }
            t = LoadContext.Transport.EPOLL;
        }
        if (t == LoadContext.Transport.EPOLL && !Epoll.isAvailable()) {
            if (asked != LoadContext.Transport.AUTO) {
                note[0] = (note[0] == null ? "" : note[0] + "; ") + "epoll unavailable (" + cause(Epoll.unavailabilityCause())
                    + "); using NIO";
            }
            t = LoadContext.Transport.NIO;
        }
        return t;
    }

    private static String cause(final Throwable t) {
        return t == null ? "unknown" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** @return the result JSON's {@code transport} value for a transport in use. */
    static String transportName(final LoadContext.Transport t) {
        return switch (t) {
            case IO_URING -> "netty-io_uring";
            case EPOLL -> "netty-epoll";
            default -> "netty-nio";
        };
    }

    /**
     * Runs one load to completion (warm-up, measured phase, drain) and returns the result. Prints progress lines and
     * the wrk2-style table to {@code ctx.out()} unless quiet.
     *
     * @param ctx settings; {@link LoadContext#conclude()} is called if it was not.
     * @return the result.
     * @throws InterruptedException if interrupted.
     * @throws IllegalStateException if no connection could be opened.
     */
    public static LoadResult run(final LoadContext ctx) throws InterruptedException {
        if (!ctx.isConcluded()) {
            ctx.conclude();
        }
        final OpenLoopEngine engine = new OpenLoopEngine(ctx);
        try {
            return engine.execute();
        } finally {
            engine.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private LoadResult execute() throws InterruptedException {
        if (ctx.loopCpus() != null || ctx.loopNice() != null) {
            placeLoop(ctx.loopCpus(), ctx.loopNice());
        }
        connectAll();
        final PrintStream out = ctx.out();
        HistogramLogWriter hlog = null;
        if (ctx.hlog() != null) {
            try {
                hlog = new HistogramLogWriter(ctx.hlog().toFile());
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("cannot write --hlog " + ctx.hlog() + ": " + e.getMessage(), e);
            }
            hlog.outputComment("nightcore-j loadgen " + ctx + "; values in microseconds; "
                + "tag corrected = from intended send, uncorrected = from actual send, lag = send lateness");
            hlog.outputLogFormatVersion();
            final long nowMs = System.currentTimeMillis();
            hlog.outputStartTime(nowMs);
            hlog.setBaseTime(nowMs);
            hlog.outputLegend();
        }
        if (transportNote != null) {
            out.println("loadgen: " + transportNote);
        }
        if (!ctx.quiet()) {
            out.printf("Running %s (%s, %s%s)%n", ctx, transportName(transport), "open-loop", busyPoll ? ", busy-poll" : "");
        }
        final Histogram totalCorrected = LatencyTable.newHistogram();
        final Histogram totalUncorrected = LatencyTable.newHistogram();
        final Histogram totalLag = LatencyTable.newHistogram();

        // Set here, before start() is posted to the loop, so both threads see them (execute() is a happens-before edge).
        t0 = System.nanoTime() + START_LEAD_NS;
        measureStart = t0 + ctx.warmup().toNanos();
        end = measureStart + ctx.duration().toNanos();
        loop.execute(this::start);
        final long progressNs = ctx.progressInterval().toNanos();
        final long deadline = System.nanoTime() + ctx.warmup().toNanos() + ctx.duration().toNanos()
            + ctx.timeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
        long lastSent = 0;
        long lastTick = System.nanoTime();
        boolean done = false;
        Histogram ci = null;
        Histogram ui = null;
        Histogram li = null;
        while (!done) {
            done = drained.await(progressNs, TimeUnit.NANOSECONDS);
            if (!done && System.nanoTime() > deadline) {
                // Belt and braces: the drain has its own timeout, this only guards against a bug hanging the CLI.
                out.println("WARNING: run did not drain before its deadline; stopping");
                done = true;
            }
            ci = corrected.getIntervalHistogram(ci);
            ui = uncorrected.getIntervalHistogram(ui);
            li = lag.getIntervalHistogram(li);
            totalCorrected.add(ci);
            totalUncorrected.add(ui);
            totalLag.add(li);
            if (hlog != null && ci.getTotalCount() > 0) {
                writeTagged(hlog, ci, "corrected");
                writeTagged(hlog, ui, "uncorrected");
                writeTagged(hlog, li, "lag");
            }
            final long now = System.nanoTime();
            if (!ctx.quiet()) {
                final Histogram progress = ci.getTotalCount() > 0 ? ci : warmupCorrected.getIntervalHistogram();
                final long s = sentAll;
                out.printf(Locale.ROOT, "[%6.1fs] %-8s sent %8.0f/s  done %d  err %d  non2xx %d  timeout %d  p50 %s"
                        + "  p99 %s  lag-p99 %s  late %d%n",
                    (now - t0) / 1e9, phase(now), (s - lastSent) * 1e9 / Math.max(1, now - lastTick),
                    completed, errors, non2xx, timeouts,
                    LatencyTable.formatMicros(progress.getValueAtPercentile(50)),
                    LatencyTable.formatMicros(progress.getValueAtPercentile(99)),
                    LatencyTable.formatMicros(li.getValueAtPercentile(99)), lateSends);
                lastSent = s;
            }
            lastTick = now;
        }
        final long loopCpu = loopThreadId < 0 ? -1 : threadCpuNanos(loopThreadId) - loopCpuAtStart;
        stopping = true;
        final CountDownLatch closed = new CountDownLatch(1);
        loop.execute(() -> {
            for (Connection c : all) {
                if (c.channel != null) {
                    c.channel.close();
                }
            }
            closed.countDown();
        });
        closed.await(2, TimeUnit.SECONDS);
        if (hlog != null) {
            hlog.close();
        }
        final LoadResult r = result(totalCorrected, totalUncorrected, totalLag);
        r.loopPlacement = loopPlacement;
        final long measuredSends = sentAll - sentAllAtMeasureStart;
        if (loopCpu > 0 && loopCpuAtStart >= 0 && measuredSends > 0) {
            r.loopCpuUsPerRequest = Math.round(loopCpu / 10.0 / measuredSends) / 100.0;
            // Busy-poll: the CPU time is split between working and idle turns in proportion to their wall time (a
            // preemption is as likely in either, so the shares survive it). Sleeping loop: all CPU time is work.
            final long idle = idleSpinNsAtEnd < 0 ? 0 : Math.max(0, idleSpinNsAtEnd - idleSpinNsAtMeasureStart);
            final long busy = busySpinNsAtEnd < 0 ? 0 : Math.max(0, busySpinNsAtEnd - busySpinNsAtMeasureStart);
            final double workShare = idle + busy == 0 ? 1.0 : busy / (double) (idle + busy);
            r.loopBusyUsPerRequest = Math.round(loopCpu * workShare / 10.0 / measuredSends) / 100.0;
        }
        return r;
    }

    private void placeLoop(final String cpus, final Integer nice) throws InterruptedException {
        try {
            loopPlacement = loop.submit(() -> {
                final List<String> done = new ArrayList<>();
                if (cpus != null) {
                    done.add(CpuAffinity.pinCurrentThread(cpus));
                }
                if (nice != null) {
                    done.add(CpuAffinity.reniceCurrentThread(nice));
                }
                return String.join(", ", done);
            }).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            final Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("cannot place the event loop (CPU " + cpus + ", nice " + nice + "): "
                + cause.getMessage(), cause);
        }
        if (!ctx.quiet()) {
            ctx.out().println("Event loop placed: " + loopPlacement);
        }
    }

    private static long threadCpuNanos(final long threadId) {
        final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isThreadCpuTimeSupported() ? mx.getThreadCpuTime(threadId) : -1;
    }

    private static void writeTagged(final HistogramLogWriter w, final Histogram h, final String tag) {
        h.setTag(tag);
        w.outputIntervalHistogram(h);
    }

    private String phase(final long now) {
        if (now < measureStart) {
            return "warm-up";
        }
        return now < end ? "measure" : "drain";
    }

    // ------------------------------------------------------------------ connections

    private void connectAll() throws InterruptedException {
        final List<ChannelFuture> futures = new ArrayList<>();
        final CountDownLatch setup = new CountDownLatch(1);
        loop.execute(() -> {
            for (int i = 0; i < ctx.connections(); i++) {
                final Connection c = new Connection(i);
                all.add(c);
                futures.add(c.connect());
            }
            setup.countDown();
        });
        setup.await();
        int ok = 0;
        Throwable firstFailure = null;
        for (ChannelFuture f : futures) {
            if (f.await(ctx.connectTimeout().toMillis() + 1000) && f.isSuccess()) {
                ok++;
            } else if (firstFailure == null) {
                firstFailure = f.cause();
            }
        }
        if (ok == 0) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("could not connect to " + ctx.url() + ": "
                + (firstFailure == null ? "timeout" : firstFailure.getMessage()), firstFailure);
        }
        if (ok < ctx.connections() && !ctx.quiet()) {
            ctx.out().printf("WARNING: only %d of %d connections opened (%s); retrying the rest in the background%n",
                ok, ctx.connections(), firstFailure);
        }
    }

    /** One keep-alive connection with at most one request in flight. Touched only on the event loop. */
    private final class Connection {
        private final int id;
        private Channel channel;
        /** The socket, for direct writes (epoll); null with NIO. */
        private FileDescriptor fd;
        private boolean open;
        private long intended = NO_REQUEST;
        private long sentAt;
        private String operation;
        private int status;

        Connection(final int id) {
            this.id = id;
        }

        ChannelFuture connect() {
            final ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(final SocketChannel ch) {
                    final ResponseHandler handler = new ResponseHandler(Connection.this, ch);
                    ch.pipeline().addLast(new HttpResponseParser(handler), handler);
                }
            }).connect(ctx.url().getHost(), ctx.port());
            channel = f.channel();
            f.addListener(x -> {
                if (x.isSuccess()) {
                    open = true;
                    fd = directWrite ? ((EpollSocketChannel) f.channel()).fd() : null;
                    becameIdle();
                } else {
                    connectErrors++;
                    scheduleReconnect();
                }
            });
            return f;
        }

        void send(final long intendedAt, final String op, final long now) {
            intended = intendedAt;
            sentAt = now;
            operation = op;
            status = 0;
            if (fd == null) {
                channel.writeAndFlush(lastBytes.retainedDuplicate(), channel.voidPromise());
                return;
            }
            // One write(2) per request, straight from the encoded bytes. A request is small and the socket has at most
            // one request unacknowledged, so a short write is rare; Netty then writes the rest (and waits for EPOLLOUT).
            final int written;
            try {
                written = fd.writeAddress(scratch.memoryAddress(), 0, scratchLength);
            } catch (IOException e) {
                fail(true);
                return;
            }
            if (written < scratchLength) {
                final ByteBuf rest = ByteBufAllocator.DEFAULT.directBuffer(scratchLength - written)
                    .writeBytes(scratch, written, scratchLength - written);
                channel.writeAndFlush(rest, channel.voidPromise());
            }
        }

        void response(final int code) {
            status = code;
            complete();
        }

        private void complete() {
            if (intended == NO_REQUEST) {
                // A response nobody asked for: the server is confused; drop the connection.
                fail(true);
                return;
            }
            final long now = System.nanoTime();
            final long intendedAt = intended;
            intended = NO_REQUEST;
            onResponse(intendedAt, sentAt, now, status, operation);
            becameIdle();
        }

        private void becameIdle() {
            if (open && intended == NO_REQUEST && !stopping) {
                idle.addLast(this);
                onConnectionFree();
            }
        }


        /** Connection lost or unusable: an in-flight request is an error; reconnect unless stopping. */
        void fail(final boolean close) {
            if (!open) {
                return;
            }
            open = false;
            idle.remove(this);
            if (intended != NO_REQUEST) {
                if (isMeasured(intended)) {
                    errors++;
                }
                intended = NO_REQUEST;
            }
            if (close) {
                channel.close();
            }
            scheduleReconnect();
            checkDrained();
        }

        void timeout(final long now) {
            if (open && intended != NO_REQUEST && now - sentAt > ctx.timeout().toNanos()) {
                if (isMeasured(intended)) {
                    timeouts++;
                }
                intended = NO_REQUEST;
                fail(true);
            }
        }

        private void scheduleReconnect() {
            if (!stopping && !schedulingDone) {
                loop.schedule(() -> {
                    if (!stopping && !schedulingDone && !open) {
                        connect();
                    }
                }, RECONNECT_DELAY_NS, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public String toString() {
            return "connection-" + id;
        }
    }

    /**
     * Pipeline end of one channel: forwards to its {@link Connection} only while that channel is the connection's
     * current one, so a late event from a replaced channel cannot touch the new one.
     */
    private static final class ResponseHandler extends ChannelInboundHandlerAdapter implements HttpResponseParser.Listener {
        private final Connection connection;
        private final Channel channel;

        ResponseHandler(final Connection connection, final Channel channel) {
            this.connection = connection;
            this.channel = channel;
        }

        @Override
        public void onResponse(final int status) {
            if (connection.channel == channel) {
                connection.response(status);
            }
        }

        @Override
        public void channelRead(final ChannelHandlerContext c, final Object msg) {
            // The parser consumes all bytes; nothing else should arrive.
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext c) {
            if (connection.channel == channel) {
                connection.fail(false);
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext c, final Throwable cause) {
            if (connection.channel == channel) {
                connection.fail(true);
            } else {
                c.close();
            }
        }
    }

    // ------------------------------------------------------------------ schedule (event loop only)

    /**
     * The event loop's I/O step, wrapped so the schedule can spin on any transport. Spinning: each loop turn first sends
     * whatever is due, then lets the transport poll without blocking (epoll: {@code epoll_wait} with timeout 0;
     * io_uring: submit the turn's sends and reap completions, no syscall at all when there is nothing to submit), so
     * the loop turns again at once and never needs a timer, a context switch or a wake-up. Otherwise the transport's own
     * step: block until I/O or the next scheduled task.
     *
     * <p>Even when spinning, a turn whose next send is more than the timer resolution away sleeps (I/O or a wake-up
     * timed one timer resolution before the send): spinning through the whole gap took a full CPU at any rate, and at
     * low rates on a shared machine that CPU was the server's (README NOTES, session 4: {@code --busy-poll ON} at
     * 2,000 req/s, unpinned, starved a co-located server for ~1 s). From 1e9 / resolution req/s (20,000 at 50 µs) the
     * gaps are shorter than the window and the loop spins throughout, as before.
     */
    private final class SchedulingIoHandler implements IoHandler, IoHandlerContext {
        private final IoHandler delegate;
        private IoHandlerContext outer;

        SchedulingIoHandler(final IoHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public int run(final IoHandlerContext context) {
            if (!spinning) {
                return delegate.run(context);
            }
            // A turn that handled no I/O and sent nothing was idle: its time is spinning, not work (the CPU-per-request
            // estimate subtracts it). Wall time, so a preemption inside an idle turn counts as idle too.
            final long now = System.nanoTime();
            if (lastTurnStart != 0) {
                if (lastTurnIdle) {
                    idleSpinNs += now - lastTurnStart;
                } else {
                    busySpinNs += now - lastTurnStart;
                }
            }
            lastTurnStart = now;
            final boolean sentSome = nextIntended <= now && sendDue() > 0;
            if (spinning && nextIntended - System.nanoTime() > timerResolutionNs) {
                // Nothing due within the window: sleep (a sleeping turn is neither idle spinning nor work).
                lastTurnStart = 0;
                armSpinWakeup();
                return delegate.run(context);
            }
            outer = context;
            final int handled = delegate.run(this);
            lastTurnIdle = handled == 0 && !sentSome;
            return handled;
        }

        // IoHandlerContext for a spinning turn: never block, otherwise the loop's own answers.
        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(final long currentTimeNanos) {
            return outer.delayNanos(currentTimeNanos);
        }

        @Override
        public long deadlineNanos() {
            return outer.deadlineNanos();
        }

        @Override
        public void reportActiveIoTime(final long activeNanos) {
            outer.reportActiveIoTime(activeNanos);
        }

        @Override
        public boolean shouldReportActiveIoTime() {
            return outer.shouldReportActiveIoTime();
        }

        @Override
        public void initialize() {
            delegate.initialize();
        }

        @Override
        public void prepareToDestroy() {
            delegate.prepareToDestroy();
        }

        @Override
        public void destroy() {
            delegate.destroy();
        }

        @Override
        public IoRegistration register(final IoHandle handle) throws Exception {
            return delegate.register(handle);
        }

        @Override
        public void wakeup() {
            delegate.wakeup();
        }

        @Override
        public boolean isCompatible(final Class<? extends IoHandle> handleType) {
            return delegate.isCompatible(handleType);
        }
    }

    /** Wakes a sleeping spin loop one timer resolution before the next send (one wake-up armed at a time). */
    private void armSpinWakeup() {
        final long at = nextIntended - timerResolutionNs;
        if (spinWakeupAt != 0 && spinWakeupAt <= at) {
            return;
        }
        spinWakeupAt = at;
        loop.schedule(spinWakeup, at - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void start() {
        loopThreadId = Thread.currentThread().getId();
        loopCpuAtStart = threadCpuNanos(loopThreadId);
        started = true;
        // CPU per request is taken over the measured phase only, after the warm-up has JIT-compiled the hot path.
        loop.schedule(() -> {
            loopCpuAtStart = threadCpuNanos(loopThreadId);
            sentAllAtMeasureStart = sentAll;
            idleSpinNsAtMeasureStart = idleSpinNs;
            busySpinNsAtMeasureStart = busySpinNs;
        }, measureStart - System.nanoTime(), TimeUnit.NANOSECONDS);
        nextIntended = t0 + sequence.next();
        spinning = busyPoll;
        loop.schedule(this::scanTimeouts, TIMEOUT_SCAN_NS, TimeUnit.NANOSECONDS);
        loop.schedule(this::finishScheduling, end - System.nanoTime(), TimeUnit.NANOSECONDS);
        armTimer(System.nanoTime());
    }

    private void armTimer(final long now) {
        if (!timerArmed && !schedulingDone && !spinning) {
            timerArmed = true;
            // Never sleep less than the timer resolution: at high rates one wake-up sends a small batch instead of
            // re-arming the timer for every request. Linux's default timer slack (50 us) would blur it anyway.
            loop.schedule(this::onTimer, Math.max(timerResolutionNs, nextIntended - now), TimeUnit.NANOSECONDS);
        }
    }

    private void onTimer() {
        timerArmed = false;
        sendDue();
    }

    private void onConnectionFree() {
        if (started && !schedulingDone) {
            sendDue();
        } else {
            checkDrained();
        }
    }

    /**
     * Sends every request whose intended time has come, while connections are free; then re-arms the timer.
     *
     * @return how many were sent.
     */
    private int sendDue() {
        int count = 0;
        long now = System.nanoTime();
        while (!schedulingDone && nextIntended <= now && nextIntended < end) {
            final Connection c = idle.pollFirst();
            if (c == null) {
                if (!blockedOnConnections) {
                    backlogByGenerator = now - nextIntended > ctx.lateThreshold().toNanos();
                }
                // No timer: the next free connection calls sendDue(). Until the backlog is gone, every send is
                // one that had to wait for a connection.
                blockedOnConnections = true;
                return count;
            }
            final RequestSpec spec = generator.next();
            if (spec != lastSpec) {
                encode(spec);
            }
            final long lagNs = now - nextIntended;
            if (isMeasured(nextIntended)) {
                final long lagUs = Math.min(toMicros(lagNs), 3_600_000_000L);
                lag.recordValue(lagUs);
                final boolean late = lagNs > lateThresholdNs;
                if (late) {
                    lateSends++;
                }
                // Split by cause: waiting for a connection the generator was on time for is the server's (wrk2-valid
                // corrected latency); being late with a connection free, or queued behind its own burst, the generator's.
                if (blockedOnConnections) {
                    noFreeConnection++;
                }
                if (blockedOnConnections && !backlogByGenerator) {
                    saturatedSends++;
                } else {
                    generatorLag.recordValue(lagUs);
                    if (late) {
                        generatorLateSends++;
                    }
                }
                sent++;
            }
            sentAll++;
            count++;
            c.send(nextIntended, spec.operation(), now);
            nextIntended = t0 + sequence.next();
            now = System.nanoTime();
        }
        blockedOnConnections = false;
        if (nextIntended >= end) {
            finishScheduling();
        } else {
            armTimer(now);
        }
        return count;
    }

    /**
     * Encodes a spec once (fixed workloads such as nop-post hand out one spec, so once per run): epoll into the reused
     * direct scratch buffer written straight to the sockets; NIO into a pooled direct buffer whose retained duplicates
     * go through the channel.
     */
    private void encode(final RequestSpec spec) {
        lastSpec = spec;
        final byte[] encoded = spec.encode(targetPrefix, host);
        if (directWrite) {
            if (scratch == null || scratch.capacity() < encoded.length) {
                if (scratch != null) {
                    scratch.release();
                }
                scratch = ByteBufAllocator.DEFAULT.directBuffer(Math.max(4096, encoded.length));
            }
            scratch.setBytes(0, encoded);
            scratchLength = encoded.length;
            return;
        }
        if (lastBytes != null) {
            lastBytes.release();
        }
        lastBytes = ByteBufAllocator.DEFAULT.directBuffer(encoded.length).writeBytes(encoded);
    }

    private void finishScheduling() {
        if (schedulingDone) {
            return;
        }
        // Requests due before the end that never found a connection are counted, not silently dropped.
        while (nextIntended < end) {
            if (isMeasured(nextIntended)) {
                unsent++;
                if (blockedOnConnections) {
                    noFreeConnection++;
                }
                if (blockedOnConnections && !backlogByGenerator) {
                    unsentSaturated++;
                } else {
                    unsentByGenerator++;
                }
            }
            nextIntended = t0 + sequence.next();
        }
        schedulingDone = true;
        spinning = false;
        idleSpinNsAtEnd = idleSpinNs;
        busySpinNsAtEnd = busySpinNs;
        if (lastBytes != null) {
            lastBytes.release();
            lastBytes = null;
        }
        if (scratch != null) {
            scratch.release();
            scratch = null;
        }
        lastSpec = null;
        checkDrained();
    }

    private void scanTimeouts() {
        final long now = System.nanoTime();
        for (Connection c : all) {
            c.timeout(now);
        }
        if (!stopping) {
            loop.schedule(this::scanTimeouts, TIMEOUT_SCAN_NS, TimeUnit.NANOSECONDS);
        }
        checkDrained();
    }

    private void checkDrained() {
        if (!schedulingDone || drained.getCount() == 0) {
            return;
        }
        for (Connection c : all) {
            if (c.open && c.intended != NO_REQUEST) {
                return;
            }
        }
        drained.countDown();
    }

    private boolean isMeasured(final long intendedAt) {
        return intendedAt >= measureStart && intendedAt < end;
    }

    private void onResponse(final long intendedAt, final long sentAtNs, final long now, final int status, final String op) {
        if (!isMeasured(intendedAt)) {
            warmupCompleted++;
            if (status >= 200 && status < 300) {
                warmupCorrected.recordValue(Math.min(toMicros(now - intendedAt), 3_600_000_000L));
            }
            return;
        }
        completed++;
        operations.computeIfAbsent(op, k -> new long[1])[0]++;
        if (status >= 200 && status < 300) {
            corrected.recordValue(Math.min(toMicros(now - intendedAt), 3_600_000_000L));
            uncorrected.recordValue(Math.min(toMicros(now - sentAtNs), 3_600_000_000L));
        } else {
            non2xx++;
        }
    }

    private static long toMicros(final long ns) {
        return Math.max(0, ns / 1000);
    }

    // ------------------------------------------------------------------ result

    private LoadResult result(final Histogram c, final Histogram u, final Histogram l) {
        final LoadResult r = new LoadResult();
        final double durationS = ctx.duration().toNanos() / 1e9;
        r.mode = "open-loop";
        r.workload = ctx.workload();
        r.url = ctx.url().toString();
        r.rateTarget = ctx.rate();
        r.rateAchieved = completed / durationS;
        r.rateSent = sent / durationS;
        r.requests = completed;
        r.errors = errors;
        r.non2xx = non2xx;
        r.timeouts = timeouts;
        if (c.getTotalCount() > 0) {
            r.p50Us = c.getValueAtPercentile(50);
            r.p90Us = c.getValueAtPercentile(90);
            r.p99Us = c.getValueAtPercentile(99);
            r.p999Us = c.getValueAtPercentile(99.9);
            r.maxUs = c.getMaxValue();
            r.meanUs = c.getMean();
            r.uncorrectedP50Us = u.getValueAtPercentile(50);
            r.uncorrectedP90Us = u.getValueAtPercentile(90);
            r.uncorrectedP99Us = u.getValueAtPercentile(99);
            r.uncorrectedP999Us = u.getValueAtPercentile(99.9);
            r.uncorrectedMaxUs = u.getMaxValue();
        }
        r.lateSends = lateSends;
        r.lateThresholdUs = ctx.lateThreshold().toNanos() / 1000;
        r.noFreeConnection = noFreeConnection;
        r.unsent = unsent;
        r.saturatedSends = saturatedSends;
        r.generatorLateSends = generatorLateSends;
        if (generatorLag.getTotalCount() > 0) {
            r.generatorLagP99Us = generatorLag.getValueAtPercentile(99);
            r.generatorLagMaxUs = generatorLag.getMaxValue();
        }
        if (l.getTotalCount() > 0) {
            r.lagP50Us = l.getValueAtPercentile(50);
            r.lagP99Us = l.getValueAtPercentile(99);
            r.lagP999Us = l.getValueAtPercentile(99.9);
            r.lagMaxUs = l.getMaxValue();
        }
        r.lagBoundUs = ctx.lagBound().toNanos() / 1000;
        r.durationS = durationS;
        r.warmupS = ctx.warmup().toNanos() / 1e9;
        r.connections = ctx.connections();
        r.seed = ctx.seed();
        r.arrival = ctx.poisson() ? "poisson" : "constant";
        r.transport = transportName(transport);
        for (Map.Entry<String, long[]> e : operations.entrySet()) {
            r.operations.put(e.getKey(), e.getValue()[0]);
        }
        r.hlog = ctx.hlog() == null ? null : ctx.hlog().toString();
        judge(r);
        if (!ctx.quiet()) {
            printSummary(ctx.out(), r, c, u);
        }
        return r;
    }

    /** Applies the trust rules (README "Trust rules") to a finished open-loop result. */
    private void judge(final LoadResult r) {
        final long scheduled = Math.round(ctx.rate() * ctx.duration().toNanos() / 1e9);
        if (r.lagP99Us == null) {
            r.untrustworthyReasons.add("nothing was sent in the measured phase");
        } else if (r.lagP99Us > r.lagBoundUs) {
            r.untrustworthyReasons.add(String.format(Locale.ROOT,
                "send-lag p99 %d us exceeds the bound %d us: the generator fell behind its schedule", r.lagP99Us, r.lagBoundUs));
        }
        if (sent > 0 && lateSends > ctx.maxLateFraction() * sent) {
            r.untrustworthyReasons.add(String.format(Locale.ROOT,
                "%d of %d sends (%.2f %%) were more than %d us late (allowed %.2f %%)", lateSends, sent,
                100.0 * lateSends / sent, r.lateThresholdUs, 100 * ctx.maxLateFraction()));
        }
        if (noFreeConnection > ctx.maxLateFraction() * Math.max(1, sent)) {
            r.untrustworthyReasons.add(String.format(Locale.ROOT,
                "%d sends had to wait because all %d connections were busy: add --connections, or the server is saturated",
                noFreeConnection, ctx.connections()));
        }
        if (unsent > 0) {
            r.untrustworthyReasons.add(unsent + " requests due in the measured phase were never sent");
        }
        if (scheduled > 0 && Math.abs(sent - scheduled) > Math.max(1, 0.01 * scheduled)) {
            r.untrustworthyReasons.add(String.format(Locale.ROOT, "sent %d of %d scheduled requests", sent, scheduled));
        }
        r.trustworthy = r.untrustworthyReasons.isEmpty();
        r.behindCause = behindCause(sent, saturatedSends + unsentSaturated, generatorLateSends + unsentByGenerator, ctx.maxLateFraction());
    }

    /**
     * Why the run fell behind its schedule, for a consumer that must tell a saturated server (valid, corrected
     * latency) from a generator that could not keep up (invalid offered load). Each cause counts when it exceeds the
     * allowed fraction of measured sends (the trust rules' 1 %). The generator's own lateness takes precedence: if it
     * exceeds the allowance, the offered load was distorted by the generator whatever the server did (the raw counts
     * of both stay in the result).
     *
     * @param sent measured sends.
     * @param waitedForConnection measured requests (sent or unsent) that waited for a connection while the generator
     *                            was on time.
     * @param generatorBehind measured sends late through the generator's own lag (with a connection free, or queued
     *                        behind a burst it caused by falling behind first), plus such requests left unsent.
     * @param maxFraction allowed fraction of either.
     * @return {@code none}, {@code server-saturated} or {@code generator}.
     */
    static String behindCause(final long sent, final long waitedForConnection, final long generatorBehind, final double maxFraction) {
        final double allowed = maxFraction * Math.max(1, sent);
        final boolean server = waitedForConnection > allowed;
        final boolean generator = generatorBehind > allowed;
        if (generator) {
            return "generator";
        }
        return server ? "server-saturated" : "none";
    }

    private static void printSummary(final PrintStream out, final LoadResult r, final Histogram c, final Histogram u) {
        LatencyTable.print(out, c, "Recorded Latency", true);
        out.println();
        LatencyTable.print(out, u, "Uncorrected Latency (measured without taking delayed starts into account)", false);
        out.printf(Locale.ROOT, "  %d requests in %.2fs (warm-up %.2fs not counted), %d errors, %d non-2xx, %d timeouts%n",
            r.requests, r.durationS, r.warmupS, r.errors, r.non2xx, r.timeouts);
        out.printf(Locale.ROOT, "Requests/sec: %10.2f   (target %.2f, sent %.2f)%n", r.rateAchieved, r.rateTarget, r.rateSent);
        out.printf(Locale.ROOT, "Send lag: p50 %s p99 %s max %s; late sends %d; no free connection %d; unsent %d%n",
            fmt(r.lagP50Us), fmt(r.lagP99Us), fmt(r.lagMaxUs), r.lateSends, r.noFreeConnection, r.unsent);
        out.printf(Locale.ROOT, "Behind schedule: %s (waited for a connection %d; late with a connection free %d, "
                + "their lag p99 %s)%n", r.behindCause, r.saturatedSends, r.generatorLateSends, fmt(r.generatorLagP99Us));
        out.println(r.trustworthy ? "Generator verdict: TRUSTWORTHY (held the schedule)"
            : "Generator verdict: NOT TRUSTWORTHY: " + String.join("; ", r.untrustworthyReasons));
    }

    private static String fmt(final Long us) {
        return us == null ? "n/a" : LatencyTable.formatMicros(us);
    }
}
