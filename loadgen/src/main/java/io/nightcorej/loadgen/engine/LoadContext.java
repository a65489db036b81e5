package io.nightcorej.loadgen.engine;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import io.nightcorej.loadgen.workload.WorkloadOptions;
import io.nightcorej.loadgen.workload.Workloads;

/**
 * Configuration of one open-loop run, Aeron style: fluent setters, then {@link #conclude()} validates and derives.
 *
 * <pre>{@code
 * LoadResult r = OpenLoopEngine.run(new LoadContext()
 *     .url(URI.create("http://127.0.0.1:8080")).rate(5000).connections(64)
 *     .warmup(Duration.ofSeconds(5)).duration(Duration.ofSeconds(30))
 *     .workload("socialnetwork-mixed").seed(42));
 * }</pre>
 */
public final class LoadContext {
    /** Default bound on send-lag p99 for a run to be trustworthy: 1 ms. */
    public static final Duration DEFAULT_LAG_BOUND = Duration.ofMillis(1);
    /** Default: a send more than 1 ms behind schedule is "late". */
    public static final Duration DEFAULT_LATE_THRESHOLD = Duration.ofMillis(1);
    /** Default share of late sends above which a run is not trustworthy: 1 %. */
    public static final double DEFAULT_MAX_LATE_FRACTION = 0.01;

    /** Default minimum timer sleep: 50 us, Linux's default timer slack. */
    public static final Duration DEFAULT_TIMER_RESOLUTION = Duration.ofNanos(50_000);

    /**
     * Rate from which {@link BusyPoll#AUTO} spins: sends are then at most 33 µs apart, and a sleep/wake-up per batch
     * costs more than it saves; below it, a sleeping loop also wins the CPU back promptly from other threads.
     */
    public static final double BUSY_POLL_AUTO_RATE = 30_000;

    /**
     * Whether the event loop sleeps in the transport's wait ({@code epoll_wait}, {@code io_uring_enter}) between sends or
     * spins on a non-blocking poll. Even a spinning loop sleeps through gaps longer than the timer resolution, so spinning
     * costs a whole CPU only at rates whose gaps are shorter than that.
     * Sleeping costs a timer, a context switch and a cross-CPU wake-up per batch (tens of µs of kernel time on a VM);
     * spinning costs the whole core, which is what a generator pinned to its own core should spend anyway.
     */
    public enum BusyPoll {
        /** Spin while the schedule runs if the rate is at least {@link #BUSY_POLL_AUTO_RATE} and the machine has &ge; 2 CPUs. */
        AUTO,
        /** Always spin while the schedule runs. */
        ON,
        /** Always sleep between sends. */
        OFF
    }

    /**
     * The socket I/O under the event loop. {@link #AUTO} = the fastest available (see {@link OpenLoopEngine}); an
     * explicit choice that is unavailable falls back (io_uring → epoll → NIO) with a one-line message.
     */
    public enum Transport {
        /** The fastest available here. */
        AUTO,
        /** Netty io_uring: every send and receive of one loop turn goes to the kernel in one {@code io_uring_enter}. */
        IO_URING,
        /** Netty epoll: one {@code write(2)} per request straight from a reused buffer, reads on readiness. */
        EPOLL,
        /** JDK NIO (portable). */
        NIO
    }

    /** How request targets are written. */
    public enum TargetForm {
        /** {@code POST http://host:port/path HTTP/1.1}, as the DeathStarBench Lua scripts send. */
        ABSOLUTE,
        /** {@code POST /path HTTP/1.1}. */
        ORIGIN
    }

    private URI url;
    private double rate;
    private int connections = 16;
    private Duration warmup = Duration.ZERO;
    private Duration duration = Duration.ofSeconds(10);
    private String workload = Workloads.NOP_POST;
    private long seed = 1L;
    private boolean poisson;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration lagBound = DEFAULT_LAG_BOUND;
    private Duration lateThreshold = DEFAULT_LATE_THRESHOLD;
    private double maxLateFraction = DEFAULT_MAX_LATE_FRACTION;
    private Duration progressInterval = Duration.ofSeconds(5);
    private Path hlog;
    private TargetForm targetForm = TargetForm.ABSOLUTE;
    private int maxUserIndex = WorkloadOptions.DEFAULT_MAX_USER_INDEX;
    private PrintStream out = System.out;
    private boolean quiet;
    private Transport transport = Transport.AUTO;
    private Duration timerResolution = DEFAULT_TIMER_RESOLUTION;
    private BusyPoll busyPoll = BusyPoll.AUTO;
    private String loopCpus;
    private Integer loopNice;
    private boolean concluded;

