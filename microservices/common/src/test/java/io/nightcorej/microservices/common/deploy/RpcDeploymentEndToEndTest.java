package io.nightcorej.microservices.common.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.microservices.common.transport.KeepAliveHttpClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The RPC-server deployment assembled from this module's parts by {@link EmbeddedRpcDeployment}, the way B's
 * RpcServerMain and FrontendMain assemble it: each service of the test workload on its own Thrift server with an
 * environment from settings, the front end calling the first service over RPC, which calls the second over RPC; the
 * request enters as wrk2 would send it.
 */
@Timeout(60)
class RpcDeploymentEndToEndTest {

    @Test
    void anHttpRequestCrossesFrontEndAndTwoRpcServices() throws Exception {
        try (EmbeddedRpcDeployment stack = new EmbeddedRpcDeployment.Context().workload(WorkloadRegistry.find("echo-test"))
                .settings(Map.of("storage.memcached", "embedded")).serviceThreads(4).frontendWorkers(4).start();
             KeepAliveHttpClient http = new KeepAliveHttpClient(stack.url(), 2000, 10_000, 4)) {
            assertThat(stack.settings()).containsEntry("transport", "rpc").containsEntry("workload", "echo-test")
                    .containsKeys("services.EchoService");
            final KeepAliveHttpClient.Response response = http.get("/echo?text=hello+world%21");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("relay:echo:hello world!");
            assertThat(http.get("/nope").status()).isEqualTo(404);
        }
    }
}
