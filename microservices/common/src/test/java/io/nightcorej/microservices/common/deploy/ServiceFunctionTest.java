package io.nightcorej.microservices.common.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.microservices.common.testidl.EchoService;
import io.nightcorej.microservices.common.transport.ClientLease;
import io.nightcorej.microservices.common.transport.FunctionServiceClients;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;
import io.nightcorej.sdk.thrift.FunctionCallTransport;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

/**
 * ServiceFunction as the runtimes host it: constructed by name, init(settings), calls with a bound FunctionContext whose
 * internal calls are routed to the other functions, the way a Nightcore engine routes them.
 */
class ServiceFunctionTest {

    /** A minimal engine: function name to instance, invoke runs the callee on the caller's thread. */
    private static final class FakeEngine {
        final Map<String, ServiceFunction> functions = new HashMap<>();

        FunctionContext context(final String function) {
            return new FunctionContext() {
                @Override
                public String functionName() {
                    return function;
                }

                @Override
                public long callId() {
                    return 1;
                }

                @Override
                public byte[] invoke(final String callee, final byte[] input) throws FunctionCallException {
                    final ServiceFunction f = functions.get(callee);
                    if (f == null) {
                        throw new FunctionCallException(FunctionCallException.Status.NOT_FOUND, callee, "no such function");
                    }
                    try (var scope = FunctionContext.bind(context(callee))) {
                        return f.call(context(callee), input);
                    } catch (final Exception e) {
                        throw new FunctionCallException(FunctionCallException.Status.FAILED, callee, e.getMessage());
                    }
                }

                @Override
                public CompletableFuture<byte[]> invokeAsync(final String callee, final byte[] input) {
                    try {
                        return CompletableFuture.completedFuture(invoke(callee, input));
                    } catch (final FunctionCallException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                }
            };
        }
    }

    private static Map<String, String> settings(final String service) {
        return Map.of("workload", "echo-test", "service", service, "storage.memcached", "embedded");
    }

    @Test
    void servicesCallEachOtherThroughFunctionCallsAndReachTheirStorage() throws Exception {
        final FakeEngine engine = new FakeEngine();
        for (final String service : new String[] {"EchoService", "RelayService"}) {
            final ServiceFunction f = new ServiceFunction();
            f.init(settings(service));
            assertThat(f.environment().settings()).containsEntry("transport", "function");
            engine.functions.put(service, f);
        }
        final FunctionContext outer = engine.context("test");
        try (var scope = FunctionContext.bind(outer)) {
            final EchoService.Client relay = new EchoService.Client(new TBinaryProtocol(
                    new FunctionCallTransport(outer, "RelayService")));
            assertThat(relay.Echo("hello world")).isEqualTo("relay:echo:hello world");
        }
        assertThat(engine.functions.get("EchoService").environment().cache().get("last"))
                .isEqualTo("hello world".getBytes(StandardCharsets.UTF_8));
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
