package io.nightcorej.microservices.common.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import io.nightcorej.sdk.Function;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FrontendFunction hosted as a runtime hosts it (no-arg constructor, init(settings), calls with a bound
 * FunctionContext), its service calls routed as internal calls to ServiceFunctions, the way a Nightcore engine routes
 * them: the front end as functions, with no HTTP between front end and services.
 */
class FrontendFunctionTest {

    private final InProcessServiceClients runtime = new InProcessServiceClients();
    private final Map<String, Function> hosted = new HashMap<>();

    @AfterEach
    void close() {
        hosted.values().forEach(f -> {
            if (f instanceof ServiceFunction s && s.environment() != null) {
                s.environment().close();
            } else if (f instanceof FrontendFunction ff && ff.environment() != null) {
                ff.environment().close();
            }
        });
    }

    private void host(final String name, final Function function) {
        hosted.put(name, function);
        runtime.register(name, function);
    }

    private void deployEchoWorkload() throws Exception {
        for (final String service : List.of("EchoService", "RelayService")) {
            final ServiceFunction f = new ServiceFunction();
            f.init(Map.of("workload", "echo-test", "service", service, "storage.memcached", "embedded"));
            host(service, f);
        }
        for (final Map.Entry<String, String> e : FrontendFunction.functionsOf("echo-test").entrySet()) {
            final FrontendFunction f = new FrontendFunction();
            f.init(Map.of("workload", "echo-test", FrontendFunction.ENDPOINT, e.getValue(), "storage.memcached", "embedded"));
            assertThat(f.environment().settings()).containsEntry("transport", "function");
            host(e.getKey(), f);
        }
    }

    /** An external call as the gateway makes it: input bytes in, output out, the callee's context bound. */
    private String external(final String function, final String input) throws Exception {
        return new String(runtime.call(function, input.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void theGatewaysQueryStringObjectReachesTheEndpointAndServiceCallsAreInternalCalls() throws Exception {
        deployEchoWorkload();
        assertThat(hosted).containsKey("echo");
        assertThat(external("echo", "{\"text\":\"hello \\\"world\\\" \\u00e9\",\"lat\":\"nil\"}"))
                .isEqualTo("relay:echo:hello \"world\" \u00e9");
        assertThat(runtime.calls()).containsExactly(new InProcessServiceClients.Call("echo", "RelayService"),
                new InProcessServiceClients.Call("RelayService", "EchoService"));
        // a form body (a plain POST without qsAsInput) works too
        assertThat(external("echo", "text=a+b%21&x=1")).isEqualTo("relay:echo:a b!");
    }

    @Test
    void aFailingServiceCallFailsTheFunctionCallWithTheReason() throws Exception {
        deployEchoWorkload();
        assertThatThrownBy(() -> external("echo", "{\"text\":\"fail\"}")).hasMessageContaining("asked to fail");
        runtime.unregister("EchoService");
        assertThatThrownBy(() -> external("echo", "{\"text\":\"x\"}")).hasMessageContaining("EchoService");
    }

    @Test
    void nonSuccessResponsesBecomeFailuresNamingStatusPathAndBody() throws Exception {
        assertThat(FrontendFunction.output("/hotels", HttpResponse.json(200, "{}"))).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> FrontendFunction.output("/hotels", HttpResponse.text(400, "Please specify inDate params\n")))
                .isInstanceOf(FrontendFunction.FrontendCallException.class)
                .hasMessage("HTTP 400 from /hotels: Please specify inDate params")
                .satisfies(e -> assertThat(((FrontendFunction.FrontendCallException) e).status()).isEqualTo(400));
    }

    @Test
    void inputParsing() {
        assertThat(FrontendFunction.parameters(new byte[0])).isEmpty();
        assertThat(FrontendFunction.parameters(" {} ".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(FrontendFunction.parameters("{\"a\":\"1\",\"n\":2,\"b\":true,\"z\":null,\"a\":\"3\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .containsExactly(Map.entry("a", List.of("1", "3")), Map.entry("n", List.of("2")), Map.entry("b", List.of("true")));
        for (final String bad : List.of("{\"a\":{\"b\":\"c\"}}", "{\"a\":[1]}", "{\"a\":\"1\"", "{\"a\" \"1\"}", "{\"a\":nope}",
                "{\"a\":\"1\"} x", "{\"a\":\"\\q\"}")) {
            assertThatThrownBy(() -> FrontendFunction.parameters(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flat JSON object");
        }
    }

    @Test
    void initNamesWhatIsWrong() {
        assertThatThrownBy(() -> new FrontendFunction().init(Map.of("workload", "echo-test", "endpoint", "/nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no path '/nope'").hasMessageContaining("/echo");
        assertThatThrownBy(() -> new FrontendFunction().init(Map.of("workload", "echo-test")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'endpoint' is required");
        runtime.register("x", new FrontendFunction());
        assertThatThrownBy(() -> runtime.call("x", new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlySingleSegmentPathsThatAreNotServiceNamesRunAsFunctions() {
        assertThat(FrontendFunction.functionsOf("echo-test")).containsExactly(Map.entry("echo", "/echo"));
        assertThat(FrontendFunction.functionsOf(workload(List.of("/wrk2-api/post/compose")))).isEmpty();
        assertThat(FrontendFunction.functionsOf(workload(List.of("/ok", "/EchoService")))).isEmpty();
        assertThat(FrontendFunction.functionsOf(workload(List.of("/hotels", "/user"))))
                .containsExactly(Map.entry("hotels", "/hotels"), Map.entry("user", "/user"));
    }

    private static Workload workload(final List<String> paths) {
        return new Workload() {
            @Override
            public String name() {
                return "paths-test";
            }

            @Override
            public List<String> services() {
                return List.of("EchoService");
            }

            @Override
            public TProcessor processor(final String service, final ServiceEnvironment env) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Map<String, HttpEndpoint> frontend(final ServiceEnvironment env) {
                final Map<String, HttpEndpoint> m = new java.util.LinkedHashMap<>();
                paths.forEach(p -> m.put(p, r -> HttpResponse.text(200, p)));
                return m;
            }

            @Override
            public void load(final URI frontend, final Map<String, String> options) {
            }
        };
    }
}
