package io.nightcorej.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.examples.Bar;
import io.nightcorej.protocol.config.StackConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole-stack lifecycles: an engine reconnecting to a restarted gateway, and {@code nightcore up} start and stop. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StackLifecycleTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static StackConfig barOnly(final String tag) {
        final StackConfig c = new StackConfig();
        c.gateway().httpPort(0).enginePort(0);
        c.engine().ipcRoot("/dev/shm/nightcore-j-test-" + tag + "-" + ProcessHandle.current().pid());
        c.addFunction(NightcoreStackTest.fn("Bar", 2, "io.nightcorej.examples.Bar", NightcoreStackTest.classpathOf(Bar.class))
            .minWorkers(1).maxWorkers(2));
        return c.conclude();
    }

    private static HttpResponse<String> post(final URI base, final String fn, final String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("/function/" + fn)).timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void engineReconnectsWhenTheGatewayComesBack() throws Exception {
        try (NightcoreStack stack = NightcoreStack.launch(barOnly("reconnect"))) {
            stack.awaitWorkers(Duration.ofSeconds(60));
            assertThat(post(stack.gatewayUri(), "Bar", "before").body()).isEqualTo("before");
            stack.stopGateway();
            Thread.sleep(300);
            stack.startGateway();
            assertThat(stack.awaitEngineConnected(Duration.ofSeconds(20))).as("engine reconnected").isTrue();
            final HttpResponse<String> r = post(stack.gatewayUri(), "Bar", "after");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("after");
        }
    }

    @Test
    void stacksWithDifferentIpcRootsGetDifferentLogDirectories() {
        final StackConfig a = barOnly("logs-a");
        final StackConfig b = barOnly("logs-b");
        final StackConfig sameNameElsewhere = barOnly("logs-a");
        sameNameElsewhere.engine().ipcRoot("/tmp/elsewhere/" + Path.of(a.engine().ipcRoot()).getFileName());
        assertThat(NightcoreStack.defaultLogDir(a)).isNotEqualTo(NightcoreStack.defaultLogDir(b))
            .isNotEqualTo(NightcoreStack.defaultLogDir(sameNameElsewhere));
        assertThat(NightcoreStack.defaultLogDir(a).getParent().getFileName().toString()).isEqualTo("nightcore-j-logs");
    }

    @Test
    void upStartsTheStackAndSigtermLeavesNothingBehind(@TempDir final Path dir) throws Exception {
        final StackConfig c = barOnly("up");
        final Path config = dir.resolve("stack.json");
        Files.writeString(config, c.toJson());
        final Path logs = dir.resolve("logs");
        final List<String> cmd = new ArrayList<>(JvmCommand.nightcore(List.of("up", config.toString(), "--log-dir", logs.toString())));
        final Process up = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            final BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
            String line;
            JsonNode ready = null;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("{") && line.contains("gateway_url")) {
                    ready = new ObjectMapper().readTree(line);
                    break;
                }
            }
            assertThat(ready).as("up printed its JSON line").isNotNull();
            assertThat(ready.get("pid").asLong()).isEqualTo(up.pid());
            final URI base = URI.create(ready.get("gateway_url").asText());
            assertThat(post(base, "Bar", "via up").body()).isEqualTo("via up");
            assertThat(Path.of(ready.get("log_dir").asText())).isEqualTo(logs.toAbsolutePath());
            assertThat(logs.resolve("Bar.log")).as("the container's log, in this stack's own log directory").exists();
            final List<ProcessHandle> tree = up.descendants().toList();
            assertThat(tree.size()).as("gateway, engine and a container").isGreaterThanOrEqualTo(3);

            up.destroy(); // SIGTERM
            assertThat(up.waitFor(30, TimeUnit.SECONDS)).as("up exits after SIGTERM").isTrue();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(tree.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList()).as("leftover pids").isEmpty();
            assertThat(Files.exists(Path.of(c.engine().ipcRoot()))).as("IPC directory left").isFalse();
        } finally {
            up.descendants().forEach(ProcessHandle::destroyForcibly);
            up.destroyForcibly();
        }
    }
}
