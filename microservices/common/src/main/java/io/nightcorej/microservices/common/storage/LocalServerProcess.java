package io.nightcorej.microservices.common.storage;

import io.nightcorej.microservices.common.net.LocalPorts;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real storage server (Debian's {@code redis-server} or {@code memcached}) run as a child process on a loopback
 * port: started, waited for until its port accepts connections (bounded), and stopped with SIGTERM then SIGKILL.
 *
 * <pre><code>
 * try (LocalServerProcess redis = LocalServerProcess.redis(LocalServerProcess.freePort())) {
 *     SortedSetStore store = new JedisSortedSetStore(redis.address(), 1000);
 * }
 * </code></pre>
 */
public final class LocalServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 10_000;

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private LocalServerProcess(final String name, final int port, final Process process, final Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * @param executable a program name.
     * @return its path, searched on {@code PATH} and in {@code /usr/bin}, {@code /usr/sbin}, {@code /usr/local/bin}.
     */
    public static Optional<Path> findExecutable(final String executable) {
        final List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
        for (final String dir : dirs) {
            if (!dir.isEmpty()) {
                final Path p = Path.of(dir, executable);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** @return a port that was free a moment ago on 127.0.0.1. */
    public static int freePort() {
        // Chosen now, bound later by another process or thread: below the ephemeral range (see LocalPorts).
        try {
            return LocalPorts.outsideEphemeralRange();
        } catch (final IllegalStateException e) {
            throw new StorageException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    /**
     * Starts {@code redis-server} in-memory only (no RDB snapshots, no AOF), bound to 127.0.0.1.
     *
     * @param port the port.
     * @return the running server.
     * @throws StorageException when the binary is missing or the server does not come up.
     */
    public static LocalServerProcess redis(final int port) {
        final Path exe = findExecutable("redis-server")
                .orElseThrow(() -> new StorageException("redis-server is not installed (Debian: apt-get install redis-server)"));
        return start("redis-server", port, List.of(exe.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                "--loglevel", "warning"));
    }

    /**
     * Starts {@code memcached} on TCP only, bound to 127.0.0.1, with its default 64 MB.
     *
     * @param port the port.
     * @return the running server.
     * @throws StorageException when the binary is missing or the server does not come up.
     */
    public static LocalServerProcess memcached(final int port) {
        final Path exe = findExecutable("memcached")
                .orElseThrow(() -> new StorageException("memcached is not installed (Debian: apt-get install memcached)"));
        final List<String> command = new ArrayList<>(List.of(exe.toString(), "-p", Integer.toString(port), "-U", "0",
                "-l", "127.0.0.1"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "root")); // memcached refuses to run as root without naming the user
        }
        return start("memcached", port, command);
    }

    private static LocalServerProcess start(final String name, final int port, final List<String> command) {
        final Path log;
        final Process process;
        try {
            log = Files.createTempFile(name + "-" + port + "-", ".log");
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (final IOException e) {
            throw new StorageException("cannot start " + name + ": " + e.getMessage(), e);
        }
        final LocalServerProcess server = new LocalServerProcess(name, port, process, log);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StorageException(name + " exited with status " + process.exitValue() + " at start: "
                        + server.logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return server;
            } catch (final IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    server.close();
                    throw new StorageException("interrupted while starting " + name, e);
                }
            }
        }
        server.close();
        throw new StorageException(name + " did not accept connections on 127.0.0.1:" + port + " within "
                + START_TIMEOUT_MS + " ms: " + server.logTail());
    }

    private String logTail() {
        try {
            final String text = Files.readString(log);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (final IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** @return {@code 127.0.0.1:port}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** @return the port. */
    public int port() {
        return port;
    }

    /** @return the child's process id. */
    public long pid() {
        return process.pid();
    }

    /** @return a future completed when the child exits. */
    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** @return true while the child runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server: SIGTERM, up to 3 s, then SIGKILL. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(3, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            } catch (final InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (final IOException ignored) {
            // a leftover temp log is harmless
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + ", 127.0.0.1:" + port + "]";
    }
}
