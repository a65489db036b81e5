package io.nightcorej.isolation;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A started container: the host-side root process (the program itself, or {@code bwrap}/{@code crun} watching it) plus
 * everything below it.
 *
 * <p>Why a wrapper: {@link Process#destroy()} on the root alone would leave the program running whenever the root is a
 * sandbox monitor or a shell. Here {@link #destroy()} sends SIGTERM to every process of the tree, deepest first (so the
 * program can run its shutdown hooks), and escalates to SIGKILL after {@link #GRACE_MS} if anything is still alive;
 * {@link #destroyForcibly()} sends SIGKILL to the whole tree at once. A per-container cleanup (e.g. deleting an OCI
 * bundle) runs exactly once, after the root has exited.
 */
final class ContainerProcess extends Process {
    /** How long {@link #destroy()} waits for a graceful exit before it sends SIGKILL. */
    static final long GRACE_MS = 3_000;

    private static final ScheduledExecutorService REAPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "isolation-reaper");
        t.setDaemon(true);
        return t;
    });

    private final Process root;
    private final boolean rootIsMonitor;
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final Runnable cleanup;
    private final CompletableFuture<Process> exit;

    /**
     * @param root          the process the backend started.
     * @param rootIsMonitor true when the root only supervises the program (bwrap, crun): a graceful stop then signals
     *                      the program and lets the monitor exit on its own.
     * @param cleanup       run once after the root exits; must not throw.
     */
    ContainerProcess(Process root, boolean rootIsMonitor, Runnable cleanup) {
        this.root = root;
        this.rootIsMonitor = rootIsMonitor;
        this.cleanup = cleanup;
        this.exit = root.onExit().handle((p, e) -> {
            runCleanup();
            return (Process) this;
        });
    }

    private void runCleanup() {
        if (cleaned.compareAndSet(false, true)) {
            try {
                cleanup.run();
            } catch (RuntimeException e) {
                System.getLogger(ContainerProcess.class.getName())
                    .log(System.Logger.Level.WARNING, "container cleanup failed: " + e);
            }
        }
    }

    /** Deepest processes first, so children die before the parents that would otherwise react to their death. */
    private List<ProcessHandle> treeDeepestFirst() {
        List<ProcessHandle> all = new ArrayList<>();
        try (Stream<ProcessHandle> s = root.descendants()) {
            s.forEach(all::add);
        }
        all.sort(Comparator.comparingInt(ContainerProcess::depth).reversed());
        return all;
    }

    private static int depth(ProcessHandle h) {
        int d = 0;
        for (var p = h.parent(); p.isPresent() && d < 64; p = p.get().parent()) {
            d++;
        }
        return d;
    }

    @Override
    public void destroy() {
        if (!root.isAlive()) return;
        List<ProcessHandle> tree = treeDeepestFirst();
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        if (!rootIsMonitor || tree.isEmpty()) root.destroy();
        REAPER.schedule(() -> {
            if (root.isAlive() || treeDeepestFirst().stream().anyMatch(ProcessHandle::isAlive)) destroyForcibly();
        }, GRACE_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public Process destroyForcibly() {
        for (ProcessHandle h : treeDeepestFirst()) {
            h.destroyForcibly();
        }
        root.destroyForcibly();
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    @Override
    public OutputStream getOutputStream() {
        return root.getOutputStream();
    }

    @Override
    public InputStream getInputStream() {
        return root.getInputStream();
    }

    @Override
    public InputStream getErrorStream() {
        return root.getErrorStream();
    }

    @Override
    public int waitFor() throws InterruptedException {
        int code = root.waitFor();
        runCleanup();
        return code;
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        boolean exited = root.waitFor(timeout, unit);
        if (exited) runCleanup();
        return exited;
    }

    @Override
    public int exitValue() {
        return root.exitValue();
    }

    @Override
    public boolean isAlive() {
        return root.isAlive();
    }

    @Override
    public long pid() {
        return root.pid();
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit;
    }

    @Override
    public ProcessHandle toHandle() {
        return root.toHandle();
    }

    @Override
    public Stream<ProcessHandle> children() {
        return root.children();
    }

    @Override
    public Stream<ProcessHandle> descendants() {
        return root.descendants();
    }

    @Override
    public String toString() {
        return "ContainerProcess[pid=" + root.pid() + ", alive=" + root.isAlive() + ']';
    }
}