    /** @param v target URL (http only). @return this */
    public LoadContext url(final URI v) {
        url = v;
        return this;
    }

    /** @param v requests per second. @return this */
    public LoadContext rate(final double v) {
        rate = v;
        return this;
    }

    /** @param v number of keep-alive connections. @return this */
    public LoadContext connections(final int v) {
        connections = v;
        return this;
    }

    /** @param v warm-up (sent on schedule, not recorded). @return this */
    public LoadContext warmup(final Duration v) {
        warmup = v;
        return this;
    }

    /** @param v measured duration. @return this */
    public LoadContext duration(final Duration v) {
        duration = v;
        return this;
    }

    /** @param v workload name. @return this */
    public LoadContext workload(final String v) {
        workload = v;
        return this;
    }

    /** @param v seed. @return this */
    public LoadContext seed(final long v) {
        seed = v;
        return this;
    }

    /** @param v Poisson arrivals instead of a constant rate. @return this */
    public LoadContext poisson(final boolean v) {
        poisson = v;
        return this;
    }

    /** @param v per-request response timeout (from the actual send). @return this */
    public LoadContext timeout(final Duration v) {
        timeout = v;
        return this;
    }

    /** @param v connect timeout. @return this */
    public LoadContext connectTimeout(final Duration v) {
        connectTimeout = v;
        return this;
    }

    /** @param v send-lag p99 bound for trustworthiness. @return this */
    public LoadContext lagBound(final Duration v) {
        lagBound = v;
        return this;
    }

    /** @param v lag above which a send counts as late. @return this */
    public LoadContext lateThreshold(final Duration v) {
        lateThreshold = v;
        return this;
    }

    /** @param v allowed fraction of late sends. @return this */
    public LoadContext maxLateFraction(final double v) {
        maxLateFraction = v;
        return this;
    }

    /** @param v progress line interval (also the .hlog interval). @return this */
    public LoadContext progressInterval(final Duration v) {
        progressInterval = v;
        return this;
    }

    /** @param v .hlog file or null. @return this */
    public LoadContext hlog(final Path v) {
        hlog = v;
        return this;
    }

    /** @param v request-target form. @return this */
    public LoadContext targetForm(final TargetForm v) {
        targetForm = v;
        return this;
    }

    /** @param v the scripts' max_user_index. @return this */
    public LoadContext maxUserIndex(final int v) {
        maxUserIndex = v;
        return this;
    }

    /** @param v where progress and the table go. @return this */
    public LoadContext out(final PrintStream v) {
        out = v;
        return this;
    }

    /** @param v no progress lines. @return this */
    public LoadContext quiet(final boolean v) {
        quiet = v;
        return this;
    }

    /** @param v use a native transport when available (false = NIO, true = {@link Transport#AUTO}). @return this */
    public LoadContext preferEpoll(final boolean v) {
        transport = v ? Transport.AUTO : Transport.NIO;
        return this;
    }

    /** @param v socket transport. @return this */
    public LoadContext transport(final Transport v) {
        transport = v;
        return this;
    }

    /** @return the socket transport asked for */
    public Transport transport() {
        return transport;
    }

    /** @param v minimum timer sleep between send batches (adds at most this much send lag). @return this */
    public LoadContext timerResolution(final Duration v) {
        timerResolution = v;
        return this;
    }

    /** @param v busy-poll mode (any transport). @return this */
    public LoadContext busyPoll(final BusyPoll v) {
        busyPoll = v;
        return this;
    }

    /**
     * Pins the event-loop thread (only it: the JVM's other threads keep their CPUs) with {@code taskset -p -c}.
     *
     * @param v a {@code taskset -c} CPU list, or {@code null} for no pinning.
     * @return this
     */
    public LoadContext loopCpus(final String v) {
        loopCpus = v;
        return this;
    }

    /**
     * Sets the event-loop thread's nice value (see {@link CpuAffinity#reniceCurrentThread(int)}).
     *
     * @param v -20..19, or {@code null} to leave it.
     * @return this
     */
    public LoadContext loopNice(final Integer v) {
        loopNice = v;
        return this;
    }

    /** @return the event loop's nice value, or {@code null} */
    public Integer loopNice() {
        return loopNice;
    }

    /** @return the event loop's CPU list, or {@code null} */
    public String loopCpus() {
        return loopCpus;
    }

    /** @return busy-poll mode as set */
    public BusyPoll busyPoll() {
        return busyPoll;
    }

