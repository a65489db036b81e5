package io.nightcorej.baselines.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Each system comes up from a clean state through {@code bin/stack}'s code, loads socfb-Reed98 through the front end
 * with the workload's loader, serves a compose and both timeline reads with the same (normalised) answers as the other
 * systems, answers with errors — not a hang — when one service process is killed, and goes down leaving no process
 * and no file. Then the three systems' answers are compared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackSystemsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Map<String, Map<String, JsonNode>> answers = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> smoke = new LinkedHashMap<>();

    /** Runs a stack command in this JVM; returns its last stdout line as JSON (and the exit code in "_rc"). */
    private static ObjectNode stack(String... args) throws IOException {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--repo-root", REPO.toString()));
            rc = StackTool.run(all.toArray(String[]::new));
        } finally {
            System.setOut(out);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        out.print(text);
        List<String> lines = text.lines().filter(l -> l.startsWith("{")).toList();
        ObjectNode last = lines.isEmpty() ? JSON.createObjectNode() : (ObjectNode) JSON.readTree(lines.get(lines.size() - 1));
        last.put("_rc", rc);
        return last;
    }

    private static Path stateDir(String system) {
        return REPO.resolve("baselines/target/it-stack-" + system);
    }

    /**
     * An edge {a, b} (as user ids: file id + 1, the loader's default id_base) where a has the fewest followers, so the
     * post a composes reaches b's home timeline however many followers a write fan-out updates.
     */
    private static long[] lowDegreeEdge() throws IOException {
        Path edges = Path.of("/work/shared/datasets/socfb-Reed98/socfb-Reed98.edges");
        for (String kv : System.getProperty("stack.it.load", "").split(",")) {
            if (kv.trim().startsWith("dataset=")) edges = Path.of(kv.trim().substring("dataset=".length()));
        }
        Map<Long, List<Long>> adj = new LinkedHashMap<>();
        try (Stream<String> lines = Files.lines(edges)) {
            lines.map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("%") && !l.startsWith("#")).forEach(l -> {
                String[] p = l.split("[\\s,]+");
                long a = Long.parseLong(p[0]);
                long b = Long.parseLong(p[1]);
                adj.computeIfAbsent(a, k -> new ArrayList<>()).add(b);
                adj.computeIfAbsent(b, k -> new ArrayList<>()).add(a);
            });
        }
        var min = adj.entrySet().stream().min((x, y) -> Integer.compare(x.getValue().size(), y.getValue().size())).orElseThrow();
        long a = min.getKey();
        long b = min.getValue().get(0);
        long w = adj.keySet().stream().filter(x -> x != a && x != b && !adj.get(b).contains(x)).findFirst().orElseThrow();
        return new long[] {a + 1, b + 1, w + 1};
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> compose(String base, long user, String text) throws Exception {
        String form = "username=username_" + user + "&user_id=" + user + "&text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
            + "&media_ids=%5B%5D&media_types=%5B%5D&post_type=0";
        return http.send(HttpRequest.newBuilder(URI.create(base + "/wrk2-api/post/compose")).timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** Drops what legitimately differs between runs: generated ids, timestamps, random short URLs. */
    static JsonNode normalise(String body) throws IOException {
        JsonNode n = JSON.readTree(body);
        if (n instanceof ArrayNode a) {
            for (JsonNode post : a) {
                if (post instanceof ObjectNode o) {
                    o.remove(List.of("post_id", "req_id", "timestamp"));
                    if (o.get("urls") instanceof ArrayNode urls) {
                        urls.forEach(u -> ((ObjectNode) u).remove("shortened_url"));
                    }
                }
            }
        }
        return n;
    }

    void runSystem(String system) throws Exception {
        Path dir = stateDir(system);
        ObjectNode up = stack("up", "--system", system, "--workload", "socialnetwork", "--state-dir", dir.toString(),
            "--timeout", "150");
        if (system.equals("nightcore") && up.path("_rc").asInt() != 0 && up.path("error").asText().contains("bin/nightcore")) {
            stack("down", "--state-dir", dir.toString());
            Assumptions.abort("nightcore system not testable: " + up.path("error").asText());
        }
        try {
            assertThat(up.path("_rc").asInt()).as("up: " + up).isZero();
            String fe = up.get("frontend_url").asText();
            if (!system.equals("rpc")) assertThat(up.path("gateway_url").asText()).startsWith("http://127.0.0.1:");
            assertThat(stack("status", "--state-dir", dir.toString()).path("up").asBoolean()).isTrue();

            List<String> loadArgs = new ArrayList<>(List.of("load", "--state-dir", dir.toString(), "--timeout", "900",
                "--set", "timeout_s=900"));
            for (String kv : System.getProperty("stack.it.load", "").split(",")) {
                if (!kv.isBlank()) loadArgs.addAll(List.of("--set", kv.trim())); // e.g. -Dstack.it.load=dataset=/small.edges
            }
            long loadStart = System.nanoTime();
            ObjectNode load = stack(loadArgs.toArray(String[]::new));
            System.out.println("[" + system + "] load took " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - loadStart) + " s");
            assertThat(load.path("_rc").asInt()).as("load: " + load).isZero();

            long[] edge = lowDegreeEdge();
            // Warm the cold path (JIT, storage connections) with a user b does not follow: on a loaded 2-core machine the
            // first compose through eleven fresh JVMs can exceed the 10 s call deadline.
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> warm = compose(fe, edge[2], "warm-up " + i);
                System.out.println("[" + system + "] warm-up compose " + i + ": HTTP " + warm.statusCode());
                get(fe + "/wrk2-api/user-timeline/read?user_id=" + edge[2] + "&start=0&stop=10");
                get(fe + "/wrk2-api/home-timeline/read?user_id=" + edge[2] + "&start=0&stop=10");
            }
            HttpResponse<String> c = compose(fe, edge[0], "parity check from " + edge[0] + " @username_" + edge[1]);
            assertThat(c.statusCode()).as("compose: " + c.body()).isEqualTo(200);
            HttpResponse<String> ut = get(fe + "/wrk2-api/user-timeline/read?user_id=" + edge[0] + "&start=0&stop=10");
            HttpResponse<String> ht = get(fe + "/wrk2-api/home-timeline/read?user_id=" + edge[1] + "&start=0&stop=10");
            assertThat(ut.statusCode()).as("user timeline: " + ut.body()).isEqualTo(200);
            assertThat(ht.statusCode()).as("home timeline: " + ht.body()).isEqualTo(200);
            Map<String, JsonNode> a = new LinkedHashMap<>();
            a.put("compose", JSON.getNodeFactory().textNode(c.body().trim()));
            a.put("user_timeline", normalise(ut.body()));
            a.put("home_timeline", normalise(ht.body()));
            assertThat(a.get("user_timeline").size()).isEqualTo(1);
            assertThat(a.get("home_timeline").toString()).contains("parity check from " + edge[0]);
            answers.put(system, a);

            smoke.put(system, SmokeBench.run(StackState.load(dir), 30, 60));

            // kill the service process behind user-timeline reads: the front end must answer (an error), not hang
            long victim = serviceProcess(dir, "UserTimelineService");
            ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
            long t0 = System.nanoTime();
            HttpResponse<String> after = get(fe + "/wrk2-api/user-timeline/read?user_id=" + edge[0] + "&start=0&stop=10");
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("[" + system + "] after killing pid " + victim + ": HTTP " + after.statusCode() + " in " + ms + " ms: "
                + after.body().trim().lines().findFirst().orElse(""));
            if (!system.equals("nightcore")) {
                assertThat(after.statusCode()).as("front end answers an error after the service died").isGreaterThanOrEqualTo(500);
            } // Nightcore replaces a dead container: a success is allowed there, a hang is not (the 20 s timeout above)
            assertThat(stack("status", "--state-dir", dir.toString()).path("up").asBoolean()).isEqualTo(system.equals("nightcore"));
        } finally {
            ObjectNode down = stack("down", "--state-dir", dir.toString());
            assertThat(down.path("down").asBoolean()).as("down: " + down).isTrue();
            assertThat(ProcessSweep.marked(dir)).as("processes left").isEmpty();
            assertThat(dir).doesNotExist();
        }
    }

    /** The JVM (not its bwrap/crun wrapper) that serves a service in the stack. */
    static long serviceProcess(Path stateDir, String service) throws IOException {
        for (long pid : ProcessSweep.marked(stateDir)) {
            String[] argv;
            try {
                argv = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).split("\0");
            } catch (IOException e) {
                continue;
            }
            if (argv.length == 0 || !argv[0].endsWith("/java")) continue;
            if (List.of(argv).contains(service) || String.join(" ", argv).contains("\"" + service + "\"")
                    || String.join(" ", argv).contains("=" + service)) {
                if (!List.of(argv).contains("io.nightcorej.microservices.common.deploy.FrontendMain")) return pid;
            }
        }
        long container = functionContainer(stateDir, service);
        if (container > 0) return container;
        throw new IllegalStateException("no process of " + service + " found");
    }

    /**
     * Nightcore's function container for a service: the engine starts it with a clean environment (so it carries no
     * stack marker) as {@code LauncherMain --ipc-root ROOT --function-id ID}; ROOT and ID come from the stack's config.
     */
    static long functionContainer(Path stateDir, String service) throws IOException {
        Path config = stateDir.resolve("nightcore.json");
        if (!Files.exists(config)) return -1;
        JsonNode root = JSON.readTree(config.toFile());
        String ipcRoot = root.path("engine").path("ipcRoot").asText();
        String id = null;
        for (JsonNode f : root.path("functions")) {
            if (f.path("name").asText().equals(service)) id = f.path("id").asText();
        }
        if (id == null) return -1;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            List<String> argv;
            try {
                argv = List.of(new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8)
                    .split("\0"));
            } catch (IOException e) {
                continue;
            }
            int flag = argv.indexOf("--function-id");
            if (!argv.isEmpty() && argv.get(0).endsWith("/java") && argv.contains("io.nightcorej.launcher.LauncherMain")
                    && argv.contains(ipcRoot) && flag >= 0 && flag + 1 < argv.size() && argv.get(flag + 1).equals(id)) {
                return p.pid();
            }
        }
        return -1;
    }

    @Test
    @Order(1)
    void rpcServers() throws Exception {
        runSystem("rpc");
    }

    @Test
    @Order(2)
    void openFaas() throws Exception {
        runSystem("openfaas");
    }

    @Test
    @Order(3)
    void nightcore() throws Exception {
        runSystem("nightcore");
    }

    @Test
    @Order(4)
    void everySystemAnswersTheSame() {
        Assumptions.assumeTrue(answers.size() >= 2, "needs two systems that ran; ran: " + answers.keySet());
        Map<String, JsonNode> first = answers.values().iterator().next();
        answers.forEach((system, a) -> assertThat(a).as(system + " vs " + answers.keySet().iterator().next()).isEqualTo(first));
    }

    @AfterAll
    void printSmoke() {
        smoke.forEach((system, r) -> System.out.println("SMOKE " + system + " " + r));
    }

}
