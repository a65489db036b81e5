package io.nightcorej.baselines.openfaas;

import io.nightcorej.microservices.common.net.LocalPorts;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway → watchdog → gateway → watchdog path with small test functions, all in this JVM. */
class OpenFaasPathTest {
    private final List<AutoCloseable> closers = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private FaasGatewayServer gateway;

    /** Echo with a prefix. */
    public static final class Bar implements Function {
        @Override
        public byte[] call(FunctionContext context, byte[] input) {
            return ("bar:" + new String(input, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Calls Bar twice: once blocking, once async; or fails / sleeps on request. */
    public static final class Foo implements Function {
        @Override
        public byte[] call(FunctionContext context, byte[] input) throws Exception {
            String in = new String(input, StandardCharsets.UTF_8);
            if (in.equals("throw")) throw new IllegalStateException("asked to fail");
            if (in.equals("sleep")) Thread.sleep(8000);
            if (in.equals("missing")) return FunctionContext.current().invoke("NoSuch", input);
            byte[] a = FunctionContext.current().invoke("Bar", input);
            CompletableFuture<byte[]> b = context.invokeAsync("Bar", a);
            return ("foo:" + new String(b.get(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static int freePort() {
        return LocalPorts.outsideEphemeralRange();
    }

    @BeforeEach
    void start() throws Exception {
        start(3000);
    }

    private void start(long timeoutMs) throws Exception {
        int gatewayPort = freePort();
        InetSocketAddress gw = new InetSocketAddress("127.0.0.1", gatewayPort);
        Map<String, InetSocketAddress> routes = new HashMap<>();
        for (Class<? extends Function> c : List.of(Foo.class, Bar.class)) {
            WatchdogServer w = new WatchdogServer(new InetSocketAddress("127.0.0.1", 0), c.getSimpleName(),
                WatchdogServer.load(c.getName(), Map.of()), gw, 4, timeoutMs, 1 << 20);
            closers.add(w);
            routes.put(c.getSimpleName(), new InetSocketAddress("127.0.0.1", w.port()));
        }
        routes.put("Dead", new InetSocketAddress("127.0.0.1", freePort()));
        gateway = new FaasGatewayServer(gw, routes, 1, timeoutMs, 1 << 20, 16);
        closers.add(gateway);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closers) c.close();
    }

    private HttpResponse<String> post(String function, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/function/" + function))
            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void internalCallsGoBackThroughTheGateway() throws Exception {
        HttpResponse<String> r = post("Foo", "hi");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("foo:bar:bar:hi");
        String stats = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/stats")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(stats).contains("\"Bar\":{\"calls\":2").contains("\"Foo\":{\"calls\":1");
    }

    @Test
    void failuresAreCleanStatusesNotHangs() throws Exception {
        assertThat(post("Nope", "x").statusCode()).isEqualTo(404);
        HttpResponse<String> thrown = post("Foo", "throw");
        assertThat(thrown.statusCode()).isEqualTo(500);
        assertThat(thrown.body()).contains("asked to fail");
        HttpResponse<String> missing = post("Foo", "missing");
        assertThat(missing.statusCode()).isEqualTo(500);
        assertThat(missing.body()).contains("NoSuch").contains(FunctionCallException.Status.NOT_FOUND.name());
        assertThat(post("Dead", "x").statusCode()).isEqualTo(502);
        long t0 = System.nanoTime();
        assertThat(post("Foo", "sleep").statusCode()).isEqualTo(504);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(7000);
        assertThat(post("Bar", "still fine").body()).isEqualTo("bar:still fine");
    }

    @Test
    void concurrentCallsAllAnswer() throws Exception {
        stop();
        closers.clear();
        start(20_000); // 100 queued calls on 4 workers: the deadline must cover queueing on a busy 2-core machine
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            all.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/function/Foo"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("n" + i)).build(),
                HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < all.size(); i++) {
            HttpResponse<String> r = all.get(i).get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("foo:bar:bar:n" + i);
        }
    }
}
