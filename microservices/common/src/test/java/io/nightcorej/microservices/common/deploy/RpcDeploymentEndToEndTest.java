package io.nightcorej.microservices.common.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.microservices.common.http.FrontendServer;
import io.nightcorej.microservices.common.storage.LocalServerProcess;
import io.nightcorej.microservices.common.transport.KeepAliveHttpClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RPC-server deployment assembled from this module's parts, the way B's RpcServerMain and FrontendMain assemble
 * it: each service of the test workload on its own Thrift server with an environment from settings, the front end
 * calling the first service over RPC, which calls the second over RPC; the request enters as wrk2 would send it.
 */
@Timeout(60)
class RpcDeploymentEndToEndTest {

    @Test
    void anHttpRequestCrossesFrontEndAndTwoRpcServices() throws Exception {
        final Workload workload = WorkloadRegistry.find("echo-test");
        final Map<String, String> settings = new HashMap<>();
        settings.put("workload", "echo-test");
        settings.put("transport", "rpc");
        settings.put("storage.memcached", "embedded");
        final Map<String, Integer> ports = new HashMap<>();
        for (final String service : workload.services()) {
            ports.put(service, LocalServerProcess.freePort());
            settings.put("services." + service, "127.0.0.1:" + ports.get(service));
        }
        final List<TServer> servers = new ArrayList<>();
        final List<DefaultServiceEnvironment> envs = new ArrayList<>();
        try {
            for (final String service : workload.services()) {
                final DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(settings);
                envs.add(env);
                final TServer server = new TThreadPoolServer(new TThreadPoolServer.Args(
                        new TServerSocket(new InetSocketAddress("127.0.0.1", ports.get(service))))
                        .processor(workload.processor(service, env))
                        .transportFactory(new TFramedTransport.Factory()).minWorkerThreads(1).maxWorkerThreads(4));
                servers.add(server);
                final Thread t = new Thread(server::serve, service);
                t.setDaemon(true);
                t.start();
            }
            final DefaultServiceEnvironment frontendEnv = DefaultServiceEnvironment.fromSettings(settings);
            envs.add(frontendEnv);
            try (FrontendServer frontend = new FrontendServer.Context().endpoints(workload.frontend(frontendEnv)).port(0)
                    .workers(4).start();
                 KeepAliveHttpClient http = new KeepAliveHttpClient(frontend.url(), 2000, 10_000, 4)) {
                final KeepAliveHttpClient.Response response = http.get("/echo?text=hello+world%21");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("relay:echo:hello world!");
                assertThat(http.get("/nope").status()).isEqualTo(404);
            }
        } finally {
            servers.forEach(TServer::stop);
            envs.forEach(DefaultServiceEnvironment::close);
        }
    }
}
