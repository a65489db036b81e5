package io.nightcorej.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.nightcorej.engine.Engine;
import io.nightcorej.gateway.GatewayServer;
import io.nightcorej.protocol.config.StackConfig;

/**
 * A whole single-host stack in the calling JVM, for tests and benchmarks: the gateway and the engine run in-process,
 * the function containers run as real processes started by the engine, exactly as under {@code nightcore up}.
 *
 * <pre>{@code
 * StackConfig config = new StackConfig();
 * config.gateway().httpPort(0).enginePort(0);                       // any free loopback ports
 * config.engine().ipcRoot("/dev/shm/my-test-" + ProcessHandle.current().pid());
 * config.addFunction(new FunctionConfig().name("Bar").id(2).handler("io.nightcorej.examples.Bar")
 *     .classpath(List.of("runtime/examples/target/nightcore-examples.jar")));
 * try (NightcoreStack stack = NightcoreStack.launch(config.conclude())) {
 *     stack.awaitWorkers(Duration.ofSeconds(30));
 *     URI bar = stack.gatewayUri().resolve("/function/Bar");        // POST to it
 * }                                                                 // containers stopped, IPC directory removed
 * }</pre>
 */
public final class NightcoreStack implements AutoCloseable {

    private final StackConfig config;
    private GatewayServer gateway;
    private final Engine engine;

    private NightcoreStack(final StackConfig config) {
        this.config = config;
        this.gateway = GatewayServer.launch(GatewayServer.Context.fromStackConfig(config));
        // Port 0 means "any": from here on the config names the ports actually bound, so the engine finds the gateway
        // and a restarted gateway comes back on the same ones.
        config.gateway().httpPort(gateway.httpPort()).enginePort(gateway.enginePort());
        try {
            // Container logs per stack (named after its IPC directory), so parallel stacks do not share Foo.log.
            this.engine = Engine.launch(Engine.Context.fromConfig(config).logDir(logDir()));
        } catch (final IOException | RuntimeException ex) {
            gateway.close();
            throw new IllegalStateException("engine did not start: " + ex.getMessage(), ex);
        }
    }

    /**
     * Starts a stack.
     *
     * @param config a concluded stack config; its gateway ports are updated to the ones bound.
     * @return the running stack (its workers may still be starting; see {@link #awaitWorkers(Duration)}).
     */
    public static NightcoreStack launch(final StackConfig config) {
        return new NightcoreStack(config);
    }

    /** @return e.g. {@code http://127.0.0.1:34567}; POST to {@code /function/<name>} under it. */
    public URI gatewayUri() {
        return URI.create("http://" + config.gateway().host() + ":" + config.gateway().httpPort());
    }

    /** @return the config, with the bound ports. */
    public StackConfig config() {
        return config;
    }

    /** @return the in-process gateway (null while stopped by {@link #stopGateway()}). */
    public GatewayServer gateway() {
        return gateway;
    }

    /** @return where the function containers' logs go (one file per function), see {@link #defaultLogDir(StackConfig)}. */
    public Path logDir() {
        return defaultLogDir(config);
    }

    /**
     * The default directory for a stack's container logs: {@code <java.io.tmpdir>/nightcore-j-logs/<ipcRoot as a name>},
     * e.g. {@code /tmp/nightcore-j-logs/dev_shm_nightcore-j} for ipcRoot {@code /dev/shm/nightcore-j}. Two stacks that run
     * at the same time need different IPC roots anyway, so they never share a log file; the same stack run again
     * appends to the same files.
     *
     * @param config the stack config.
     * @return the directory (not created here).
     */
    public static Path defaultLogDir(final StackConfig config) {
        final String ipc = Path.of(config.engine().ipcRoot()).toAbsolutePath().normalize().toString();
        final String name = ipc.replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "nightcore-j-logs", name.isEmpty() ? "root" : name);
    }

    /** @return the in-process engine. */
    public Engine engine() {
        return engine;
    }

    /**
     * Waits until the engine is connected and reports {@code minWorkers} workers for every function.
     *
     * @param timeout the longest wait.
     * @throws IllegalStateException on timeout.
     */
    public void awaitWorkers(final Duration timeout) throws Exception {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (UpCommand.ready(http, gatewayUri(), config)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("stack not ready after " + timeout + ": engine not connected or workers missing");
    }

    /** Stops the gateway only (engines lose their connections and keep trying to reconnect). */
    public void stopGateway() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** Starts the gateway again on the same ports. */
    public void startGateway() {
        if (gateway == null) {
            gateway = GatewayServer.launch(GatewayServer.Context.fromStackConfig(config));
        }
    }

    /**
     * Waits until at least one engine is connected to the gateway.
     *
     * @param timeout the longest wait.
     * @return whether one connected in time.
     */
    public boolean awaitEngineConnected(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            final GatewayServer g = gateway;
            if (g != null && g.enginesConnected() > 0) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return false;
    }

    /** Stops the engine (its containers and IPC directory go with it), then the gateway. */
    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            stopGateway();
        }
    }
}
