package io.nightcorej.isolation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts every container from one long-lived thread.
 *
 * <p>Why: the parent-death signal that kills a container when its JVM dies ({@code bwrap --die-with-parent},
 * {@code setpriv --pdeathsig}) is tied by Linux to the <em>thread</em> that forked the child, not to the process. A
 * container started from a pool thread that later retires would be killed at that moment. Forking from a thread that
 * lives as long as the JVM keeps the signal meaning "the JVM died".
 */
final class Spawner {
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "isolation-spawner");
        t.setDaemon(true);
        return t;
    });

    private Spawner() {
    }

    static Process start(ProcessBuilder pb) throws IOException {
        Future<Process> f = THREAD.submit(() -> {
            try {
                return pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) throw u.getCause();
            throw new IOException("could not start " + pb.command().get(0) + ": " + c, c);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IOException("starting " + pb.command().get(0) + " took more than 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + pb.command().get(0), e);
        }
    }
}
