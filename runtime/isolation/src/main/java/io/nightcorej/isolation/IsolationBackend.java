package io.nightcorej.isolation;

import java.io.IOException;

/**
 * One way to run a function container: a plain child process, or a sandbox with its own pid, ipc, uts and mount
 * namespaces (bubblewrap or crun).
 *
 * <p>Every backend honours the same {@link ContainerSpec}: the same command, environment, working directory and the same
 * binds at the same paths, so a caller never needs to know which backend it got. The difference is only what the
 * program inside can see and touch.
 *
 * <p>The returned {@link Process} owns the whole container. {@link Process#destroy()} sends SIGTERM to every process
 * of the container (deepest first, so a JVM inside can run its shutdown hooks), {@link Process#destroyForcibly()} sends
 * SIGKILL; either way nothing survives, and per-container files (an OCI bundle) are removed once the container has
 * exited. If the JVM that started the container dies, the container dies with it (parent-death signal), so a crashed
 * engine does not leave orphans behind.
 */
public interface IsolationBackend {

    /** @return the mode name: {@code process}, {@code bwrap} or {@code crun}. */
    String name();

    /** @return whether {@link #start} can work on this machine (binary present and namespaces can be created). */
    boolean isAvailable();

    /** @return why {@link #isAvailable()} is false, or {@code null} when it is available. */
    String unavailableReason();

    /** @return whether the program runs in its own pid, ipc, uts and mount namespaces. */
    boolean isSandboxed();

    /**
     * Starts a container.
     *
     * @param spec what to run and what it may see.
     * @return the container; destroying it ends everything inside.
     * @throws IOException if the container could not be started (the message names the backend and the cause).
     */
    Process start(ContainerSpec spec) throws IOException;
}
