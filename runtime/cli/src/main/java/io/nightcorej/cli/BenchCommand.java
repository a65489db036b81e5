package io.nightcorej.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightcorej.gateway.GatewayServer;
import io.nightcorej.protocol.config.FunctionConfig;
import io.nightcorej.protocol.config.StackConfig;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nightcore bench internal|external}: the nop-function microbenchmarks on a private stack (free loopback
 * ports, its own IPC directory, in-process gateway and engine, function containers as real processes).
 *
 * <ul>
 *   <li>{@code internal}: function {@code NopCaller} (R1's {@code io.nightcorej.launcher.bench.InternalCallBenchFunction})
 *       times sequential {@code invoke("Nop")} calls with a 5-byte input at the caller
 *       (worker → engine → worker → engine → worker), the paper's internal-call measurement.</li>
 *   <li>{@code external}: a closed-loop Netty HTTP client with {@code --connections} keep-alive connections POSTs a
 *       5-byte body to {@code /function/Nop} through the gateway.</li>
 * </ul>
 * Prints, last, {@code {"mode":..,"calls":..,"p50_us":..,"p99_us":..,"p999_us":..,"calls_per_s":..}}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Nop-function microbenchmark: internal (function calls function) or external (HTTP through the gateway).")
final class BenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", description = "internal | external")
    private String mode;

    @Option(names = "--calls", description = "measured calls (internal default 100000; external: stop early after this many)")
    private Long calls;

    @Option(names = "--warmup-calls", defaultValue = "20000", description = "internal: untimed calls first (default 20000)")
    private int warmupCalls;

    @Option(names = "--connections", defaultValue = "1", description = "external: concurrent connections (default 1)")
    private int connections;

    @Option(names = "--duration", defaultValue = "10s", description = "external: measured duration, e.g. 10s, 500ms (default 10s)")
    private String duration;

    @Option(names = "--warmup", defaultValue = "3s", description = "external: unrecorded warm-up (default 3s)")
    private String warmup;

    @Option(names = "--workers", defaultValue = "2", description = "Nop workers (default 2, like the original's examples)")
    private int workers;

    @Option(names = "--channel", description = "engine message channel: fifo | shm (default: the config default)")
    private String channel;

    @Mixin
    private SchedulingOption scheduling = new SchedulingOption();

    @Override
    public Integer call() throws Exception {
        final String m = mode.toLowerCase(Locale.ROOT);
        if (!m.equals("internal") && !m.equals("external")) {
            throw new IllegalArgumentException("mode must be internal or external, not " + mode);
        }
        final boolean internal = m.equals("internal");
        if (internal && System.getProperty(GatewayServer.TRANSPORT_PROPERTY) == null) {
            // Here the gateway shares the engine's JVM (deployed, it is a process of its own) and only starts the
            // caller; with io_uring in this JVM the internal calls' p90/p99 rose by 5-40 us in same-window runs
            // (runtime/README.md NOTES, session 5), so the in-process gateway uses epoll for this mode.
            System.setProperty(GatewayServer.TRANSPORT_PROPERTY, "epoll");
        }
        final StackConfig config = benchConfig(workers, channel);
        final String policy = scheduling.applyToThisProcess();
        System.err.println("bench " + mode + ": starting a private stack (" + config.engine().ipcRoot() + ")");
        try (NightcoreStack stack = NightcoreStack.launch(config)) {
            stack.awaitWorkers(Duration.ofSeconds(60));
            final ObjectNode out = internal ? internal(stack) : external(stack);
            out.put("sched", policy);
            System.out.println(out.toString());
        }
        return 0;
    }

    static StackConfig benchConfig(final int workers, final String channel) {
        final List<String> cp = JvmCommand.selfClasspath();
        final StackConfig config = new StackConfig();
        config.gateway().httpPort(0).enginePort(0).maxRunningRequests(1024);
        config.engine().ipcRoot("/dev/shm/nightcore-j-bench-" + ProcessHandle.current().pid());
        if (channel != null) {
            config.engine().channel(channel);
        }
        config.addFunction(new FunctionConfig().name("Nop").id(1).minWorkers(workers).maxWorkers(Math.max(workers, 8))
            .handler("io.nightcorej.examples.Nop").classpath(cp).isolation(FunctionConfig.ISOLATION_PROCESS));
        // R1's reusable caller (runtime/launcher): times sequential invoke("Nop") at the caller with an HdrHistogram.
        config.addFunction(new FunctionConfig().name("NopCaller").id(2).minWorkers(1).maxWorkers(1)
            .handler("io.nightcorej.launcher.bench.InternalCallBenchFunction").classpath(cp)
            .isolation(FunctionConfig.ISOLATION_PROCESS).timeoutMs(900_000));
        return config.conclude();
    }

    private ObjectNode internal(final NightcoreStack stack) throws Exception {
        final long n = calls == null ? 100_000 : calls;
        final HttpClient http = HttpClient.newHttpClient();
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(stack.gatewayUri().resolve("/function/NopCaller"))
            .timeout(Duration.ofMinutes(15)).POST(HttpRequest.BodyPublishers.ofString(
                "{\"callee\":\"Nop\",\"calls\":" + n + ",\"warmup\":" + warmupCalls + ",\"payloadBytes\":5}")).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("NopCaller failed: HTTP " + r.statusCode() + ": " + r.body());
        }
        final JsonNode res = JSON.readTree(r.body());
        final ObjectNode out = JSON.createObjectNode();
        out.put("mode", "internal");
        out.put("calls", res.get("calls").asLong());
        out.put("p50_us", res.get("p50_us").asDouble());
        out.put("p99_us", res.get("p99_us").asDouble());
        out.put("p999_us", res.get("p999_us").asDouble());
        out.put("calls_per_s", res.get("calls_per_s").asLong());
        out.put("p90_us", res.get("p90_us").asDouble());
        out.put("max_us", res.get("max_us").asDouble());
        out.put("mean_us", res.get("mean_us").asDouble());
        out.put("warmup_calls", warmupCalls);
        out.put("channel", stack.config().engine().channel());
        return out;
    }

    private ObjectNode external(final NightcoreStack stack) throws Exception {
        final URI url = stack.gatewayUri().resolve("/function/Nop");
        final ClosedLoopHttpClient.Result res;
        try (ClosedLoopHttpClient client = new ClosedLoopHttpClient()) {
            res = client.run(url, "hello".getBytes(StandardCharsets.US_ASCII), connections, parseMillis(warmup),
                parseMillis(duration), calls == null ? 0 : calls);
        }
        final Histogram h = res.latencyUs();
        final ObjectNode out = JSON.createObjectNode();
        out.put("mode", "external");
        out.put("calls", res.calls());
        out.put("p50_us", h.getValueAtPercentile(50));
        out.put("p99_us", h.getValueAtPercentile(99));
        out.put("p999_us", h.getValueAtPercentile(99.9));
        out.put("calls_per_s", Math.round(res.callsPerSecond()));
        out.put("max_us", h.getMaxValue());
        out.put("errors", res.errors());
        out.put("connections", connections);
        out.put("duration_s", Math.round(res.seconds() * 100) / 100.0);
        out.put("channel", stack.config().engine().channel());
        return out;
    }

    static long parseMillis(final String s) {
        final String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Long.parseLong(t.substring(0, t.length() - 2));
        }
        if (t.endsWith("s")) {
            return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000);
        }
        if (t.endsWith("m")) {
            return Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000);
        }
        return Math.round(Double.parseDouble(t) * 1000);
    }
}
