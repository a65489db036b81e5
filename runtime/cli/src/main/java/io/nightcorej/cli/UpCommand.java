package io.nightcorej.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nightcore up <config>}: a whole single-host stack. The gateway and the engine run as child JVMs (so each one's
 * RSS can be measured on its own); the engine starts the function containers. When every function has its
 * {@code minWorkers} workers, prints {@code {"gateway_url":..,"stats_url":..,"pid":..,"gateway_pid":..,"engine_pid":..}}
 * as the last stdout line and stays up until SIGTERM/SIGINT, then stops the engine (which stops its containers and
 * removes its IPC directory), then the gateway, and kills whatever is left of its process tree.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start gateway and engine from one stack config; print a JSON line when ready; stop everything on SIGTERM/SIGINT.")
final class UpCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", description = "stack config JSON")
    private Path config;

    @Option(names = "--ready-timeout", defaultValue = "90", description = "seconds to wait for every function's workers (default 90)")
    private int readyTimeoutS;

    @Option(names = "--log-dir", description = "directory for the function containers' logs, one file per function "
        + "(default: <tmpdir>/nightcore-j-logs/<ipcRoot as a name>, so stacks with different IPC roots never share one)")
    private Path logDir;

    @Mixin
    private SchedulingOption scheduling = new SchedulingOption();

    private final List<Process> children = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private Path resolvedConfig;
    private Path ipcRoot;

    @Override
    public Integer call() throws Exception {
        final StackConfig stack = StackConfig.load(config);
        final String policy = scheduling.resolve();
        final String host = stack.gateway().host();
        stack.gateway().httpPort(freePort(host, stack.gateway().httpPort(), "gateway.httpPort"));
        stack.gateway().enginePort(freePort(host, stack.gateway().enginePort(), "gateway.enginePort"));
        ipcRoot = Path.of(stack.engine().ipcRoot());
        // The children read one resolved file: concrete ports, absolute classpath entries.
        resolvedConfig = Files.createTempFile("nightcore-up-", ".json");
        Files.writeString(resolvedConfig, stack.toJson());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "nightcore-up-shutdown"));

        final URI base = URI.create("http://" + host + ":" + stack.gateway().httpPort());
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        final Process gateway = start("gateway", List.of("gateway", "--config", resolvedConfig.toString(), "--sched", policy));
        waitFor("gateway to listen", () -> get(http, base.resolve("/health")) != null);
        final Path logs = (logDir != null ? logDir : NightcoreStack.defaultLogDir(stack)).toAbsolutePath();
        System.err.println("nightcore up: function container logs in " + logs);
        final Process engine = start("engine", List.of("engine", "--config", resolvedConfig.toString(), "--log-dir", logs.toString(),
            "--sched", policy));
        waitFor("every function's workers", () -> ready(http, base, stack));

        System.out.println("{\"gateway_url\":\"" + base + "\",\"stats_url\":\"" + base.resolve("/stats") + "\",\"pid\":"
            + ProcessHandle.current().pid() + ",\"gateway_pid\":" + gateway.pid() + ",\"engine_pid\":" + engine.pid()
            + ",\"config\":\"" + resolvedConfig + "\",\"log_dir\":\"" + logs + "\",\"sched\":\"" + policy + "\"}");
        System.out.flush();

        // Stay up until a signal (the hook stops everything) or until a child dies on its own.
        while (!stopping) {
            for (final Process p : children) {
                if (!p.isAlive() && !stopping) {
                    System.err.println("nightcore up: " + p.info().command().orElse("child") + " (pid " + p.pid()
                        + ") exited with " + p.exitValue() + "; stopping the stack");
                    stop();
                    return 1;
                }
            }
            stopped.await(200, TimeUnit.MILLISECONDS);
        }
        stopped.await();
        return 0;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private void waitFor(final String what, final Check check) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readyTimeoutS);
        while (System.nanoTime() < deadline) {
            for (final Process p : children) {
                if (!p.isAlive()) {
                    stop();
                    throw new IllegalStateException("child pid " + p.pid() + " exited with " + p.exitValue()
                        + " while waiting for " + what + " (its output is above)");
                }
            }
            if (check.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        stop();
        throw new IllegalStateException("timed out after " + readyTimeoutS + " s waiting for " + what);
    }

    private static String get(final HttpClient http, final URI uri) {
        try {
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (final IOException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Ready when an engine is connected and reports at least minWorkers workers for every function. */
    static boolean ready(final HttpClient http, final URI base, final StackConfig stack) throws IOException {
        final String body = get(http, base.resolve("/stats"));
        if (body == null) {
            return false;
        }
        final JsonNode stats = JSON.readTree(body);
        if (stats.path("gateway").path("engines_connected").asInt() < 1) {
            return false;
        }
        final JsonNode fns = stats.path("engines").path(0).path("functions");
        for (final FunctionConfig f : stack.functions()) {
            final JsonNode w = fns.path(f.name()).path("workers");
            if (!w.isMissingNode() && w.asInt() < f.minWorkers()) {
                return false;
            }
        }
        return true;
    }

    private Process start(final String name, final List<String> args) throws IOException {
        final ProcessBuilder pb = new ProcessBuilder(JvmCommand.nightcore(args));
        pb.redirectErrorStream(true);
        final Process p = pb.start();
        children.add(p);
        // Children log to this process's stderr, so that stdout's last line stays the JSON result.
        final Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.err.println("[" + name + "] " + line);
                }
            } catch (final IOException ignored) {
                // the child is gone
            }
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
        return p;
    }

    /** Stops the engine first (it stops its containers), then the gateway; then kills any leftover process. */
    private synchronized void stop() {
        if (stopping && stopped.getCount() == 0) {
            return;
        }
        stopping = true;
        final List<ProcessHandle> all = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(all::add);
        for (int i = children.size() - 1; i >= 0; i--) {
            final Process p = children.get(i);
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    System.err.println("nightcore up: pid " + p.pid() + " ignored SIGTERM for 15 s; killing it");
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (final ProcessHandle h : all) {
            if (h.isAlive()) {
                System.err.println("nightcore up: killing leftover pid " + h.pid() + " " + h.info().command().orElse(""));
                h.destroyForcibly();
            }
        }
        if (ipcRoot != null && Files.exists(ipcRoot)) {
            System.err.println("nightcore up: removing leftover IPC directory " + ipcRoot);
            deleteTree(ipcRoot);
        }
        if (resolvedConfig != null) {
            try {
                Files.deleteIfExists(resolvedConfig);
            } catch (final IOException ignored) {
                // a temp file
            }
        }
        stopped.countDown();
    }

    static void deleteTree(final Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (final IOException ignored) {
                    // best effort
                }
            });
        } catch (final IOException ignored) {
            // already gone
        }
    }

    /** @return {@code port} after checking it can be bound, or a free port when {@code port} is 0. */
    static int freePort(final String host, final int port, final String what) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, port));
            return s.getLocalPort();
        } catch (final IOException e) {
            throw new IOException(what + " " + host + ":" + port + " is not free (" + e.getMessage()
                + "); stop whatever holds it or choose another port in the config", e);
        }
    }
}
