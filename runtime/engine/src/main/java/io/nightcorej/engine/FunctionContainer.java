package io.nightcorej.engine;

import io.nightcorej.ipc.ControlSocket;
import io.nightcorej.protocol.config.FunctionConfig;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One generation of a function's container: the launcher process, its control connection, its own channel for the
 * results of asynchronous nested calls, and its workers. A replacement after a crash is a new instance.
 */
final class FunctionContainer {

    private final FunctionConfig function;
    final Dispatcher dispatcher;
    final int generation;
    final long startedNanos;
    final Map<Integer, WorkerHandle> workers = new ConcurrentHashMap<>();
    volatile Process process;
    volatile ControlSocket control;
    /** The container's own channel (async results); null until the handshake. */
    volatile WorkerHandle self;
    volatile boolean dead;
    volatile String failure;
    /** Whether its workers keep a call sent ahead (LAUNCHER_HANDSHAKE {@code "dispatchAhead":true}). */
    volatile boolean dispatchAhead;

    /** Set once all of minWorkers have reported ready (a crash after that is not a crash loop). */
    volatile boolean becameReady;

    FunctionContainer(final Dispatcher dispatcher, final int generation, final long startedNanos) {
        this.dispatcher = dispatcher;
        this.function = dispatcher.function();
        this.generation = generation;
        this.startedNanos = startedNanos;
    }

    FunctionConfig function() {
        return function;
    }

    long pid() {
        final Process p = process;
        return p == null ? -1 : p.pid();
    }

    @Override
    public String toString() {
        return "container of " + function.name() + " (generation " + generation + ", pid " + pid() + ")";
    }
}
