package io.nightcorej.microservices.common.deploy;

import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.microservices.common.testidl.EchoException;
import io.nightcorej.microservices.common.testidl.EchoService;
import io.nightcorej.microservices.common.transport.ClientLease;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TException;
import org.apache.thrift.TProcessor;

/**
 * A two-service test workload: "EchoService" caches what it echoes, "RelayService" (same IDL) forwards to EchoService
 * through {@code env.clients()}, so the transport in between is whatever the deployment chose.
 */
public final class EchoWorkload implements Workload {

    @Override
    public String name() {
        return "echo-test";
    }

    @Override
    public List<String> services() {
        return List.of("EchoService", "RelayService");
    }

    @Override
    public TProcessor processor(final String service, final ServiceEnvironment env) {
        if ("EchoService".equals(service)) {
            return new EchoService.Processor<>(new EchoService.Iface() {
                @Override
                public String Echo(final String text) throws EchoException {
                    if ("fail".equals(text)) {
                        throw new EchoException("asked to fail");
                    }
                    env.cache().set("last", text.getBytes(StandardCharsets.UTF_8), 0);
                    return "echo:" + text;
                }

                @Override
                public long Sleep(final long millis) {
                    return millis;
                }
            });
        }
        return new EchoService.Processor<>(new EchoService.Iface() {
            @Override
            public String Echo(final String text) throws TException {
                try (ClientLease<EchoService.Client> lease = env.clients().lease("EchoService",
                        new EchoService.Client.Factory())) {
                    return "relay:" + lease.client().Echo(text);
                }
            }

            @Override
            public long Sleep(final long millis) {
                return millis;
            }
        });
    }

    @Override
    public Map<String, HttpEndpoint> frontend(final ServiceEnvironment env) {
        return Map.of("/echo", request -> {
            try (ClientLease<EchoService.Client> lease = env.clients().lease("RelayService",
                    new EchoService.Client.Factory())) {
                return HttpResponse.text(200, lease.client().Echo(request.param("text")));
            }
        });
    }

    @Override
    public void load(final URI frontend, final Map<String, String> options) {
        // nothing to load
    }
}
