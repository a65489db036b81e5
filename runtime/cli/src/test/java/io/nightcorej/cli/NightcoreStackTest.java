package io.nightcorej.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.nightcorej.examples.Bar;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * End to end through a real stack: in-process gateway and engine, function containers as real processes, HTTP on
 * loopback. One stack serves all tests (starting JVMs is the slow part); tests that break it run last in their own.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NightcoreStackTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static NightcoreStack stack;
    private static Path ipcRoot;

    static StackConfig config(final String tag) {
        final String cp = classpathOf(Bar.class);
        final StackConfig c = new StackConfig();
        c.gateway().httpPort(0).enginePort(0).maxRunningRequests(256);
        c.engine().ipcRoot("/dev/shm/nightcore-j-test-" + tag + "-" + ProcessHandle.current().pid());
        c.addFunction(fn("Foo", 1, "io.nightcorej.examples.Foo", cp));
        c.addFunction(fn("Bar", 2, "io.nightcorej.examples.Bar", cp).maxWorkers(8));
        c.addFunction(fn("FanOut", 3, "io.nightcorej.examples.FanOut", cp).settings(Map.of("fanout", "5")));
        c.addFunction(fn("Sleepy", 4, "io.nightcorej.cli.SleepFunction", classpathOf(SleepFunction.class))
            .timeoutMs(20_000).minWorkers(1).maxWorkers(4).settings(Map.of("pidFile", pidFile().toString())));
        c.addFunction(fn("Slow", 5, "io.nightcorej.cli.SleepFunction", classpathOf(SleepFunction.class))
            .timeoutMs(500).minWorkers(1).maxWorkers(2));
        return c.conclude();
    }

    static FunctionConfig fn(final String name, final int id, final String handler, final String cp) {
        return new FunctionConfig().name(name).id(id).handler(handler).classpath(List.of(cp)).minWorkers(2).maxWorkers(4)
            .isolation(FunctionConfig.ISOLATION_PROCESS);
    }

    static Path pidFile() {
        return Path.of(System.getProperty("java.io.tmpdir"), "nightcore-j-sleepy-" + ProcessHandle.current().pid() + ".pid");
    }

    static String classpathOf(final Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        final StackConfig c = config("main");
        ipcRoot = Path.of(c.engine().ipcRoot());
        stack = NightcoreStack.launch(c);
        stack.awaitWorkers(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack == null) {
            return;
        }
        final Set<Long> before = descendants();
        stack.close();
        // Clean shutdown: no container processes left, IPC directory gone.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!descendants().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(before).as("the stack ran containers").isNotEmpty();
        assertThat(descendants()).as("processes left after close").isEmpty();
        assertThat(Files.exists(ipcRoot)).as("IPC directory " + ipcRoot + " left after close").isFalse();
    }

    static Set<Long> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
            .collect(Collectors.toSet());
    }

    static HttpResponse<byte[]> post(final String function, final byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(stack.gatewayUri().resolve("/function/" + function))
            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(final HttpResponse<byte[]> r) {
        return new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void fooCallsBarInternally() throws Exception {
        final HttpResponse<byte[]> r = post("Foo", "hello".getBytes());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("From function Bar: hello");
    }

    @Test
    void fanOutCallsBarInParallelWithInvokeAsync() throws Exception {
        final HttpResponse<byte[]> r = post("FanOut", "x".getBytes());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("5 calls: 0:x|1:x|2:x|3:x|4:x");
    }

    @Test
    void payloadsOfZeroOneKibAndFourMibRoundTrip() throws Exception {
        for (final int size : new int[] {0, 1024, 4 << 20}) {
            final byte[] in = new byte[size];
            for (int i = 0; i < size; i++) {
                in[i] = (byte) (i * 31 + 7);
            }
            final HttpResponse<byte[]> bar = post("Bar", in);
            assertThat(bar.statusCode()).as("Bar %d B", size).isEqualTo(200);
            assertThat(Arrays.equals(bar.body(), in)).as("Bar echoes %d B", size).isTrue();
            final HttpResponse<byte[]> foo = post("Foo", in);
            assertThat(foo.statusCode()).as("Foo %d B", size).isEqualTo(200);
            assertThat(foo.body().length).isEqualTo(size + "From function Bar: ".length());
        }
    }

    @Test
    void thousandConcurrentExternalCallsAreAllAnsweredCorrectly() throws Exception {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(client.sendAsync(HttpRequest.newBuilder(stack.gatewayUri().resolve("/function/Bar"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString("call-" + i)).build(),
                HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 1000; i++) {
            final HttpResponse<String> r = futures.get(i).get(90, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("call-" + i);
        }
    }

    @Test
    void unknownFunctionIs404() throws Exception {
        final HttpResponse<byte[]> r = post("NoSuchFunction", new byte[1]);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(text(r)).contains("unknown function: NoSuchFunction");
    }

    @Test
    void expiredDeadlineIs504() throws Exception {
        final long t0 = System.nanoTime();
        final HttpResponse<byte[]> r = post("Slow", "2000".getBytes());
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(text(r)).containsAnyOf("deadline", "TIMEOUT");
        assertThat(ms).as("answered after %d ms", ms).isLessThan(1900);
        // The stack is still fine afterwards.
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status = 0;
        while (status != 200 && System.nanoTime() < until) {
            status = post("Slow", "1".getBytes()).statusCode();
        }
        assertThat(status).isEqualTo(200);
    }

    @Test
    void workerKilledMidCallFailsPromptlyThenLaterCallsSucceed() throws Exception {
        Files.deleteIfExists(pidFile());
        final CompletableFuture<HttpResponse<String>> victim = HTTP.sendAsync(
            HttpRequest.newBuilder(stack.gatewayUri().resolve("/function/Sleepy")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("pid:5000")).build(), HttpResponse.BodyHandlers.ofString());
        // SleepFunction writes its container's pid to a file named by the input, then sleeps.
        final Path pidFile = pidFile();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        final long pid = Long.parseLong(Files.readString(pidFile).trim());
        Files.delete(pidFile);
        final long killedAt = System.nanoTime();
        new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
        final HttpResponse<String> r = victim.get(20, TimeUnit.SECONDS);
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
        assertThat(r.statusCode()).isIn(500, 502);
        assertThat(r.body()).containsAnyOf("WORKER_DIED", "died", "exited");
        assertThat(ms).as("failure reported %d ms after SIGKILL", ms).isLessThan(5000);
        // The container is replaced; later calls succeed.
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status = 0;
        while (System.nanoTime() < until) {
            status = post("Sleepy", "1".getBytes()).statusCode();
            if (status == 200) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo(200);
        assertThat(post("Foo", "again".getBytes()).statusCode()).isEqualTo(200);
    }

    @Test
    void statsAndMetricsShowGatewayAndEngineCounts() throws Exception {
        post("Bar", "s".getBytes());
        final HttpResponse<String> stats = HTTP.send(HttpRequest.newBuilder(stack.gatewayUri().resolve("/stats")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(stats.statusCode()).isEqualTo(200);
        assertThat(stats.body()).contains("\"gateway\"").contains("\"Bar\"").contains("\"engines\":[{");
        final HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(stack.gatewayUri().resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("nightcore_gateway_requests_total{function=\"Bar\",code=\"200\"}");
    }

}
