package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.deploy.DefaultServiceEnvironment;
import io.nightcorej.microservices.common.http.FrontendServer;
import io.nightcorej.microservices.common.storage.LocalServerProcess;
import io.nightcorej.socialnetwork.SocialNetworkWorkload;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Test fixture: the RPC deployment in one JVM. Each of the eleven services is its generated processor on its own
 * {@link TThreadPoolServer} (framed, binary, 127.0.0.1, free port), with its own environment built by
 * {@link DefaultServiceEnvironment} from the same settings a real deployment passes ({@code transport=rpc},
 * {@code services.*}, {@code storage.*}); the front end is M1's {@link FrontendServer} over the workload's endpoints.
 */
public final class RpcDeployment implements AutoCloseable {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<TServer> servers = new ArrayList<>();
    private final FrontendServer frontend;

    /** Starts everything against the storage. */
    public RpcDeployment(final Storage storage) throws Exception {
        final SocialNetworkWorkload workload = new SocialNetworkWorkload();
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("workload", "socialnetwork");
        settings.put("transport", "rpc");
        settings.put("storage.mongo", storage.mongoUri);
        settings.put("storage.redis", storage.redisAddress());
        settings.put("storage.memcached", storage.memcachedAddress());
        settings.put("storage.timeout.ms", Long.toString(Storage.TIMEOUT_MS));
        settings.put("rpc.timeout.ms", "5000");
        settings.put("socialnetwork.call.timeout.ms", "6000");
        final Map<String, Integer> ports = new LinkedHashMap<>();
        for (final String service : workload.services()) {
            ports.put(service, LocalServerProcess.freePort());
            settings.put("services." + service, "127.0.0.1:" + ports.get(service));
        }
        try {
            for (final String service : workload.services()) {
                final Map<String, String> own = new LinkedHashMap<>(settings);
                own.put("service", service);
                final DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(own);
                resources.add(env);
                final TServerSocket socket = new TServerSocket(new InetSocketAddress("127.0.0.1", ports.get(service)));
                final TServer server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                        .processor(workload.processor(service, env))
                        .transportFactory(new TFramedTransport.Factory())
                        .protocolFactory(new TBinaryProtocol.Factory())
                        .minWorkerThreads(2).maxWorkerThreads(64));
                final Thread t = new Thread(server::serve, "rpc-" + service);
                t.setDaemon(true);
                t.start();
                servers.add(server);
            }
            final DefaultServiceEnvironment frontendEnv = DefaultServiceEnvironment.fromSettings(settings);
            resources.add(frontendEnv);
            frontend = new FrontendServer.Context().endpoints(workload.frontend(frontendEnv)).bind("127.0.0.1").port(0)
                    .workers(16).start();
        } catch (final Exception e) {
            close();
            throw e;
        }
        final long deadline = System.nanoTime() + 5_000_000_000L;
        for (final TServer server : servers) {
            while (!server.isServing() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
    }

    /** @return the front end's base URL. */
    public String url() {
        return frontend.url();
    }

    @Override
    public void close() {
        if (frontend != null) {
            frontend.close();
        }
        for (final TServer server : servers) {
            server.stop();
        }
        for (final AutoCloseable r : resources) {
            try {
                r.close();
            } catch (final Exception ignored) {
                // best effort in tests
            }
        }
    }
}
