package io.nightcorej.ci;

import com.fasterxml.jackson.databind.JsonNode;
import io.nightcorej.analysis.CommandRunner;
import io.nightcorej.analysis.Durations;
import io.nightcorej.analysis.Experiment;
import io.nightcorej.analysis.ExperimentRunner;
import io.nightcorej.analysis.Json;
import io.nightcorej.analysis.PointResult;
import io.nightcorej.analysis.ProcessCommandRunner;
import io.nightcorej.analysis.RunData;
import io.nightcorej.analysis.StatsFetcher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ci/perf-gate.sh}: a few-minute benchmark of ratios measured in the same run, judged against
 * {@code ci/thresholds.json} by {@link GateRule}. Exit 0 = PASS or INCONCLUSIVE, 1 = FAIL (a regression beyond a
 * threshold), 2 = the benchmarks could not run at all.
 */
@Command(name = "perf-gate", mixinStandardHelpOptions = true, description = "Nightcore-J CI performance gate.")
public final class PerfGateMain implements Callable<Integer> {
    @Option(names = "--repo-root", defaultValue = ".", description = "repository root")
    Path repoRoot;
    @Option(names = "--thresholds", description = "thresholds file (default <repo-root>/ci/thresholds.json)")
    Path thresholds;
    @Option(names = "--out", description = "output folder (default <repo-root>/ci/target/perf-gate)")
    Path out;
    @Option(names = "--skip-stack", description = "only the internal-call vs RPC-hop benchmark")
    boolean skipStack;
    @Option(names = "--skip-micro", description = "only the stack-level benchmark")
    boolean skipMicro;

    private final Map<String, List<Double>> samples = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new PerfGateMain()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Path root = repoRoot.toAbsolutePath().normalize();
        GateConfig config = GateConfig.read(thresholds == null ? root.resolve("ci/thresholds.json") : thresholds);
        Path outDir = (out == null ? root.resolve("ci/target/perf-gate") : out).toAbsolutePath();
        Files.createDirectories(outDir);
        Instant t0 = Instant.now();
        if (!skipMicro) micro(root, config, outDir);
        if (!skipStack && config.stack.enabled) stack(root, config, outDir);

