package io.nightcorej.microservices.common.deploy;

import io.nightcorej.microservices.common.http.FrontendServer;
import io.nightcorej.microservices.common.storage.LocalServerProcess;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * A workload's RPC-server deployment in one JVM, over real loopback sockets: the embedded launch mode of that
 * deployment, for tests. Each service is its processor on its own {@link TThreadPoolServer} (framed binary Thrift,
 * 127.0.0.1, a port from {@link LocalServerProcess#freePort()}) with its own environment, built by
 * {@link DefaultServiceEnvironment} from the settings a real deployment passes ({@code transport=rpc},
 * {@code services.<Name>}, {@code service}, and whatever {@code storage.*} the caller gave); the front end is a
 * {@link FrontendServer} over {@link Workload#frontend} with the same settings. The separate-process deployment
 * (baselines' {@code RpcServerMain} + {@link FrontendMain}) wires the same parts the same way.
 *
 * <pre><code>
 * try (EmbeddedRpcDeployment stack = new EmbeddedRpcDeployment.Context().workload(workload)
 *         .settings(Map.of("storage.mongo", uri, ...)).start()) {
 *     http.get(stack.url() + "/hotels?...");
 * }
 * </code></pre>
 */
public final class EmbeddedRpcDeployment implements AutoCloseable {

    /** What to deploy and how big; {@link #start()} concludes it. */
    public static final class Context {
        private Workload workload;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private int serviceThreads = 64;
        private int frontendWorkers = 16;
        private long startTimeoutMs = 5_000;

        /** @param workload the workload whose {@link Workload#services()} and front end are started. */
        public Context workload(final Workload workload) {
            this.workload = workload;
            return this;
        }

        /** @param settings settings every process gets (storage, timeouts, workload keys); added to earlier ones. */
        public Context settings(final Map<String, String> settings) {
            this.settings.putAll(settings);
            return this;
        }

        /** @param serviceThreads the most worker threads of each service's Thrift server (default 64). */
        public Context serviceThreads(final int serviceThreads) {
            this.serviceThreads = serviceThreads;
            return this;
        }

        /** @param frontendWorkers the front end's endpoint threads (default 16). */
        public Context frontendWorkers(final int frontendWorkers) {
            this.frontendWorkers = frontendWorkers;
            return this;
        }

        /** @param startTimeoutMs how long to wait for every service to serve (default 5000). */
        public Context startTimeoutMs(final long startTimeoutMs) {
            this.startTimeoutMs = startTimeoutMs;
            return this;
        }

        /** @return this, checked. */
        public Context conclude() {
            if (workload == null) {
                throw new IllegalStateException("no workload");
            }
            if (serviceThreads < 2 || frontendWorkers < 1 || startTimeoutMs < 1) {
                throw new IllegalArgumentException("serviceThreads must be >= 2, frontendWorkers and startTimeoutMs > 0");
            }
            settings.putIfAbsent(Settings.WORKLOAD, workload.name());
            settings.put(Settings.TRANSPORT, "rpc");
            return this;
        }

        /**
         * @return the running deployment, every service serving.
         * @throws Exception when a service, its environment or the front end cannot start (what did start is stopped).
         */
        public EmbeddedRpcDeployment start() throws Exception {
            return new EmbeddedRpcDeployment(conclude());
        }
    }

    private final List<AutoCloseable> environments = new ArrayList<>();
    private final List<TServer> servers = new ArrayList<>();
    private final Map<String, String> settings;
    private FrontendServer frontend;

    private EmbeddedRpcDeployment(final Context ctx) throws Exception {
        final Map<String, String> all = new LinkedHashMap<>(ctx.settings);
        final Map<String, Integer> ports = new LinkedHashMap<>();
        for (final String service : ctx.workload.services()) {
            ports.put(service, LocalServerProcess.freePort());
            all.put("services." + service, "127.0.0.1:" + ports.get(service));
        }
        settings = Collections.unmodifiableMap(all);
        try {
            for (final String service : ctx.workload.services()) {
                final Map<String, String> own = new LinkedHashMap<>(settings);
                own.put(Settings.SERVICE, service);
                servers.add(serve(ctx, service, ports.get(service), track(DefaultServiceEnvironment.fromSettings(own))));
            }
            final DefaultServiceEnvironment frontendEnv = track(DefaultServiceEnvironment.fromSettings(settings));
            frontend = new FrontendServer.Context().endpoints(ctx.workload.frontend(frontendEnv)).bind("127.0.0.1")
                    .port(0).workers(ctx.frontendWorkers).start();
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ctx.startTimeoutMs);
            for (final TServer server : servers) {
                while (!server.isServing()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("a service of " + ctx.workload.name() + " did not serve within "
                                + ctx.startTimeoutMs + " ms");
                    }
                    Thread.sleep(5);
                }
            }
        } catch (final Exception e) {
            close();
            throw e;
        }
    }

    private static TServer serve(final Context ctx, final String service, final int port,
            final DefaultServiceEnvironment env) throws Exception {
        final TServer server;
        try {
            server = new TThreadPoolServer(new TThreadPoolServer.Args(
                    new TServerSocket(new InetSocketAddress("127.0.0.1", port)))
                    .processor(ctx.workload.processor(service, env))
                    .transportFactory(new TFramedTransport.Factory())
                    .protocolFactory(new TBinaryProtocol.Factory())
                    .minWorkerThreads(2).maxWorkerThreads(ctx.serviceThreads));
        } catch (final TTransportException e) {
            throw new IllegalStateException(service + ": cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        final Thread t = new Thread(server::serve, "rpc-" + service);
        t.setDaemon(true);
        t.start();
        return server;
    }

    private DefaultServiceEnvironment track(final DefaultServiceEnvironment env) {
        environments.add(env);
        return env;
    }

    /** @return the front end's base URL, {@code http://127.0.0.1:port}. */
    public String url() {
        return frontend.url();
    }

    /** @return the settings every process got ({@code transport=rpc} and every {@code services.<Name>} included). */
    public Map<String, String> settings() {
        return settings;
    }

    /** Stops the front end, every service and their environments (their store and service clients). */
    @Override
    public void close() {
        if (frontend != null) {
            frontend.close();
        }
        servers.forEach(TServer::stop);
        for (final AutoCloseable env : environments) {
            try {
                env.close();
            } catch (final Exception ignored) {
                // best effort: the rest still have to be closed
            }
        }
    }
}
