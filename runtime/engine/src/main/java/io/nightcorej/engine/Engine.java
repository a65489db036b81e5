package io.nightcorej.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightcorej.ipc.ControlSocket;
import io.nightcorej.ipc.IpcLayout;
import io.nightcorej.ipc.MessageChannel;
import io.nightcorej.ipc.MessageReceiver;
import io.nightcorej.ipc.MessageSender;
import io.nightcorej.ipc.ShmPayloads;
import io.nightcorej.protocol.Message;
import io.nightcorej.protocol.ProtocolException;
import io.nightcorej.protocol.config.EngineConfig;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionCallException.Status;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The per-host engine: it starts one container (launcher process) per function, keeps their workers, dispatches calls
 * from the gateway, from workers (internal calls, never through the gateway) and from the Java API, enforces
 * deadlines, and traces every call.
 *
 * <pre>{@code
 * try (Engine engine = Engine.launch(Engine.Context.fromConfig(StackConfig.load(path)))) {
 *     byte[] out = engine.call("Foo", input).get(1, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>Threads: one I/O thread reads the shared engine input channel (every worker writes its INVOKE / COMPLETE /
 * FAILED messages there) and does all per-message work inline (routing, dispatch, forwarding), so an internal call
 * crosses no thread inside the engine; one thread per gateway connection; one per container control connection; a
 * deadline thread that sleeps until the earliest deadline or the next housekeeping pass (worker growth and shrinking);
 * a timer for container restarts; and a worker-operations thread for the slow parts (creating FIFOs, asking launchers
 * for workers).
 */
public final class Engine implements AutoCloseable {

    /**
     * Defaults for function container JVMs, chosen for a small footprint (serial GC, small stacks and code cache) so
     * a container with an idle worker pool stays near 60-90 MiB RSS. A function's own jvmArgs come later and win.
     */
    public static final List<String> DEFAULT_LAUNCHER_JVM_ARGS = List.of(
        "-XX:+UseSerialGC", "-Xss256k", "-Xms16m", "-Xmx96m", "-XX:MaxMetaspaceSize=96m",
        "-XX:ReservedCodeCacheSize=32m", "-XX:CICompilerCount=2", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError");

    static final String LAUNCHER_MAIN = "io.nightcorej.launcher.LauncherMain";
    private static final String AGRONA_EXPORTS = "java.base/jdk.internal.misc=ALL-UNNAMED";
    /** Housekeeping (worker growth and shrinking) period; also the longest the deadline thread sleeps. */
    private static final long HOUSEKEEPING_NANOS = 50_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How an engine is configured and embedded. Fluent setters; {@link #conclude()} validates. */
    public static final class Context {
        private StackConfig config;
        private Path ipcRoot;
        private boolean connectGateway = true;
        private String gatewayHost;
        private int gatewayPort = -1;
        private List<String> launcherClasspath;
        private String javaExecutable;
        private List<String> launcherJvmArgs = DEFAULT_LAUNCHER_JVM_ARGS;
        private Path logDir;
        private ContainerStarter containerStarter;
        private boolean shutdownHook = true;
        private long restartBackoffMaxMs = 10_000;

        /** @return a context for a stack config (gateway address and IPC root from it). */
        public static Context fromConfig(final StackConfig config) {
            return new Context().config(config);
        }

        public Context config(final StackConfig config) {
            this.config = config;
            return this;
        }

        public StackConfig config() {
            return config;
        }

        /** Overrides engine.ipcRoot. */
        public Context ipcRoot(final Path ipcRoot) {
            this.ipcRoot = ipcRoot;
            return this;
        }

        public Path ipcRoot() {
            return ipcRoot;
        }

        /** Whether to connect to the gateway (false for embedded use with {@link Engine#call}). */
        public Context connectGateway(final boolean connectGateway) {
            this.connectGateway = connectGateway;
            return this;
        }

        public boolean connectGateway() {
            return connectGateway;
        }

        /** Overrides gateway.host. */
        public Context gatewayHost(final String gatewayHost) {
            this.gatewayHost = gatewayHost;
            return this;
        }

        public String gatewayHost() {
            return gatewayHost;
        }

        /** Overrides gateway.enginePort. */
        public Context gatewayPort(final int gatewayPort) {
            this.gatewayPort = gatewayPort;
            return this;
        }

        public int gatewayPort() {
            return gatewayPort;
        }

        /** Classpath that holds the launcher (default: this JVM's class path). */
        public Context launcherClasspath(final List<String> launcherClasspath) {
            this.launcherClasspath = List.copyOf(launcherClasspath);
            return this;
        }

        public List<String> launcherClasspath() {
            return launcherClasspath;
        }

        /** The java binary for containers (default: this JVM's). */
        public Context javaExecutable(final String javaExecutable) {
            this.javaExecutable = javaExecutable;
            return this;
        }

        public String javaExecutable() {
            return javaExecutable;
        }

        /** JVM options for every container, before the function's own (default {@link #DEFAULT_LAUNCHER_JVM_ARGS}). */
        public Context launcherJvmArgs(final List<String> launcherJvmArgs) {
            this.launcherJvmArgs = List.copyOf(launcherJvmArgs);
            return this;
        }

        public List<String> launcherJvmArgs() {
            return launcherJvmArgs;
        }

        /** Directory for container logs, one file per function (default: java.io.tmpdir/nightcore-j-logs). */
        public Context logDir(final Path logDir) {
            this.logDir = logDir;
            return this;
        }

        public Path logDir() {
            return logDir;
        }

        /** How containers are started (default: {@link ContainerStarter#isolated()}, per each function's isolation). */
        public Context containerStarter(final ContainerStarter containerStarter) {
            this.containerStarter = containerStarter;
            return this;
        }

        public ContainerStarter containerStarter() {
            return containerStarter;
        }

        /** Whether a JVM shutdown hook closes the engine (default true). */
        public Context shutdownHook(final boolean shutdownHook) {
            this.shutdownHook = shutdownHook;
            return this;
        }

        public boolean shutdownHook() {
            return shutdownHook;
        }

        /** Longest wait before restarting a container that keeps crashing. */
        public Context restartBackoffMaxMs(final long restartBackoffMaxMs) {
            this.restartBackoffMaxMs = restartBackoffMaxMs;
            return this;
        }

        public long restartBackoffMaxMs() {
            return restartBackoffMaxMs;
        }

        /**
         * Validates and fills defaults.
         *
         * @return this.
         * @throws IllegalStateException naming what is missing or wrong.
         */
        public Context conclude() {
            if (config == null) {
                throw new IllegalStateException("Engine.Context: config (the stack config) is required");
            }
            config.conclude();
            if (config.functions().isEmpty()) {
                EngineLog.warn("the stack config has no functions");
            }
            if (ipcRoot == null) {
                ipcRoot = Path.of(config.engine().ipcRoot());
            }
            ipcRoot = ipcRoot.toAbsolutePath().normalize();
            if (ipcRoot.getNameCount() < 2) {
                throw new IllegalStateException("Engine.Context: ipcRoot " + ipcRoot + " is too close to / (it is deleted"
                    + " and recreated at start)");
            }
            if (gatewayHost == null) {
                gatewayHost = config.gateway().host();
            }
            if (gatewayPort < 0) {
                gatewayPort = config.gateway().enginePort();
            }
            if (launcherClasspath == null) {
                launcherClasspath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
            }
            if (javaExecutable == null) {
                javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            }
            if (logDir == null) {
                logDir = Path.of(System.getProperty("java.io.tmpdir"), "nightcore-j-logs");
            }
            if (containerStarter == null) {
                containerStarter = ContainerStarter.isolated();
            }
            return this;
        }
    }

    /** Per-thread message scratch for sends from any engine thread. */
    private static final class Scratch {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Message.LENGTH));
        final Message message = new Message().wrap(buffer, 0);
    }

    private final Context ctx;
    private final EngineConfig engineConfig;
    private final IpcLayout layout;
    private final MessageChannel channelKind;
    private final int maxPayloadBytes;
    private final boolean directReply;
    private final Map<Integer, Dispatcher> byId = new HashMap<>();
    private final Map<String, Dispatcher> byName = new LinkedHashMap<>();
    private final Map<Dispatcher, AtomicInteger> crashes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CallRecord> inflight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, WorkerHandle> clients = new ConcurrentHashMap<>();
    private final AtomicInteger nextClientId = new AtomicInteger(1);
    private final AtomicLong nextCallSeq = new AtomicLong(1);
    private final AtomicInteger generations = new AtomicInteger();
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final ExecutorService workerOps;
    private final ScheduledExecutorService timer;
    /**
     * When the deadline thread wakes next (monotonic ns). A call whose deadline is earlier lowers it and unparks the
     * thread; otherwise the thread sleeps until the earliest deadline it knows of or the next housekeeping pass, so an
     * engine with calls of 10 s budgets wakes 20 times a second instead of every 2 ms (each wake-up is a context
     * switch that competes with the call path on 2 vCPUs).
     */
    private final AtomicLong nextDeadlineWake = new AtomicLong(Long.MAX_VALUE);
    private volatile Thread deadlineThread;
    private final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    private final List<FunctionContainer> containers = Collections.synchronizedList(new ArrayList<>());
    private MessageReceiver input;
    private ServerSocketChannel controlServer;
    private volatile GatewayLink gatewayLink;
    private Thread shutdownHookThread;
    private volatile boolean closing;
    private volatile boolean closed;

    private Engine(final Context ctx) {
        this.ctx = ctx;
        this.engineConfig = ctx.config().engine();
        this.layout = new IpcLayout(ctx.ipcRoot());
        this.channelKind = MessageChannel.of(engineConfig.channel());
        this.maxPayloadBytes = engineConfig.maxPayloadBytes();
        this.directReply = engineConfig.directReply();
        for (final FunctionConfig f : ctx.config().functions()) {
            final Dispatcher d = new Dispatcher(f, engineConfig.concurrencyLimit(), engineConfig.growIntervalMs(),
                engineConfig.idleWorkerTimeoutMs(), engineConfig.dispatchAheadMaxMicros());
            byId.put(f.id(), d);
            byName.put(f.name(), d);
            crashes.put(d, new AtomicInteger());
        }
        this.workerOps = Executors.newSingleThreadExecutor(r -> daemon(r, "nc-engine-workers"));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "nc-engine-timer"));
    }

    /**
     * Starts an engine: recreates the IPC directory, opens the control socket and the engine input channel, starts
     * one container per function and (if configured) connects to the gateway.
     *
     * @param ctx the context ({@link Context#conclude()} is called here).
     * @return the running engine.
     * @throws IOException when the IPC directory or sockets cannot be created.
     */
    public static Engine launch(final Context ctx) throws IOException {
        final Engine engine = new Engine(ctx.conclude());
        try {
            engine.start();
        } catch (final Throwable e) {
            // Whatever went wrong (even a missing class), leave no containers and no IPC directory behind.
            engine.close();
            throw e;
        }
        return engine;
    }

    /**
     * Starts an engine for tests and benchmarks: its own IPC directory under /dev/shm (or the temp dir), no gateway,
     * no shutdown hook. Call {@link #awaitWorkers} before timing anything.
     *
     * @param config the stack config (its ipcRoot is ignored).
     * @return the running engine.
     * @throws IOException as for {@link #launch}.
     */
    public static Engine launchEmbedded(final StackConfig config) throws IOException {
        final Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        final Path root = base.resolve("nightcore-j-embedded-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        return launch(Context.fromConfig(config).ipcRoot(root).connectGateway(false).shutdownHook(false));
    }

    private void start() throws IOException {
        layout.recreate();
        Files.createDirectories(ctx.logDir());
        final Path inputPath = layout.channel(channelKind, IpcLayout.ENGINE_INPUT);
        channelKind.create(inputPath);
        // No spin by default: the I/O loop asks for one only while nested calls flow (see ioLoop).
        input = channelKind.openReceiver(inputPath, 0);
        controlServer = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        controlServer.bind(UnixDomainSocketAddress.of(layout.engineSocket()));
        final Thread ioThread = startThread(this::ioLoop, "nc-engine-io");
        startThread(this::acceptLoop, "nc-engine-control-accept");
        deadlineThread = startThread(this::deadlineLoop, "nc-engine-deadlines");
        for (final Dispatcher d : byName.values()) {
            startContainer(d);
        }
        if (ctx.connectGateway()) {
            final GatewayLink link = new GatewayLink(this, ctx.gatewayHost(), ctx.gatewayPort(),
                engineConfig.gatewayConnections(), engineConfig.nodeId(), maxPayloadBytes);
            link.coalesceWritesOn(ioThread);
            gatewayLink = link;
            link.start();
        }
        if (ctx.shutdownHook()) {
            shutdownHookThread = new Thread(this::close, "nc-engine-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHookThread);
        }
        EngineLog.info("engine node " + engineConfig.nodeId() + " started: ipc " + layout.root() + ", channel "
            + channelKind.configName() + ", functions " + byName.keySet()
            + (ctx.connectGateway() ? ", gateway " + ctx.gatewayHost() + ":" + ctx.gatewayPort() : ", no gateway"));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Public API

    /** @return the IPC directory layout. */
    public IpcLayout layout() {
        return layout;
    }

    /** @return the engine's node id. */
    public int nodeId() {
        return engineConfig.nodeId();
    }

    /** @return the channel kind in use. */
    public MessageChannel channelKind() {
        return channelKind;
    }

    /**
     * Calls a function directly (no gateway), with the function's timeoutMs as deadline.
     *
     * @param function the function's name.
     * @param input    the input.
     * @return the output, or a {@link FunctionCallException} as the failure.
     */
    public CompletableFuture<byte[]> call(final String function, final byte[] input) {
        return call(function, input, 0);
    }

    /**
     * Calls a function directly (no gateway).
     *
     * @param function  the function's name.
     * @param input     the input.
     * @param timeoutMs the deadline budget, 0 for the function's timeoutMs.
     * @return the output, or a {@link FunctionCallException} as the failure.
     */
    public CompletableFuture<byte[]> call(final String function, final byte[] input, final long timeoutMs) {
        final Dispatcher d = byName.get(function);
        if (d == null) {
            return CompletableFuture.failedFuture(new FunctionCallException(Status.NOT_FOUND, function,
                "no function of that name; configured: " + byName.keySet()));
        }
        if (closing) {
            return CompletableFuture.failedFuture(new FunctionCallException(Status.UNAVAILABLE, function, "engine is closing"));
        }
        if (input.length > maxPayloadBytes) {
            return CompletableFuture.failedFuture(new FunctionCallException(Status.PAYLOAD_TOO_LARGE, function,
                "input of " + input.length + " bytes exceeds " + maxPayloadBytes));
        }
        final long now = System.nanoTime();
        final long budgetNanos = (timeoutMs > 0 ? timeoutMs : d.function().timeoutMs()) * 1_000_000L;
        final CallRecord call = new CallRecord(nextCallSeq.getAndIncrement(), d, CallRecord.Origin.LOCAL, 0, now, now + budgetNanos);
        call.future = new CompletableFuture<>();
        if (!attachInput(call, input)) {
            return call.future;
        }
        submit(call, now);
        return call.future;
    }

    /** Entry for calls from the gateway (used by {@link GatewayLink}). */
    void submitFromGateway(final GatewayLink.Connection connection, final int functionId, final long gatewayCallId,
                           final long budgetMicros, final byte[] input) {
        final Dispatcher d = byId.get(functionId);
        if (d == null) {
            connection.sendFailed(functionId, gatewayCallId, Status.NOT_FOUND.code(), "no function with id " + functionId
                + " on engine node " + engineConfig.nodeId());
            return;
        }
        if (closing) {
            connection.sendFailed(functionId, gatewayCallId, Status.UNAVAILABLE.code(), "engine is closing");
            return;
        }
        final long now = System.nanoTime();
        final long budgetNanos = budgetMicros > 0 ? budgetMicros * 1000L : d.function().timeoutMs() * 1_000_000L;
        final CallRecord call = new CallRecord(nextCallSeq.getAndIncrement(), d, CallRecord.Origin.GATEWAY, 0, now,
            now + budgetNanos);
        call.gatewayConnection = connection;
        call.gatewayCallId = gatewayCallId;
        if (attachInput(call, input)) {
            submit(call, now);
        }
    }

    /**
     * Waits until a function has at least {@code count} ready workers.
     *
     * @return true when reached within the timeout.
     */
    public boolean awaitWorkers(final String function, final int count, final long timeoutMs) throws InterruptedException {
        final Dispatcher d = byName.get(function);
        if (d == null) {
            throw new IllegalArgumentException("no function " + function);
        }
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (d.workerCount() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** @return the number of ready workers of a function. */
    public int workerCount(final String function) {
        final Dispatcher d = byName.get(function);
        return d == null ? 0 : d.workerCount();
    }

    /** @return the pids of the live container processes (for tests and tools). */
    public Map<String, Long> containerPids() {
        final Map<String, Long> pids = new LinkedHashMap<>();
        for (final Dispatcher d : byName.values()) {
            final FunctionContainer c = d.container;
            if (c != null && !c.dead && c.process != null) {
                pids.put(d.function().name(), c.process.pid());
            }
        }
        return pids;
    }

    /** @return the STATS_REPLY JSON: per-function counts, tau and latency percentiles since start. */
    public String statsJson() {
        final ObjectNode root = JSON.createObjectNode();
        root.put("nodeId", engineConfig.nodeId());
        final ObjectNode functions = root.putObject("functions");
        for (final Dispatcher d : byName.values()) {
            final ObjectNode f = functions.putObject(d.function().name());
            d.stats().writeTo(f);
            d.writeStats(f);
        }
        return root.toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Call path

    private boolean attachInput(final CallRecord call, final byte[] input) {
        if (input.length <= Message.INLINE_CAPACITY) {
            call.inlineInput = input;
            return true;
        }
        try {
            ShmPayloads.write(layout.shmInput(call.callId), input, 0, input.length);
            call.inputShmLength = input.length;
            return true;
        } catch (final IOException e) {
            answerFailure(call, Status.FAILED, "cannot write the input to shared memory: " + e.getMessage());
            return false;
        }
    }

    private void submit(final CallRecord call, final long now) {
        if (inflight.putIfAbsent(call.callId, call) != null) {
            answerFailure(call, Status.FAILED, "duplicate call id " + call.callId);
            return;
        }
        watchDeadline(call.deadlineNanos);
        final CallRecord send = call.dispatcher.admit(call, now);
        if (send != null) {
            sendDispatch(send.worker, send);
        } else {
            maybeGrow(call.dispatcher, now);
        }
    }

    private void sendDispatch(final WorkerHandle worker, final CallRecord call) {
        final Scratch s = scratch.get();
        final Message m = s.message.clearHeader()
            .type(Message.DISPATCH_FUNC_CALL)
            .functionId(call.dispatcher.function().id())
            .callId(call.callId)
            .parentCallId(call.parentCallId)
            .clientId(worker.clientId)
            .deadline(call.deadlineNanos);
        if (call.inlineInput != null) {
            m.putInlinePayload(call.inlineInput, 0, call.inlineInput.length);
        } else {
            m.payloadSize(-call.inputShmLength);
        }
        if (directReply && call.origin == CallRecord.Origin.INTERNAL && !call.replyToContainer && !call.caller.dead) {
            m.flags(Message.FLAG_DIRECT_REPLY).replyClientId(call.caller.clientId);
        }
        if (call.moreQueued) {
            m.flags(m.flags() | Message.FLAG_MORE_QUEUED);
        }
        m.sendTimestamp(System.nanoTime());
        try {
            worker.sender.send(s.buffer, 0);
        } catch (final IOException e) {
            workerLost(worker, "cannot send to it: " + e.getMessage());
        }
    }

    private void ioLoop() {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Message.LENGTH));
        final Message msg = new Message().wrap(buffer, 0);
        long badMessages = 0;
        final int spinMicros = engineConfig.spinMicros();
        // Whether the last message was part of a nested call (an INVOKE, or a callee's notice that it replied directly):
        // then the next one (the notice, or the caller's next INVOKE) usually follows within microseconds, and a short
        // adaptive spin (shm channel) saves a wake-up on the call's critical path. Completions of gateway calls do not
        // spin: there the spinning thread would take the CPU from the gateway and the workers (-10 % calls/s at wrk -c8).
        boolean nestedTraffic = false;
        while (!closing) {
            try {
                final GatewayLink link = gatewayLink;
                if (link != null && !input.hasPending()) {
                    // The next receive may wait: write the answers coalesced during this burst first.
                    link.flushCoalesced();
                }
                if (!(nestedTraffic ? input.receive(buffer, 0, spinMicros) : input.receive(buffer, 0))) {
                    break;
                }
                nestedTraffic = msg.type() == Message.INVOKE_FUNC || (msg.flags() & Message.FLAG_REPLIED) != 0;
                msg.validate(maxPayloadBytes);
                switch (msg.type()) {
                    case Message.INVOKE_FUNC:
                        onInvoke(msg);
                        break;
                    case Message.FUNC_CALL_COMPLETE:
                    case Message.FUNC_CALL_FAILED:
                        onResult(msg);
                        break;
                    default:
                        throw new ProtocolException("unexpected " + Message.typeName(msg.type()) + " on the engine input");
                }
            } catch (final ProtocolException e) {
                if (badMessages++ < 10) {
                    EngineLog.warn("dropped a bad message on the engine input: " + e.getMessage());
                }
            } catch (final IOException e) {
                if (!closing) {
                    EngineLog.warn("engine input channel failed: " + e);
                }
                break;
            } catch (final RuntimeException e) {
                EngineLog.warn("error handling " + msg + ": " + e);
            }
        }
    }

    private void onInvoke(final Message msg) {
        final long now = System.nanoTime();
        final long callId = msg.callId();
        final WorkerHandle caller = clients.get(msg.clientId());
        if (caller == null || caller.dead) {
            if (msg.payloadInShm()) {
                ShmPayloads.deleteQuietly(layout.shmInput(callId));
            }
            return;
        }
        final boolean toContainer = (msg.flags() & Message.FLAG_REPLY_TO_CONTAINER) != 0;
        final Dispatcher d = byId.get(msg.functionId());
        if (d == null) {
            if (msg.payloadInShm()) {
                ShmPayloads.deleteQuietly(layout.shmInput(callId));
            }
            final WorkerHandle target = toContainer ? caller.container.self : caller;
            sendFailure(target, msg.functionId(), callId, Status.NOT_FOUND, "no function with id " + msg.functionId());
            return;
        }
        long deadline = now + d.function().timeoutMs() * 1_000_000L;
        if (msg.deadline() != 0 && msg.deadline() - deadline < 0) {
            deadline = msg.deadline();
        }
        final CallRecord call = new CallRecord(callId, d, CallRecord.Origin.INTERNAL, msg.parentCallId(), now, deadline);
        call.caller = caller;
        call.replyToContainer = toContainer;
        caller.container.dispatcher.noteCallsOthers();
        if (msg.payloadInShm()) {
            call.inputShmLength = msg.payloadLength();
        } else {
            call.inlineInput = msg.inlinePayload();
        }
        submit(call, now);
    }

    private void onResult(final Message msg) {
        final long now = System.nanoTime();
        final long callId = msg.callId();
        final boolean replied = (msg.flags() & Message.FLAG_REPLIED) != 0;
        final WorkerHandle worker = clients.get(msg.clientId());
        final CallRecord call = inflight.remove(callId);
        CallRecord next = null;
        if (worker != null) {
            next = worker.container.dispatcher.release(worker, now, msg.processingTimeUs());
        }
        if (call == null) {
            // Late: the call already timed out or its caller died. Its output file has no reader, unless the worker
            // replied directly to a caller that is still alive (which deletes the file when it discards the result).
            if (msg.payloadInShm() && (!replied || !callerAlive(callId))) {
                ShmPayloads.deleteQuietly(layout.shmOutput(callId));
            }
        } else {
            if (msg.type() == Message.FUNC_CALL_COMPLETE) {
                call.dispatcher.stats().recordCompletion(call.receivedNanos, call.dispatchedNanos, now, msg.processingTimeUs(),
                    msg.dispatchDelayUs(), now - msg.sendTimestamp());
            } else {
                call.dispatcher.stats().recordFailure();
            }
            if (!replied) {
                deliver(call, msg);
            } else if (msg.payloadInShm() && (call.caller == null || call.caller.dead)) {
                ShmPayloads.deleteQuietly(layout.shmOutput(callId));
            }
        }
        if (next != null) {
            sendDispatch(worker, next);
            final CallRecord also = next.sendAlso;
            if (also != null) {
                next.sendAlso = null;
                // Unless the first send lost the worker (then the call was taken back and readmitted already).
                if (also.worker == worker) {
                    sendDispatch(worker, also);
                }
            }
        }
    }

    /** @return whether the worker that made nested call {@code callId} ((clientId &lt;&lt; 40) | n) is still known. */
    private boolean callerAlive(final long callId) {
        final WorkerHandle caller = clients.get((int) (callId >>> 40));
        return caller != null && !caller.dead;
    }

    /** Forwards a worker's COMPLETE/FAILED message (in msg) to whoever asked. */
    private void deliver(final CallRecord call, final Message msg) {
        switch (call.origin) {
            case INTERNAL: {
                final WorkerHandle target = call.replyToContainer ? call.caller.container.self : call.caller;
                if (target == null || target.dead) {
                    if (msg.payloadInShm()) {
                        ShmPayloads.deleteQuietly(layout.shmOutput(call.callId));
                    }
                    return;
                }
                msg.clientId(call.caller.clientId).sendTimestamp(System.nanoTime());
                try {
                    target.sender.send(msg.buffer(), msg.offset());
                } catch (final IOException e) {
                    if (msg.payloadInShm()) {
                        ShmPayloads.deleteQuietly(layout.shmOutput(call.callId));
                    }
                }
                return;
            }
            case GATEWAY:
            case LOCAL: {
                final byte[] payload;
                try {
                    payload = msg.payloadInShm()
                        ? ShmPayloads.readAndDelete(layout.shmOutput(call.callId), msg.payloadLength())
                        : msg.inlinePayload();
                } catch (final IOException e) {
                    answerFailure(call, Status.FAILED, "output lost: " + e.getMessage());
                    return;
                }
                if (msg.type() == Message.FUNC_CALL_COMPLETE) {
                    if (call.origin == CallRecord.Origin.GATEWAY) {
                        call.gatewayConnection.sendComplete(call.dispatcher.function().id(), call.gatewayCallId,
                            msg.processingTimeUs(), payload);
                    } else {
                        call.future.complete(payload);
                    }
                } else {
                    answerFailure(call, Status.fromCode(msg.status()), new String(payload, StandardCharsets.UTF_8));
                }
                return;
            }
            default:
                throw new IllegalStateException("unknown origin " + call.origin);
        }
    }

    /**
     * Fails a call the caller has already removed from the in-flight table (so this is its one answer).
     */
    private void failCall(final CallRecord call, final Status status, final String message) {
        call.cancelled = true;
        call.dispatcher.stats().recordFailure();
        if (call.inputShmLength > 0 && (call.worker == null || status != Status.TIMEOUT)) {
            ShmPayloads.deleteQuietly(layout.shmInput(call.callId));
        }
        answerFailure(call, status, message);
    }

    private void answerFailure(final CallRecord call, final Status status, final String message) {
        final String name = call.dispatcher.function().name();
        switch (call.origin) {
            case INTERNAL: {
                final WorkerHandle target = call.replyToContainer ? call.caller.container.self : call.caller;
                sendFailure(target, call.dispatcher.function().id(), call.callId, status, message);
                return;
            }
            case GATEWAY:
                call.gatewayConnection.sendFailed(call.dispatcher.function().id(), call.gatewayCallId, status.code(), message);
                return;
            case LOCAL:
                call.future.completeExceptionally(new FunctionCallException(status, name, message));
                return;
            default:
                throw new IllegalStateException("unknown origin " + call.origin);
        }
    }

    private void sendFailure(final WorkerHandle target, final int functionId, final long callId, final Status status,
                             final String message) {
        if (target == null || target.dead) {
            return;
        }
        final Scratch s = scratch.get();
        final byte[] text = truncatedUtf8(message);
        s.message.clearHeader().type(Message.FUNC_CALL_FAILED).functionId(functionId).callId(callId).clientId(target.clientId)
            .status(status.code()).putInlinePayload(text, 0, text.length).sendTimestamp(System.nanoTime());
        try {
            target.sender.send(s.buffer, 0);
        } catch (final IOException ignored) {
            // The target is going away; its container's death handling covers it.
        }
    }

    static byte[] truncatedUtf8(final String message) {
        final byte[] bytes = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
        return bytes.length <= Message.INLINE_CAPACITY ? bytes : Arrays.copyOf(bytes, Message.INLINE_CAPACITY);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Deadlines, growth, shrinking

    private long lastHousekeepingNanos;

    /** Makes sure the deadline thread is awake by {@code deadline}; one volatile read unless it is earlier. */
    private void watchDeadline(final long deadline) {
        long wake;
        while (deadline - (wake = nextDeadlineWake.get()) < 0) {
            if (nextDeadlineWake.compareAndSet(wake, deadline)) {
                LockSupport.unpark(deadlineThread);
                return;
            }
        }
    }

    /**
     * Fails calls whose deadline passed (TIMEOUT) and runs the housekeeping; sleeps until the earliest deadline among
     * the calls in flight or the next housekeeping pass, whichever comes first (calls arriving with an earlier deadline
     * wake it, see {@link #watchDeadline}).
     */
    private void deadlineLoop() {
        while (!closing) {
            // Calls submitted from here on see MAX and lower it (and unpark us), so none is missed during the sweep.
            nextDeadlineWake.set(Long.MAX_VALUE);
            final long now = System.nanoTime();
            long next = now + HOUSEKEEPING_NANOS - Math.min(HOUSEKEEPING_NANOS, now - lastHousekeepingNanos);
            try {
                next = Math.min(next, sweepDeadlines(now));
                if (now - lastHousekeepingNanos >= HOUSEKEEPING_NANOS) {
                    lastHousekeepingNanos = now;
                    next = Math.min(next, now + HOUSEKEEPING_NANOS);
                    housekeeping(now);
                }
            } catch (final RuntimeException e) {
                EngineLog.warn("deadline thread: " + e);
            }
            long wake;
            do {
                wake = nextDeadlineWake.get();
            } while (next - wake < 0 && !nextDeadlineWake.compareAndSet(wake, next));
            final long sleep = Math.min(next, nextDeadlineWake.get()) - System.nanoTime();
            if (sleep > 0) {
                LockSupport.parkNanos(this, sleep);
            }
        }
    }

    /** @return the earliest deadline among the calls still in flight (far in the future when there are none). */
    private long sweepDeadlines(final long now) {
        long earliest = now + HOUSEKEEPING_NANOS;
        for (final CallRecord call : inflight.values()) {
            if (now - call.deadlineNanos >= 0) {
                if (inflight.remove(call.callId, call)) {
                    final long budgetMs = (call.deadlineNanos - call.receivedNanos) / 1_000_000L;
                    final WorkerHandle worker = call.worker;
                    failCall(call, Status.TIMEOUT, "deadline of " + budgetMs + " ms passed while the call was "
                        + (worker == null ? "queued (no free worker)" : "running on " + worker));
                }
            } else if (call.deadlineNanos - earliest < 0) {
                earliest = call.deadlineNanos;
            }
        }
        return earliest;
    }

    private void housekeeping(final long now) {
        for (final Dispatcher d : byName.values()) {
            final FunctionContainer c = d.container;
            if (c != null && c.control != null && !c.dead) {
                maybeGrow(d, now);
                for (final WorkerHandle w : d.idleWorkersToStop(now)) {
                    workerOps.execute(() -> stopWorker(w));
                }
            }
        }
    }

    private void maybeGrow(final Dispatcher d, final long now) {
        final FunctionContainer c = d.container;
        if (c == null || c.dead || c.control == null) {
            return;
        }
        final int count = d.workersToAdd(now);
        if (count > 0) {
            workerOps.execute(() -> requestWorkers(c, count));
        }
    }

    private void requestWorkers(final FunctionContainer c, final int count) {
        final Scratch s = scratch.get();
        for (int i = 0; i < count; i++) {
            if (c.dead || closing) {
                c.dispatcher.requestsLost(count - i);
                return;
            }
            final int clientId = nextClientId.getAndIncrement();
            try {
                channelKind.create(layout.channel(channelKind, IpcLayout.clientInput(clientId)));
                s.message.clearHeader().type(Message.CREATE_FUNC_WORKER).functionId(c.function().id()).clientId(clientId)
                    .payloadSize(0).sendTimestamp(System.nanoTime());
                c.control.send(s.buffer, 0, null);
            } catch (final IOException e) {
                c.dispatcher.requestsLost(count - i);
                EngineLog.warn("cannot request a worker from " + c + ": " + e.getMessage());
                return;
            }
        }
    }

    private void stopWorker(final WorkerHandle worker) {
        worker.dead = true;
        clients.remove(worker.clientId);
        worker.container.workers.remove(worker.clientId);
        final Scratch s = scratch.get();
        s.message.clearHeader().type(Message.STOP_FUNC_WORKER).functionId(worker.container.function().id())
            .clientId(worker.clientId).payloadSize(0).sendTimestamp(System.nanoTime());
        try {
            worker.sender.send(s.buffer, 0);
        } catch (final IOException ignored) {
            // Already gone.
        }
        worker.sender.close();
        channelKind.delete(layout.channel(channelKind, IpcLayout.clientInput(worker.clientId)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Containers

    private void startContainer(final Dispatcher d) {
        if (closing) {
            return;
        }
        final FunctionConfig f = d.function();
        final FunctionContainer c = new FunctionContainer(d, generations.incrementAndGet(), System.nanoTime());
        d.resetRequests();
        d.container = c;
        containers.add(c);
        final List<String> classpath = new ArrayList<>(ctx.launcherClasspath());
        classpath.addAll(f.classpath());
        final List<String> command = new ArrayList<>();
        command.add(ctx.javaExecutable());
        command.addAll(ctx.launcherJvmArgs());
        command.add("--add-exports");
        command.add(AGRONA_EXPORTS);
        command.addAll(f.jvmArgs());
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(LAUNCHER_MAIN);
        command.add("--ipc-root");
        command.add(layout.root().toString());
        command.add("--function-id");
        command.add(Integer.toString(f.id()));
        final List<Path> readOnly = new ArrayList<>();
        for (final String entry : classpath) {
            if (!entry.isEmpty()) {
                readOnly.add(Path.of(entry).toAbsolutePath());
            }
        }
        readOnly.add(Path.of(System.getProperty("java.home")));
        final ContainerStarter.Spec spec = new ContainerStarter.Spec(command,
            Map.of("NIGHTCORE_FUNCTION", f.name(), "NIGHTCORE_IPC_ROOT", layout.root().toString()),
            Path.of("").toAbsolutePath(), readOnly, List.of(layout.root()), "fn-" + f.name().toLowerCase().replace(':', '-'),
            f.isolation(), ctx.logDir().resolve(f.name().replace(':', '_') + ".log"));
        try {
            final Process process = ctx.containerStarter().start(spec);
            c.process = process;
            process.onExit().thenRun(() -> containerDied(c, "its process exited with code " + process.exitValue()
                + " (log: " + spec.logFile() + ")"));
        } catch (final IOException | RuntimeException | LinkageError e) {
            c.failure = "cannot start: " + e;
            containerDied(c, c.failure);
        }
    }

    private void acceptLoop() {
        while (!closing) {
            final SocketChannel channel;
            try {
                channel = controlServer.accept();
            } catch (final IOException e) {
                if (!closing) {
                    EngineLog.warn("control socket accept failed: " + e);
                }
                return;
            }
            startThread(() -> serveControl(channel), "nc-engine-control");
        }
    }

    private void serveControl(final SocketChannel channel) {
        final ControlSocket control = new ControlSocket(channel);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Message.LENGTH]);
        final Message msg = new Message().wrap(buffer, 0);
        FunctionContainer container = null;
        String reason = "its control connection closed";
        try {
            if (!control.receive(buffer, 0) || msg.type() != Message.LAUNCHER_HANDSHAKE) {
                control.close();
                return;
            }
            container = handshake(control, msg);
            if (container == null) {
                return;
            }
            while (control.receive(buffer, 0)) {
                if (msg.type() == Message.FUNC_WORKER_READY) {
                    onWorkerReady(container, msg, control.payloadOf(msg));
                }
            }
        } catch (final IOException | RuntimeException e) {
            reason = "its control connection failed: " + e.getMessage();
        } finally {
            control.close();
        }
        if (container != null) {
            containerDied(container, reason);
        }
    }

    private FunctionContainer handshake(final ControlSocket control, final Message msg) throws IOException {
        final Dispatcher d = byId.get(msg.functionId());
        final Scratch s = scratch.get();
        if (d == null || closing) {
            final byte[] text = truncatedUtf8(d == null ? "no function with id " + msg.functionId() : "engine is closing");
            s.message.clearHeader().type(Message.HANDSHAKE_RESPONSE).functionId(msg.functionId())
                .status(d == null ? Status.NOT_FOUND.code() : Status.UNAVAILABLE.code()).putInlinePayload(text, 0, text.length);
            control.send(s.buffer, 0, null);
            control.close();
            return null;
        }
        FunctionContainer c = d.container;
        if (c == null || c.dead || c.control != null) {
            // A launcher started outside the engine (e.g. by hand): it becomes the function's container.
            if (c != null && !c.dead && c.control != null) {
                final byte[] text = truncatedUtf8("function " + d.function().name() + " already has a connected container");
                s.message.clearHeader().type(Message.HANDSHAKE_RESPONSE).functionId(msg.functionId())
                    .status(Status.UNAVAILABLE.code()).putInlinePayload(text, 0, text.length);
                control.send(s.buffer, 0, null);
                control.close();
                return null;
            }
            c = new FunctionContainer(d, generations.incrementAndGet(), System.nanoTime());
            d.resetRequests();
            d.container = c;
            containers.add(c);
        }
        final int clientId = nextClientId.getAndIncrement();
        final Path path = layout.channel(channelKind, IpcLayout.clientInput(clientId));
        channelKind.create(path);
        c.dispatchAhead = declaresDispatchAhead(msg);
        c.self = new WorkerHandle(clientId, c, channelKind.openSender(path));
        clients.put(clientId, c.self);
        final Map<String, Object> functions = new LinkedHashMap<>();
        for (final Dispatcher other : byName.values()) {
            functions.put(other.function().name(), Map.of("id", other.function().id(), "timeoutMs", other.function().timeoutMs()));
        }
        final Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientId", clientId);
        response.put("functionId", d.function().id());
        response.put("functionName", d.function().name());
        response.put("handler", d.function().handler());
        response.put("settings", d.function().settings());
        response.put("channel", channelKind.configName());
        response.put("spinMicros", engineConfig.spinMicros());
        response.put("workerSpinMicros", engineConfig.workerSpinMicros());
        response.put("replySpinMicros", engineConfig.replySpinMicros());
        response.put("maxPayloadBytes", maxPayloadBytes);
        response.put("functions", functions);
        final byte[] json = JSON.writeValueAsBytes(response);
        s.message.clearHeader().type(Message.HANDSHAKE_RESPONSE).functionId(d.function().id()).clientId(clientId);
        if (json.length <= Message.INLINE_CAPACITY) {
            s.message.putInlinePayload(json, 0, json.length);
            control.send(s.buffer, 0, null);
        } else {
            s.message.payloadSize(json.length);
            control.send(s.buffer, 0, json);
        }
        c.control = control;
        if (c.dead) {
            return c;
        }
        maybeGrow(d, System.nanoTime());
        return c;
    }

    /** @return whether a LAUNCHER_HANDSHAKE's JSON says {@code "dispatchAhead":true} (PROTOCOL.md 3.3). */
    private static boolean declaresDispatchAhead(final Message msg) {
        if (msg.payloadInShm() || msg.payloadLength() == 0) {
            return false;
        }
        try {
            return JSON.readTree(msg.inlinePayload()).path("dispatchAhead").asBoolean(false);
        } catch (final IOException e) {
            return false;
        }
    }

    private void onWorkerReady(final FunctionContainer c, final Message msg, final byte[] payload) throws IOException {
        final int clientId = msg.clientId();
        if (msg.status() != 0) {
            final String text = new String(payload, StandardCharsets.UTF_8);
            if (c.self != null && clientId == c.self.clientId) {
                c.failure = text;
                EngineLog.warn(c + " cannot run: " + text);
            } else {
                c.dispatcher.requestsLost(1);
                channelKind.delete(layout.channel(channelKind, IpcLayout.clientInput(clientId)));
                EngineLog.warn(c + " could not start worker " + clientId + ": " + text);
            }
            return;
        }
        final MessageSender sender = channelKind.openSender(layout.channel(channelKind, IpcLayout.clientInput(clientId)));
        final WorkerHandle worker = new WorkerHandle(clientId, c, sender);
        c.workers.put(clientId, worker);
        clients.put(clientId, worker);
        if (c.dead) {
            worker.dead = true;
            return;
        }
        final long now = System.nanoTime();
        final CallRecord next = c.dispatcher.addWorker(worker, now);
        if (!c.becameReady && c.dispatcher.workerCount() >= c.function().minWorkers()) {
            c.becameReady = true;
            crashes.get(c.dispatcher).set(0);
        }
        if (next != null) {
            sendDispatch(worker, next);
        }
    }

    private void workerLost(final WorkerHandle worker, final String reason) {
        worker.dead = true;
        clients.remove(worker.clientId);
        final CallRecord current = worker.container.dispatcher.removeWorker(worker);
        if (current != null && inflight.remove(current.callId, current)) {
            failCall(current, Status.WORKER_DIED, worker + " was lost: " + reason);
        }
        readmitAhead(worker);
    }

    /** A call sent ahead to a worker that is gone never started: it goes to another worker (or the queue). */
    private void readmitAhead(final WorkerHandle worker) {
        readmit(worker.container.dispatcher.takeAhead(worker));
    }

    private void readmit(final CallRecord ahead) {
        if (ahead != null && !ahead.cancelled) {
            final WorkerHandle other = ahead.dispatcher.readmit(ahead, System.nanoTime());
            if (other != null) {
                sendDispatch(other, ahead);
            }
        }
    }

    private void containerDied(final FunctionContainer c, final String reason) {
        synchronized (c) {
            if (c.dead) {
                return;
            }
            c.dead = true;
        }
        final ControlSocket control = c.control;
        if (control != null) {
            control.close();
        }
        final Process process = c.process;
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        final String why = c + " died: " + reason;
        final List<CallRecord> aheads = new ArrayList<>();
        for (final WorkerHandle w : c.workers.values()) {
            w.dead = true;
            clients.remove(w.clientId);
            final CallRecord current = c.dispatcher.removeWorker(w);
            if (current != null && inflight.remove(current.callId, current)) {
                failCall(current, Status.WORKER_DIED, why);
            }
            final CallRecord ahead = c.dispatcher.takeAhead(w);
            if (ahead != null) {
                aheads.add(ahead);
            }
            w.sender.close();
            channelKind.delete(layout.channel(channelKind, IpcLayout.clientInput(w.clientId)));
        }
        final WorkerHandle self = c.self;
        if (self != null) {
            self.dead = true;
            clients.remove(self.clientId);
            self.sender.close();
            channelKind.delete(layout.channel(channelKind, IpcLayout.clientInput(self.clientId)));
        }
        containers.remove(c);
        // Calls sent ahead never started: after every worker of the dead container is gone, they wait for the next one.
        for (final CallRecord ahead : aheads) {
            readmit(ahead);
        }
        if (closing) {
            return;
        }
        final Dispatcher d = c.dispatcher;
        if (d.container != c) {
            return;
        }
        EngineLog.warn(why);
        final boolean crashLoop = !c.becameReady;
        final int failures = crashLoop ? crashes.get(d).incrementAndGet() : 0;
        if (crashLoop) {
            final String text = "function " + d.function().name() + " cannot start a container: "
                + (c.failure != null ? c.failure : reason);
            for (final CallRecord queued : d.drainQueue()) {
                if (inflight.remove(queued.callId, queued)) {
                    failCall(queued, Status.UNAVAILABLE, text);
                }
            }
        }
        final long delayMs = failures == 0 ? 0 : Math.min(ctx.restartBackoffMaxMs(), 250L << Math.min(failures - 1, 10));
        timer.schedule(() -> {
            if (!closing && d.container == c) {
                startContainer(d);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Shutdown

    /**
     * Stops everything: gateway connections, containers (SHUTDOWN, then SIGTERM, then SIGKILL; no orphans), fails
     * calls still in flight with UNAVAILABLE, and deletes the IPC directory.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        if (gatewayLink != null) {
            gatewayLink.close();
        }
        final List<FunctionContainer> all;
        synchronized (containers) {
            all = new ArrayList<>(containers);
        }
        for (final Dispatcher d : byName.values()) {
            final FunctionContainer c = d.container;
            if (c != null && !all.contains(c)) {
                all.add(c);
            }
        }
        final Scratch s = scratch.get();
        for (final FunctionContainer c : all) {
            final ControlSocket control = c.control;
            if (control != null) {
                s.message.clearHeader().type(Message.SHUTDOWN).functionId(c.function().id()).payloadSize(0);
                try {
                    control.send(s.buffer, 0, null);
                } catch (final IOException ignored) {
                    // It is gone already.
                }
            }
        }
        for (final FunctionContainer c : all) {
            stopProcess(c.process);
        }
        for (final CallRecord call : inflight.values()) {
            if (inflight.remove(call.callId, call)) {
                failCall(call, Status.UNAVAILABLE, "engine is shutting down");
            }
        }
        timer.shutdownNow();
        LockSupport.unpark(deadlineThread);
        workerOps.shutdownNow();
        try {
            if (controlServer != null) {
                controlServer.close();
            }
        } catch (final IOException ignored) {
            // Closing anyway.
        }
        if (input != null) {
            input.close();
        }
        for (final FunctionContainer c : all) {
            final ControlSocket control = c.control;
            if (control != null) {
                control.close();
            }
        }
        synchronized (threads) {
            for (final Thread t : threads) {
                if (t != Thread.currentThread()) {
                    try {
                        t.join(2000);
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
            workerOps.awaitTermination(2, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        layout.deleteAll();
        if (shutdownHookThread != null && Thread.currentThread() != shutdownHookThread) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHookThread);
            } catch (final IllegalStateException ignored) {
                // Already shutting down.
            }
        }
        closed = true;
        EngineLog.info("engine node " + engineConfig.nodeId() + " stopped");
    }

    /** @return true once {@link #close()} has finished. */
    public boolean isClosed() {
        return closed;
    }

    private static void stopProcess(final Process process) {
        if (process == null) {
            return;
        }
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                final List<ProcessHandle> descendants = process.descendants().toList();
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(2, TimeUnit.SECONDS);
                }
                descendants.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Thread startThread(final Runnable body, final String name) {
        final Thread t = daemon(body, name);
        threads.add(t);
        t.start();
        return t;
    }

    private static Thread daemon(final Runnable body, final String name) {
        final Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