        GateRule rule = new GateRule(config.maxSpread, config.minSamples);
        List<GateRule.Decision> decisions = new ArrayList<>();
        for (String metric : config.metrics.keySet()) {
            boolean stackMetric = metric.startsWith("stack_");
            if (stackMetric ? skipStack || !config.stack.enabled : skipMicro) continue;
            decisions.add(rule.decide(config.threshold(metric), samples.getOrDefault(metric, List.of())));
        }
        decisions.forEach(d -> System.out.println("[perf-gate] " + d.message()));
        errors.forEach(e -> System.out.println("[perf-gate] note: " + e));
        GateRule.Verdict overall = GateRule.overall(decisions);
        // Nothing measured at all is a broken setup (a missing tool, a stack that never comes up), not noise.
        boolean broken = decisions.stream().allMatch(d -> d.samples().length == 0);
        String verdict = broken && overall != GateRule.Verdict.FAIL ? "ERROR" : overall.name();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("verdict", verdict);
        result.put("elapsed_s", Duration.between(t0, Instant.now()).toSeconds());
        List<Map<String, Object>> ds = new ArrayList<>();
        for (GateRule.Decision d : decisions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", d.metric());
            m.put("verdict", d.verdict().name());
            m.put("median", finite(d.median()));
            m.put("spread", finite(d.spread()));
            m.put("samples", d.samples());
            m.put("message", d.message());
            ds.add(m);
        }
        result.put("metrics", ds);
        result.put("errors", errors);
        result.put("raw_samples", samples);
        Json.write(outDir.resolve("result.json"), result);
        System.out.printf(Locale.ROOT, "[perf-gate] verdict %s in %ds (details: %s)%n", verdict,
            Duration.between(t0, Instant.now()).toSeconds(), outDir.resolve("result.json"));
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
            Map.of("verdict", verdict, "metrics", ds.size(), "errors", errors.size())));
        return switch (verdict) {
            case "FAIL" -> 1;
            case "ERROR" -> 2;
            default -> 0;
        };
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    // -- internal call vs RPC hop -------------------------------------------------------------------------------

    private void micro(Path root, GateConfig config, Path outDir) throws IOException {
        GateConfig.Micro m = config.micro;
        Path jar = jarOfThisClass();
        CommandRunner commands = new ProcessCommandRunner();
        for (int rep = 1; rep <= config.repetitions; rep++) {
            System.out.printf(Locale.ROOT, "[perf-gate] micro rep %d/%d: nightcore internal call, then RPC hop%n",
                rep, config.repetitions);
            double[] nc = null;
            List<String> argv = new ArrayList<>();
            argv.add(root.resolve("bin/nightcore").toString());
            argv.addAll(m.internalBenchArgs);
            CommandRunner.Result r = commands.run(argv, root, Durations.parse(m.internalBenchTimeout),
                outDir.resolve("micro-rep-" + rep + "-nightcore.log"), Map.of());
            JsonNode json = Json.parseObjectOrNull(r.lastLine());
            if (!r.ok() || json == null) {
                errors.add("bin/nightcore " + String.join(" ", m.internalBenchArgs) + " (rep " + rep + "): "
                    + (r.ok() ? "no JSON result on the last stdout line" : r.describeFailure()));
            } else {
                nc = percentilesUs(json);
                if (nc == null) errors.add("bin/nightcore bench internal: no p50/p99 (µs) in " + r.lastLine());
            }
            RpcHopBench.Result rpc = null;
            try {
                rpc = RpcHopBench.run(jar, m.payloadBytes, Durations.parse(m.warmup), Durations.parse(m.duration));
            } catch (IOException e) {
                errors.add("rpc hop bench (rep " + rep + "): " + e.getMessage());
            }
            if (rpc != null) {
                add("rpc_hop_p50_us", rpc.p50Us());
                add("rpc_hop_p99_us", rpc.p99Us());
            }
            if (nc != null) {
                add("internal_call_p50_us", nc[0]);
                add("internal_call_p99_us", nc[1]);
            }
            if (nc != null && rpc != null) {
                add("internal_call_over_rpc_hop_p50", nc[0] / rpc.p50Us());
                add("internal_call_over_rpc_hop_p99", nc[1] / rpc.p99Us());
            }
        }
    }

    /**
     * p50/p99 in µs from a bench's JSON: top-level {@code p50_us}/{@code p99_us}, else the first object (depth
     * first) that has them, else an object named {@code *_us} with {@code p50}/{@code p99}.
     */
    static double[] percentilesUs(JsonNode node) {
        if (node == null || !node.isObject()) return null;
        if (node.path("p50_us").isNumber() && node.path("p99_us").isNumber()) {
            return new double[] {node.get("p50_us").asDouble(), node.get("p99_us").asDouble()};
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().endsWith("_us") && v.path("p50").isNumber() && v.path("p99").isNumber()) {
                return new double[] {v.get("p50").asDouble(), v.get("p99").asDouble()};
            }
            double[] nested = percentilesUs(v);
            if (nested != null) return nested;
        }
        return null;
    }

    // -- Nightcore-J vs RPC servers through the stack ------------------------------------------------------------

    private void stack(Path root, GateConfig config, Path outDir) throws IOException {
        GateConfig.Stack s = config.stack;
        Experiment e = new Experiment();
        e.name = "perf-gate";
        e.storage = s.storage;
        e.warmup = s.warmup;
        e.duration = s.duration;
        e.settle = "1s";
        e.repetitions = config.repetitions;
        e.loadgenArgs = s.loadgenArgs;
        e.stackUpArgs = s.stackUpArgs;
        e.load = s.load;
        e.systems = new ArrayList<>(List.of("nightcore", "rpc"));
        Experiment.WorkloadSpec w = new Experiment.WorkloadSpec();
        w.name = s.loadgenWorkload;
        w.stackWorkload = s.workload;
        w.loadgenWorkload = s.loadgenWorkload;
        w.connections = s.connections;
        w.qps = new ArrayList<>(List.of(s.qps));
        e.workloads = new ArrayList<>(List.of(w));
        e.conclude();
        Path runDir = outDir.resolve("stack-run");
        if (Files.exists(runDir)) deleteTree(runDir);
        ExperimentRunner runner = new ExperimentRunner(e, root, runDir, Path.of("/tmp/nightcore-j-perf-gate"),
            new ProcessCommandRunner(), StatsFetcher.http(Duration.ofSeconds(10)), Clock.systemUTC(), System.out,
            d -> Thread.sleep(d.toMillis()));
        int ok = runner.run(Map.of("purpose", "perf-gate"));
        if (ok == 0) {
            errors.add("stack benchmark: no point could be measured (see " + runDir + ")");
            return;
        }
        List<PointResult> points = RunData.load(runDir).points();
        for (int rep = 1; rep <= config.repetitions; rep++) {
            PointResult nc = find(points, "nightcore", rep);
            PointResult rpc = find(points, "rpc", rep);
            if (nc == null || rpc == null) {
                PointResult failed = nc == null ? failedPoint(points, "nightcore", rep) : failedPoint(points, "rpc", rep);
                errors.add("stack rep " + rep + ": " + (nc == null ? "nightcore" : "rpc") + " not measured"
                    + (failed == null || failed.error() == null ? "" : ": " + failed.error()));
                continue;
            }
            // Throughput counts even when loadgen flagged the point: a system that answers nothing leaves every
            // connection busy, which loadgen reports as "fell behind" — that is the regression, not noise.
            if (rpc.achievedQps() > 0) add("stack_achieved_nightcore_over_rpc", nc.achievedQps() / rpc.achievedQps());
            // usable: loadgen kept its schedule, or fell behind only because the server kept every connection busy
            // (saturated: a valid, bad latency). A p99 is missing when no request succeeded: no latency sample.
            boolean latencies = Double.isFinite(nc.p99Ms()) && Double.isFinite(rpc.p99Ms()) && rpc.p99Ms() > 0
                && rpc.p50Ms() > 0;
            if (nc.usable() && rpc.usable() && latencies) {
                add("stack_p50_nightcore_over_rpc", nc.p50Ms() / rpc.p50Ms());
                add("stack_p99_nightcore_over_rpc", nc.p99Ms() / rpc.p99Ms());
            } else if (nc.usable() && rpc.usable()) {
                errors.add("stack rep " + rep + ": latency ratio skipped, a system returned no successful response");
            } else {
                errors.add("stack rep " + rep + ": latency ratio skipped, the load generator itself fell behind "
                    + "measuring " + (nc.usable() ? "rpc" : "nightcore") + ": "
                    + (nc.usable() ? rpc : nc).untrustworthyReasons());
            }
        }
    }

    private static PointResult failedPoint(List<PointResult> points, String system, int rep) {
        return points.stream().filter(p -> p.system().equals(system) && p.repetition() == rep).findFirst()
            .orElse(null);
    }

    private static PointResult find(List<PointResult> points, String system, int rep) {
        return points.stream().filter(p -> p.system().equals(system) && p.repetition() == rep && p.ok())
            .findFirst().orElse(null);
    }

    private void add(String metric, double v) {
        samples.computeIfAbsent(metric, k -> new ArrayList<>()).add(v);
    }

    private static Path jarOfThisClass() throws IOException {
        try {
            return Path.of(PerfGateMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
