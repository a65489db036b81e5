package io.nightcorej.microservices.common.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.microservices.common.testidl.EchoService;
import io.nightcorej.microservices.common.transport.ClientLease;
import io.nightcorej.microservices.common.transport.FunctionServiceClients;
import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

/**
 * ServiceFunction as the runtimes host it: constructed by name, init(settings), calls with a bound FunctionContext whose
 * internal calls are routed to the other functions, the way a Nightcore engine routes them.
 */
class ServiceFunctionTest {

    private static Map<String, String> settings(final String service) {
        return Map.of("workload", "echo-test", "service", service, "storage.memcached", "embedded");
    }

    @Test
    void servicesCallEachOtherThroughFunctionCallsAndReachTheirStorage() throws Exception {
        final InProcessServiceClients runtime = new InProcessServiceClients();
        final Map<String, ServiceFunction> functions = new HashMap<>();
        for (final String service : new String[] {"EchoService", "RelayService"}) {
            final ServiceFunction f = new ServiceFunction();
            f.init(settings(service));
            assertThat(f.environment().settings()).containsEntry("transport", "function");
            functions.put(service, f);
            runtime.register(service, f);
        }
        try (ClientLease<EchoService.Client> relay = runtime.lease("RelayService", new EchoService.Client.Factory())) {
            assertThat(relay.client().Echo("hello world")).isEqualTo("relay:echo:hello world");
        }
        assertThat(runtime.calls()).containsExactly(new InProcessServiceClients.Call("frontend", "RelayService"),
                new InProcessServiceClients.Call("RelayService", "EchoService"));
        assertThat(functions.get("EchoService").environment().cache().get("last"))
                .isEqualTo("hello world".getBytes(StandardCharsets.UTF_8));
        functions.values().forEach(f -> f.environment().close());
    }

    @Test
    void initNamesWhatIsWrong() {
        assertThatThrownBy(() -> new ServiceFunction().init(Map.of("workload", "nope", "service", "X")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown workload 'nope'")
                .hasMessageContaining("echo-test");
        assertThatThrownBy(() -> new ServiceFunction().init(Map.of("workload", "echo-test", "service", "UserService")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no service 'UserService'")
                .hasMessageContaining("RelayService");
        assertThatThrownBy(() -> new ServiceFunction().init(Map.of("workload", "echo-test")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'service' is required");
    }

    @Test
    void aFunctionLeaseOutsideACallSaysWhy() {
        try (FunctionServiceClients clients = new FunctionServiceClients()) {
            assertThatThrownBy(() -> {
                try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                    lease.client();
                }
            }).isInstanceOf(TTransportException.class).hasMessageContaining("no function call is running");
        }
    }

    @Test
    void aMissingStoreSettingIsReportedToTheServiceThatNeedsIt() {
        try (DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(Map.of("transport", "rpc"))) {
            assertThatThrownBy(env::sortedSets).hasMessageContaining("setting 'storage.redis' is not set");
        }
        assertThatThrownBy(() -> DefaultServiceEnvironment.fromSettings(Map.of("transport", "carrier-pigeon")))
                .hasMessageContaining("rpc, function or gateway");
        assertThatThrownBy(() -> DefaultServiceEnvironment.fromSettings(Map.of("transport", "gateway")))
                .hasMessageContaining("gateway.url");
    }
}
