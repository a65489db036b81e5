package io.nightcorej.microservices.common.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.microservices.common.storage.StorageException;
import io.nightcorej.microservices.common.testidl.EchoException;
import io.nightcorej.microservices.common.testidl.EchoService;
import io.nightcorej.microservices.common.transport.EchoHandler;
import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import io.nightcorej.microservices.common.transport.RpcServiceClients;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The error statuses and messages every workload's handlers and front ends report, through a stand-in IDL exception
 * whose message carries the {@link ServiceErrors.Code} (as a workload's {@code ServiceException} carries its code).
 */
@Timeout(30)
class ServiceCallerTest {

    /** Maps each code into the message: "CODE: message". */
    private static final class EchoErrors extends ServiceErrors<EchoException> {
        EchoErrors() {
            super(EchoException.class);
        }

        @Override
        protected EchoException exception(final Code code, final String message) {
            return new EchoException(code + ": " + message);
        }
    }

    private static final EchoErrors ERRORS = new EchoErrors();

    private final InProcessServiceClients services = new InProcessServiceClients()
            .register("EchoService", new EchoService.Processor<>(new EchoHandler()))
            .register("BrokenService", new EchoService.Processor<>(new EchoService.Iface() {
                @Override
                public String Echo(final String text) {
                    throw new IllegalStateException("handler bug");
                }

                @Override
                public long Sleep(final long millis) {
                    return millis;
                }
            }));

    private final ServiceCaller<EchoException> caller = new ServiceCaller<>(services, ERRORS, 200);

    @Test
    void callReturnsTheResultAndPassesTheCalleesOwnExceptionThrough() throws Exception {
        final String echoed = caller.call("EchoService", new EchoService.Client.Factory(), c -> c.Echo("hi"));
        assertThat(echoed).isEqualTo("echo:hi");
        assertThatThrownBy(() -> caller.call("EchoService", new EchoService.Client.Factory(), c -> c.Echo("fail")))
                .isInstanceOf(EchoException.class).hasMessage("asked to fail");
    }

    @Test
    void aThriftApplicationErrorIsAHandlerError() {
        assertThatThrownBy(() -> caller.run("BrokenService", new EchoService.Client.Factory(), c -> c.Echo("x")))
                .isInstanceOf(EchoException.class)
                .hasMessageStartingWith("THRIFT_HANDLER: BrokenService failed: ");
    }

    @Test
    void anUnreachableServiceIsAConnectionError() {
        services.unregister("EchoService");
        assertThatThrownBy(() -> caller.call("EchoService", new EchoService.Client.Factory(), c -> c.Echo("x")))
                .isInstanceOf(EchoException.class)
                .hasMessageStartingWith("THRIFT_CONN: EchoService unreachable: ");
        try (RpcServiceClients rpc = new RpcServiceClients(Map.of(), 100, 100, 1)) {
            assertThatThrownBy(() -> new ServiceCaller<>(rpc, ERRORS).call("EchoService", new EchoService.Client.Factory(),
                    c -> c.Echo("x")))
                    .isInstanceOf(EchoException.class)
                    .hasMessageStartingWith("THRIFT_CONN: Failed to connect to EchoService: no address for service");
        }
    }

    @Test
    void forkedCallsJoinWithTheirResultOrTheirErrorAndAreBoundedByTheJoinTimeout() throws Exception {
        final Future<String> ok = caller.fork("EchoService", new EchoService.Client.Factory(), c -> c.Echo("a"));
        final Future<String> failed = caller.fork("EchoService", new EchoService.Client.Factory(), c -> c.Echo("fail"));
        assertThat(caller.join(ok, "EchoService")).isEqualTo("echo:a");
        assertThatThrownBy(() -> caller.join(failed, "EchoService")).hasMessage("asked to fail");

        final Future<Long> slow = caller.fork("EchoService", new EchoService.Client.Factory(), c -> c.Sleep(2_000));
        assertThatThrownBy(() -> caller.join(slow, "EchoService"))
                .isInstanceOf(EchoException.class)
                .hasMessage("THRIFT_CONN: call to EchoService timed out after 200 ms");
    }

    @Test
    void storageFailuresBecomeTheirStoresCodeWithTheStoresMessageAndCause() throws Exception {
        final StorageException down = new StorageException("redis 127.0.0.1:1: ZCARD 'k' failed: refused");
        assertThatThrownBy(() -> ERRORS.redisDo(() -> {
            throw down;
        })).hasMessage("REDIS: redis 127.0.0.1:1: ZCARD 'k' failed: refused").hasCause(down);
        assertThatThrownBy(() -> ERRORS.mongo(() -> {
            throw down;
        })).hasMessageStartingWith("MONGODB: ");
        assertThatThrownBy(() -> ERRORS.memcachedDo(() -> {
            throw down;
        })).hasMessageStartingWith("MEMCACHED: ");
        final String value = ERRORS.memcached(() -> "value");
        assertThat(value).isEqualTo("value");
    }
}
