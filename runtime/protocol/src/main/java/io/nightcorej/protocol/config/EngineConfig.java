package io.nightcorej.protocol.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The {@code engine} section of the stack config. Beyond the keys in the team contract it accepts tuning keys, all
 * optional: {@code spinMicros}, {@code workerSpinMicros}, {@code replySpinMicros}, {@code idleWorkerTimeoutMs},
 * {@code growIntervalMs}, {@code maxPayloadBytes},
 * {@code concurrencyLimit}, {@code directReply}, {@code dispatchAheadMaxMicros}.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE, getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class EngineConfig {

    /** Channel kind: named pipes, Nightcore's choice. */
    public static final String CHANNEL_FIFO = "fifo";
    /** Channel kind: shared-memory rings with a bounded spin, then a FIFO wake-up. */
    public static final String CHANNEL_SHM = "shm";

    @JsonProperty private String ipcRoot = "/dev/shm/nightcore-j";
    @JsonProperty private int nodeId = 0;
    @JsonProperty private String channel = CHANNEL_SHM;
    @JsonProperty private int gatewayConnections = 2;
    @JsonProperty private int ioThreads = 1;
    @JsonProperty private int spinMicros = 20;
    @JsonProperty private int workerSpinMicros = 10;
    @JsonProperty private int replySpinMicros = 30;
    @JsonProperty private long idleWorkerTimeoutMs = 30_000;
    @JsonProperty private long growIntervalMs = 5;
    @JsonProperty private int maxPayloadBytes = 16 * 1024 * 1024;
    @JsonProperty private boolean concurrencyLimit = true;
    @JsonProperty private boolean directReply = true;
    @JsonProperty private int dispatchAheadMaxMicros = 100;

    public String ipcRoot() {
        return ipcRoot;
    }

    public EngineConfig ipcRoot(final String ipcRoot) {
        this.ipcRoot = ipcRoot;
        return this;
    }

    public int nodeId() {
        return nodeId;
    }

    public EngineConfig nodeId(final int nodeId) {
        this.nodeId = nodeId;
        return this;
    }

    /** @return "fifo" or "shm". */
    public String channel() {
        return channel;
    }

    public EngineConfig channel(final String channel) {
        this.channel = channel;
        return this;
    }

    public int gatewayConnections() {
        return gatewayConnections;
    }

    public EngineConfig gatewayConnections(final int gatewayConnections) {
        this.gatewayConnections = gatewayConnections;
        return this;
    }

    public int ioThreads() {
        return ioThreads;
    }

    public EngineConfig ioThreads(final int ioThreads) {
        this.ioThreads = ioThreads;
        return this;
    }

    /**
     * @return how long the engine's input spins while nested calls flow (and a container's channel for asynchronous
     *     results), when the shm channel's adaptive spin finds it worthwhile, before it blocks on its wake-up FIFO.
     */
    public int spinMicros() {
        return spinMicros;
    }

    public EngineConfig spinMicros(final int spinMicros) {
        this.spinMicros = spinMicros;
        return this;
    }

    /** @return how long an idle worker's shm channel spins while it waits for a call (default 0: it sleeps at once). */
    public int workerSpinMicros() {
        return workerSpinMicros;
    }

    public EngineConfig workerSpinMicros(final int workerSpinMicros) {
        this.workerSpinMicros = workerSpinMicros;
        return this;
    }

    /**
     * @return the longest average processing time (µs) of a function whose calls may be sent ahead: when all of its
     *     workers are busy and it cannot add workers, a new call goes to a busy worker to run right after its current
     *     one instead of waiting in the engine's queue (0: never). A call that short would otherwise cost its worker a
     *     sleep and a wake-up per call (see runtime/README.md, "Dispatch ahead").
     */
    public int dispatchAheadMaxMicros() {
        return dispatchAheadMaxMicros;
    }

    public EngineConfig dispatchAheadMaxMicros(final int dispatchAheadMaxMicros) {
        this.dispatchAheadMaxMicros = dispatchAheadMaxMicros;
        return this;
    }

    /** @return how long a worker blocked in a synchronous internal call spins on its shm channel for the answer. */
    public int replySpinMicros() {
        return replySpinMicros;
    }

    public EngineConfig replySpinMicros(final int replySpinMicros) {
        this.replySpinMicros = replySpinMicros;
        return this;
    }

    /** @return how long a worker above minWorkers may stay idle before it is stopped. */
    public long idleWorkerTimeoutMs() {
        return idleWorkerTimeoutMs;
    }

    public EngineConfig idleWorkerTimeoutMs(final long idleWorkerTimeoutMs) {
        this.idleWorkerTimeoutMs = idleWorkerTimeoutMs;
        return this;
    }

    /** @return the least time between two worker requests of one function. */
    public long growIntervalMs() {
        return growIntervalMs;
    }

    public EngineConfig growIntervalMs(final long growIntervalMs) {
        this.growIntervalMs = growIntervalMs;
        return this;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    public EngineConfig maxPayloadBytes(final int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
        return this;
    }

    /** @return whether the Little's-law limit applies (false = dispatch whenever a worker is idle). */
    public boolean concurrencyLimit() {
        return concurrencyLimit;
    }

    public EngineConfig concurrencyLimit(final boolean concurrencyLimit) {
        this.concurrencyLimit = concurrencyLimit;
        return this;
    }

    /**
     * @return whether a synchronous internal call's result goes from the callee's worker straight to the caller's channel
     *     (3 hops on the critical path instead of 4; the engine still gets a finish notice). False = through the engine.
     */
    public boolean directReply() {
        return directReply;
    }

    public EngineConfig directReply(final boolean directReply) {
        this.directReply = directReply;
        return this;
    }

    void validate(final List<String> errors) {
        if (ipcRoot == null || ipcRoot.isBlank()) {
            errors.add("engine.ipcRoot: must not be empty");
        }
        if (nodeId < 0 || nodeId > 65535) {
            errors.add("engine.nodeId: " + nodeId + " is outside 0..65535");
        }
        if (!CHANNEL_FIFO.equals(channel) && !CHANNEL_SHM.equals(channel)) {
            errors.add("engine.channel: \"" + channel + "\" is not one of \"fifo\", \"shm\"");
        }
        StackConfig.positive(errors, "engine.gatewayConnections", gatewayConnections);
        StackConfig.positive(errors, "engine.ioThreads", ioThreads);
        StackConfig.atLeast(errors, "engine.spinMicros", spinMicros, 0);
        StackConfig.atLeast(errors, "engine.workerSpinMicros", workerSpinMicros, 0);
        StackConfig.atLeast(errors, "engine.replySpinMicros", replySpinMicros, 0);
        StackConfig.atLeast(errors, "engine.dispatchAheadMaxMicros", dispatchAheadMaxMicros, 0);
        StackConfig.positive(errors, "engine.idleWorkerTimeoutMs", idleWorkerTimeoutMs);
        StackConfig.atLeast(errors, "engine.growIntervalMs", growIntervalMs, 0);
        StackConfig.positive(errors, "engine.maxPayloadBytes", maxPayloadBytes);
    }
}