    /** @return whether the event loop should spin during the schedule, {@link BusyPoll#AUTO} resolved. */
    public boolean spins() {
        return switch (busyPoll) {
            case ON -> true;
            case OFF -> false;
            // A loop pinned to its own CPU may spin it whatever this JVM's affinity mask says (availableProcessors()
            // follows the mask: after taskset -a to one CPU it is 1, which used to switch calibrate's spinning off).
            case AUTO -> rate >= BUSY_POLL_AUTO_RATE && (loopCpus != null || Runtime.getRuntime().availableProcessors() >= 2);
        };
    }

    /** @return timer resolution */
    public Duration timerResolution() {
        return timerResolution;
    }

    /**
     * Validates every setting.
     *
     * @return this
     * @throws IllegalArgumentException naming the bad setting.
     */
    public LoadContext conclude() {
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://host[:port][/path], got " + url);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("--rate must be > 0, got " + rate);
        }
        if (connections < 1 || connections > 65_000) {
            throw new IllegalArgumentException("--connections must be in 1..65000, got " + connections);
        }
        requirePositive("--duration", duration);
        requireNonNegative("--warmup", warmup);
        requirePositive("--timeout", timeout);
        requirePositive("connect timeout", connectTimeout);
        requirePositive("--lag-bound", lagBound);
        requirePositive("--late-threshold", lateThreshold);
        requirePositive("--progress", progressInterval);
        requireNonNegative("timer resolution", timerResolution);
        if (transport == null) {
            throw new IllegalArgumentException("--transport must be one of AUTO, IO_URING, EPOLL, NIO");
        }
        if (busyPoll == null) {
            throw new IllegalArgumentException("--busy-poll must be one of AUTO, ON, OFF");
        }
        if (loopCpus != null && !loopCpus.matches("[0-9]+([-,][0-9]+)*")) {
            throw new IllegalArgumentException("--loop-cpu must be a CPU list like 0 or 0-1 or 0,2, got " + loopCpus);
        }
        if (loopNice != null && (loopNice < -20 || loopNice > 19)) {
            throw new IllegalArgumentException("--loop-nice must be in -20..19, got " + loopNice);
        }
        if (maxLateFraction < 0 || maxLateFraction > 1) {
            throw new IllegalArgumentException("max late fraction must be in [0,1], got " + maxLateFraction);
        }
        Workloads.byName(workload);
        new WorkloadOptions(seed, url, maxUserIndex);
        concluded = true;
        return this;
    }

    private static void requirePositive(final String name, final Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + d);
        }
    }

    private static void requireNonNegative(final String name, final Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + d);
        }
    }

    boolean isConcluded() {
        return concluded;
    }

    /** @return url */
    public URI url() {
        return url;
    }

    /** @return rate */
    public double rate() {
        return rate;
    }

    /** @return connections */
    public int connections() {
        return connections;
    }

    /** @return warmup */
    public Duration warmup() {
        return warmup;
    }

    /** @return duration */
    public Duration duration() {
        return duration;
    }

    /** @return workload */
    public String workload() {
        return workload;
    }

    /** @return seed */
    public long seed() {
        return seed;
    }

    /** @return poisson */
    public boolean poisson() {
        return poisson;
    }

    /** @return timeout */
    public Duration timeout() {
        return timeout;
    }

    /** @return connect timeout */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return lag bound */
    public Duration lagBound() {
        return lagBound;
    }

    /** @return late threshold */
    public Duration lateThreshold() {
        return lateThreshold;
    }

    /** @return max late fraction */
    public double maxLateFraction() {
        return maxLateFraction;
    }

    /** @return progress interval */
    public Duration progressInterval() {
        return progressInterval;
    }

    /** @return hlog path or null */
    public Path hlog() {
        return hlog;
    }

    /** @return target form */
    public TargetForm targetForm() {
        return targetForm;
    }

    /** @return max user index */
    public int maxUserIndex() {
        return maxUserIndex;
    }

    /** @return output stream */
    public PrintStream out() {
        return out;
    }

    /** @return quiet */
    public boolean quiet() {
        return quiet;
    }

    /** @return whether a native transport may be used (anything but {@link Transport#NIO}) */
    public boolean preferEpoll() {
        return transport != Transport.NIO;
    }

    /** @return host:port for the Host header and absolute targets. */
    public String hostPort() {
        return url.getHost() + ":" + port();
    }

    /** @return port (80 if absent). */
    public int port() {
        return url.getPort() < 0 ? 80 : url.getPort();
    }

    /** @return a short description for logs. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s rate=%.1f/s connections=%d warmup=%s duration=%s seed=%d%s",
            workload, url, rate, connections, warmup, duration, seed, poisson ? " poisson" : "");
    }
}
