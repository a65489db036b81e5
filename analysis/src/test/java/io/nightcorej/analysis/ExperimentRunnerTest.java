package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExperimentRunnerTest {
    @TempDir
    Path tmp;

    /**
     * Plays bin/stack and bin/loadgen: records every command; the first {@code stack up} of the rpc system exits
     * 1, every other command succeeds and loadgen writes its --json file.
     */
    static final class FakeTools implements CommandRunner {
        final List<String> calls = new ArrayList<>();
        final List<List<String>> argvs = new ArrayList<>();
        int rpcUps;
        int failRpcUps = 1;
        boolean loadCrashesAfterResult;
        /** When set: loadgen's result JSON for an offered rate (a synthetic system); else a flat 9 ms p99. */
        java.util.function.DoubleFunction<String> loadgenResult;

        @Override
        public Result run(List<String> argv, Path workDir, Duration timeout, Path log, Map<String, String> env)
            throws IOException {
            String tool = Path.of(argv.get(0)).getFileName() + " " + argv.get(1);
            String system = arg(argv, "--system");
            calls.add(tool + (system == null ? "" : " " + system));
            argvs.add(List.copyOf(argv));
            Files.createDirectories(log.getParent());
            Files.writeString(log, String.join(" ", argv));
            if (tool.equals("stack up") && "rpc".equals(system) && rpcUps++ < failRpcUps) {
                return new Result(1, false, "", "rpc server ComposePostService did not listen on 127.0.0.1:9090\n");
            }
            if (tool.equals("stack up")) {
                String stats = system.equals("nightcore") ? ",\"stats_url\":\"http://127.0.0.1:8081/stats\"" : "";
                return new Result(0, false, "starting...\n{\"frontend_url\":\"http://127.0.0.1:8080\"" + stats
                    + ",\"state_dir\":\"" + arg(argv, "--state-dir") + "\"}\n", "");
            }
            if (tool.equals("stack load") && loadCrashesAfterResult) {
                return new Result(1, false, "{\"loaded\":\"socialnetwork\",\"seconds\":12.5}\n",
                    "Exception in thread \"main\" java.lang.NoClassDefFoundError: picocli/CommandLine\n");
            }
            if (tool.equals("loadgen run") && loadgenResult != null) {
                String json = loadgenResult.apply(Double.parseDouble(arg(argv, "--rate")));
                Files.writeString(Path.of(arg(argv, "--json")), json);
                return new Result(0, false, json + "\n", "");
            }
            if (tool.equals("loadgen run")) {
                String json = "{\"rate_target\":" + arg(argv, "--rate") + ",\"rate_achieved\":" + arg(argv, "--rate")
                    + ",\"requests\":1000,\"errors\":0,\"non_2xx\":0,\"timeouts\":0,\"p50_us\":2000,\"p99_us\":9000,"
                    + "\"p999_us\":12000,\"max_us\":15000,\"trustworthy\":true}";
                Files.writeString(Path.of(arg(argv, "--json")), json);
                return new Result(0, false, "[  1.0s] measure ...\n" + json + "\n", "");
            }
            return new Result(0, false, "{}\n", "");
        }

        static String arg(List<String> argv, String name) {
            int i = argv.indexOf(name);
            return i < 0 ? null : argv.get(i + 1);
        }
    }

    private Experiment experiment() {
        Experiment e = new Experiment();
        e.name = "test";
        e.systems = new ArrayList<>(List.of("rpc", "nightcore"));
        Experiment.WorkloadSpec w = new Experiment.WorkloadSpec();
        w.name = "socialnetwork-mixed";
        w.stackWorkload = "socialnetwork";
        w.loadgenWorkload = "socialnetwork-mixed";
        w.qps = new ArrayList<>(List.of(200.0, 100.0));
        e.workloads = new ArrayList<>(List.of(w));
        return e.conclude();
    }

    @Test
    void aFailingStackUpIsRecordedAndTheRunContinues() throws IOException {
        FakeTools tools = new FakeTools();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path runDir = tmp.resolve("results/run");
        ExperimentRunner runner = new ExperimentRunner(experiment(), tmp, runDir, tmp.resolve("state"), tools,
            uri -> "{\"engines\":[]}", Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), d -> { });

        int ok = runner.run(Map.of("commit", "abc"));

        // rpc 100 QPS failed (stack up), rpc 200 QPS ran on a fresh stack, both nightcore points ran.
        assertThat(ok).isEqualTo(3);
        JsonNode failed = Json.read(runDir.resolve("points/socialnetwork-mixed/rpc/qps-100-rep-1/point.json"));
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("error").asText())
            .isEqualTo("stack up failed: exit code 1: rpc server ComposePostService did not listen on 127.0.0.1:9090");
        JsonNode next = Json.read(runDir.resolve("points/socialnetwork-mixed/rpc/qps-200-rep-1/point.json"));
        assertThat(next.path("status").asText()).isEqualTo("ok");
        assertThat(runDir.resolve("points/socialnetwork-mixed/nightcore/qps-200-rep-1/stats.json")).exists();
        // The failed deployment is torn down; levels run in increasing order on one stack per system.
        assertThat(tools.calls).containsExactly(
            "stack up rpc", "stack down",
            "stack up rpc", "stack load", "loadgen run", "stack down",
            "stack up nightcore", "stack load", "loadgen run", "loadgen run", "stack down");
        JsonNode run = Json.read(runDir.resolve("run.json"));
        assertThat(run.path("points_ok").asInt()).isEqualTo(3);
        assertThat(run.path("points_failed").asInt()).isEqualTo(1);
        assertThat(run.path("experiment").path("slo_p99_ms").asDouble()).isEqualTo(50);
        String progress = out.toString(StandardCharsets.UTF_8);
        assertThat(progress).contains("[runner] point 1/4: socialnetwork-mixed rpc 100 qps rep 1 (fixed level")
            .contains("left").contains("point failed");
        // The report still renders from a run with a failed point.
        Report.write(runDir);
        assertThat(Files.readString(runDir.resolve("report.md"))).contains("stack up failed");
    }

    @Test
    void aSystemWhoseStackNeverComesUpIsSkippedAfterTwoAttempts() throws IOException {
        FakeTools tools = new FakeTools();
        tools.failRpcUps = 100;
        Experiment e = experiment();
        e.workloads.get(0).qps = new ArrayList<>(List.of(100.0, 200.0, 300.0));
        ExperimentRunner runner = new ExperimentRunner(e, tmp, tmp.resolve("r"), tmp.resolve("state"), tools,
            uri -> "{}", Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            d -> { });
        assertThat(runner.run(Map.of())).isEqualTo(3);
        assertThat(tools.calls.stream().filter(c -> c.equals("stack up rpc")).count()).isEqualTo(2);
        JsonNode skipped = Json.read(tmp.resolve("r/points/socialnetwork-mixed/rpc/qps-300-rep-1/point.json"));
        assertThat(skipped.path("error").asText()).startsWith("not run: the stack failed to come up 2 times");
    }

    @Test
    void aLoadThatReportedSuccessBeforeCrashingStillCounts() throws IOException {
        FakeTools tools = new FakeTools();
        tools.failRpcUps = 0;
        tools.loadCrashesAfterResult = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExperimentRunner runner = new ExperimentRunner(experiment(), tmp, tmp.resolve("r"), tmp.resolve("state"), tools,
            uri -> "{}", Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), d -> { });
        assertThat(runner.run(Map.of())).isEqualTo(4);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("warning: stack load reported");
    }

    @Test
    void checkedInExperimentFilesAreValid() throws IOException {
        Experiment quick = Experiment.read(Path.of("experiments/reproduce.yaml"));
        assertThat(quick.systems).containsExactly("nightcore", "rpc", "openfaas");
        assertThat(quick.storage).isEqualTo("embedded");
        assertThat(quick.workloads.get(0).usesAdaptiveLevels()).isTrue();
        assertThat(quick.workloads.get(0).adaptive.startFor("openfaas")).isEqualTo(50);
        // The main job's ~13-minute budget: every system's point budget at (warm-up + measured + settle + 4 s), plus
        // per system a baseline probe and a recovery probe after each expected non-passing point (the first failure,
        // the bisections, the repeated first-failing level), each probe + 4 s, stays under 10.5 min of runner time;
        // stack sessions (~45-70 s per system) come on top.
        Duration perPoint = quick.warmupDuration().plus(quick.measureDuration()).plus(quick.settleDuration())
            .plusSeconds(4);
        Experiment.Adaptive a = quick.workloads.get(0).adaptive;
        int probesPerSystem = 1 + 1 + a.bisections + a.kneeRepetitions;
        Duration probes = quick.recovery.probeDuration().plusSeconds(4).multipliedBy(probesPerSystem
            * (long) quick.systems.size());
        assertThat(perPoint.multipliedBy(quick.pointCount()).plus(probes)).isLessThanOrEqualTo(Duration.ofSeconds(630));
        Experiment full = Experiment.read(Path.of("experiments/reproduce-full.yaml"));
        assertThat(full.storage).isEqualTo("real");
        assertThat(full.cleanState).isEqualTo(Experiment.CleanState.PER_POINT);
        assertThat(full.repetitions).isGreaterThanOrEqualTo(3);
    }

    @Test
    void eachWorkloadGetsItsOwnExtraArgumentsAfterTheExperimentWideOnes() throws IOException {
        Path f = tmp.resolve("two.yaml");
        Files.writeString(f, String.join("\n",
            "name: two",
            "systems: [rpc]",
            "stack_load_args: [--set, timeout_s=400]",
            "workloads:",
            "  - name: social",
            "    stack_workload: socialnetwork",
            "    loadgen_workload: socialnetwork-mixed",
            "    qps: [100]",
            "    stack_load_args: [--set, \"dataset={repo}/graph.edges\"]",
            "  - name: hotel",
            "    stack_workload: hotelreservation",
            "    loadgen_workload: hotelreservation-mixed",
            "    qps: [100]",
            "    loadgen_args: [--lag-bound, 5ms]",
            ""));
        FakeTools tools = new FakeTools();
        tools.failRpcUps = 0;
        ExperimentRunner runner = new ExperimentRunner(Experiment.read(f), tmp, tmp.resolve("r"), tmp.resolve("state"),
            tools, uri -> "{}", Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8), d -> { });
        runner.run(Map.of());
        List<List<String>> loads = tools.argvs.stream().filter(a -> a.get(1).equals("load")).toList();
        assertThat(loads).hasSize(2);
        assertThat(loads.get(0)).containsSubsequence("--set", "timeout_s=400", "--set", "dataset=" + tmp + "/graph.edges");
        assertThat(loads.get(1)).contains("timeout_s=400").noneMatch(a -> a.startsWith("dataset="));
        List<List<String>> runs = tools.argvs.stream().filter(a -> a.get(1).equals("run")).toList();
        assertThat(runs.get(0)).doesNotContain("--lag-bound");
        assertThat(runs.get(runs.size() - 1)).containsSubsequence("--lag-bound", "5ms");
    }

    @Test
    void anUnknownKeyIsAnErrorNamingIt() throws IOException {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, "name: x\nslo_p99: 10\nworkloads: []\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Experiment.read(f))
            .hasMessageContaining("unknown key 'slo_p99'");
    }

    /**
     * A synthetic system for the adaptive search: p99 20 ms up to 200 QPS, then +1 ms per QPS; from 350 QPS every
     * connection is busy (loadgen says trustworthy=false, nearly all late sends waited for a connection).
     */
    static String syntheticLoadgen(double rate) {
        double p99Ms = rate <= 200 ? 20 : 20 + (rate - 200);
        boolean saturated = rate >= 350;
        return String.format(java.util.Locale.ROOT, "{\"rate_target\":%.1f,\"rate_achieved\":%.1f,\"requests\":%d,"
            + "\"errors\":0,\"non_2xx\":0,\"timeouts\":0,\"p50_us\":%d,\"p99_us\":%d,\"p999_us\":%d,"
            + "\"late_sends\":%d,\"no_free_connection\":%d,\"trustworthy\":%b}", rate, saturated ? rate * 0.9 : rate,
            (long) (rate * 15), (long) (p99Ms * 250), (long) (p99Ms * 1000), (long) (p99Ms * 1500),
            saturated ? 3000 : 0, saturated ? 2950 : 0, !saturated);
    }

    @Test
    void adaptiveLevelsFindTheKneeAndRecordWhyEachLevelWasChosen() throws IOException {
        FakeTools tools = new FakeTools();
        tools.loadgenResult = ExperimentRunnerTest::syntheticLoadgen;
        Experiment e = experiment();
        e.systems = new ArrayList<>(List.of("nightcore"));
        e.sloP99Ms = 100;
        Experiment.WorkloadSpec w = e.workloads.get(0);
        w.qps = new ArrayList<>();
        w.levels = "adaptive";
        w.adaptive = new Experiment.Adaptive();
        w.adaptive.startQps = 100;
        w.adaptive.bisections = 2;
        w.adaptive.kneeRepetitions = 1;
        w.adaptive.maxPoints = 8;
        e.sessionWarmup = "10s";
        e.conclude();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path runDir = tmp.resolve("adaptive");
        ExperimentRunner runner = new ExperimentRunner(e, tmp, runDir, tmp.resolve("state"), tools,
            uri -> "{\"engines\":[]}", Clock.systemUTC(), new PrintStream(out, true, StandardCharsets.UTF_8), d -> { });

        assertThat(runner.run(Map.of())).isEqualTo(7);

        // An unmeasured warm-up of the fresh stack at the start level, then
        // 100, 200 pass; 400 saturated (fail); 300 fails (120 ms); 250 passes (70 ms); bracket [250, 300] again.
        assertThat(tools.calls).containsExactly("stack up nightcore", "stack load", "loadgen run", "loadgen run",
            "loadgen run",
            "loadgen run", "loadgen run", "loadgen run", "loadgen run", "loadgen run", "stack down");
        Path system = runDir.resolve("points/socialnetwork-mixed/nightcore");
        assertThat(system.resolve("session-1/session-warmup-loadgen.json")).exists();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("warming the fresh stack up: 100 qps for 10s");
        assertThat(Json.read(system.resolve("qps-400-rep-1/point.json")).path("chosen_because").asText())
            .isEqualTo("ascend: 200 QPS passed (× 2)");
        assertThat(Json.read(system.resolve("qps-250-rep-1/point.json")).path("chosen_because").asText())
            .isEqualTo("bisect 2/2: between 200 QPS (pass) and 300 QPS (fail)");
        assertThat(system.resolve("qps-300-rep-2/point.json")).exists();
        JsonNode search = Json.read(system.resolve("search.json"));
        assertThat(search.path("last_pass_qps").asDouble()).isEqualTo(250);
        assertThat(search.path("first_fail_qps").asDouble()).isEqualTo(300);
        assertThat(search.path("trace").get(2).path("why").asText()).contains("server saturated");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("[runner] point 1/≤8: socialnetwork-mixed nightcore "
            + "100 qps rep 1 (ascend: start level)");

        Report.write(runDir);
        JsonNode nc = Json.read(runDir.resolve("summary.json")).path("workloads").path("socialnetwork-mixed")
            .path("systems").path("nightcore");
        assertThat(nc.path("knee_qps").asDouble()).isEqualTo(280.0);
        assertThat(nc.path("knee_bracket_qps").get(0).asDouble()).isEqualTo(250);
        assertThat(nc.path("knee_bracket_qps").get(1).asDouble()).isEqualTo(300);
        String md = Files.readString(runDir.resolve("report.md"));
        assertThat(md).contains("| Nightcore-J | 400 | 360 |").contains("server saturated (1 rep(s))")
            .contains("kept, server saturated").contains("bisect 2/2: between 200 QPS (pass) and 300 QPS (fail)");
    }

    /**
     * The synthetic system of {@link #syntheticLoadgen} with memory: a saturated point (≥ 350 QPS) leaves the stack
     * degraded (p99 +300 ms for everything after it) until {@code probesToRecover} low-load probes have run, or
     * until it is redeployed (a fresh {@code stack up}).
     */
    static final class DegradingSystem implements java.util.function.DoubleFunction<String> {
        final int probesToRecover;
        int degradedProbesLeft = -1;
        final List<String> probeFiles = new ArrayList<>();
        String jsonFile = "";

        DegradingSystem(int probesToRecover) {
            this.probesToRecover = probesToRecover;
        }

        @Override
        public String apply(double rate) {
            boolean probe = jsonFile.contains("probe");
            if (probe) probeFiles.add(Path.of(jsonFile).getFileName().toString());
            boolean degraded = degradedProbesLeft >= 0;
            if (probe && degraded && degradedProbesLeft-- == 0) degraded = false;
            if (!degraded) degradedProbesLeft = -1;
            String json = syntheticLoadgen(rate);
            if (degraded) {
                double p99 = rate <= 200 ? 20 : 20 + (rate - 200);
                json = json.replace("\"p99_us\":" + (long) (p99 * 1000), "\"p99_us\":" + (long) ((p99 + 300) * 1000));
            }
            if (!probe && rate >= 350) degradedProbesLeft = probesToRecover;
            return json;
        }

        void redeployed() {
            degradedProbesLeft = -1;
        }
    }

    private Experiment degradingExperiment(String redeploy, int maxProbes) {
        Experiment e = experiment();
        e.systems = new ArrayList<>(List.of("nightcore"));
        e.sloP99Ms = 100;
        e.sessionWarmup = "10s";
        e.recovery.probe = "5s";
        e.recovery.maxProbes = maxProbes;
        e.recovery.redeploy = redeploy;
        Experiment.WorkloadSpec w = e.workloads.get(0);
        w.qps = new ArrayList<>();
        w.levels = "adaptive";
        w.adaptive = new Experiment.Adaptive();
        w.adaptive.startQps = 100;
        return e.conclude();
    }

    private JsonNode runDegrading(DegradingSystem system, Experiment e, FakeTools tools, Path runDir) throws IOException {
        tools.failRpcUps = 0;
        CommandRunner inner = tools;
        CommandRunner seen = (argv, dir, timeout, log, env) -> {
            if (argv.get(1).equals("up")) system.redeployed();
            String json = FakeTools.arg(argv, "--json");
            system.jsonFile = json == null ? "" : json;
            return inner.run(argv, dir, timeout, log, env);
        };
        tools.loadgenResult = system;
        ExperimentRunner runner = new ExperimentRunner(e, tmp, runDir, tmp.resolve("state"), seen,
            uri -> "{\"engines\":[]}", Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8), d -> { });
        assertThat(runner.run(Map.of())).isEqualTo(7);
        return Json.read(runDir.resolve("points/socialnetwork-mixed/nightcore/search.json"));
    }

    @Test
    void afterASaturatedPointTheStackIsProbedUntilItIsBackToItsBaseline() throws IOException {
        DegradingSystem system = new DegradingSystem(1);
        FakeTools tools = new FakeTools();
        JsonNode search = runDegrading(system, degradingExperiment("unrecovered", 3), tools, tmp.resolve("r"));

        // 400 saturated: one probe still degraded, the second back to baseline; 300 failed (not saturated): one
        // probe, recovered. Same stack throughout, same search as without the degradation: knee bracket [250, 300].
        assertThat(tools.calls).containsExactly("stack up nightcore", "stack load", "loadgen run", "loadgen run",
            "loadgen run", "loadgen run", "loadgen run", "loadgen run", "loadgen run", "loadgen run", "loadgen run",
            "loadgen run", "loadgen run", "loadgen run", "stack down");
        assertThat(system.probeFiles).containsExactly("baseline-probe.json", "recovery-1-probe-1.json",
            "recovery-1-probe-2.json", "recovery-2-probe-1.json");
        assertThat(search.path("last_pass_qps").asDouble()).isEqualTo(250);
        assertThat(search.path("first_fail_qps").asDouble()).isEqualTo(300);
        JsonNode first = search.path("between_points").get(0);
        assertThat(first.path("after_point").asText()).startsWith("qps-400-rep-1 (p99 ");
        assertThat(first.path("before_point").asText()).isEqualTo("qps-300-rep-1");
        assertThat(first.path("baseline_p99_ms").asDouble()).isEqualTo(20.0);
        assertThat(first.path("probes").get(0).path("p99_ms").asDouble()).isEqualTo(320.0);
        assertThat(first.path("recovered").asBoolean()).isTrue();
        assertThat(first.path("redeployed").asBoolean()).isFalse();
        assertThat(first.path("action").asText()).startsWith("recovered in ");
        assertThat(search.path("between_points")).hasSize(2);
        JsonNode point = Json.read(tmp.resolve("r/points/socialnetwork-mixed/nightcore/qps-300-rep-1/point.json"));
        assertThat(point.path("state_before").path("recovered").asBoolean()).isTrue();
    }

    @Test
    void aStackThatDoesNotRecoverIsRedeployedBeforeTheNextPoint() throws IOException {
        DegradingSystem system = new DegradingSystem(100);
        FakeTools tools = new FakeTools();
        Path runDir = tmp.resolve("r");
        JsonNode search = runDegrading(system, degradingExperiment("unrecovered", 2), tools, runDir);

        // Two degraded probes after 400, then a fresh stack (down, up, load, warm-up, baseline) measures 300.
        assertThat(tools.calls.subList(7, 16)).containsExactly("loadgen run", "loadgen run", "stack down",
            "stack up nightcore", "stack load", "loadgen run", "loadgen run", "loadgen run", "loadgen run");
        JsonNode first = search.path("between_points").get(0);
        assertThat(first.path("redeployed").asBoolean()).isTrue();
        assertThat(first.path("action").asText()).isEqualTo("redeployed: not back to the baseline after 2 probe(s)");
        assertThat(first.has("redeploy_seconds")).isTrue();
        assertThat(runDir.resolve("points/socialnetwork-mixed/nightcore/session-2/baseline-probe.json")).exists();
        // 300 on the fresh stack fails on its own p99 (120 ms), not on the degradation: the knee stays in [250, 300].
        assertThat(Json.read(runDir.resolve("points/socialnetwork-mixed/nightcore/qps-300-rep-1/loadgen.json"))
            .path("p99_us").asLong()).isEqualTo(120_000);
        assertThat(search.path("last_pass_qps").asDouble()).isEqualTo(250);
        Report.write(runDir);
        assertThat(Files.readString(runDir.resolve("report.md"))).contains("Between points")
            .contains("redeployed: not back to the baseline after 2 probe(s) (new stack ready in");
    }

    @Test
    void adaptiveAndFixedLevelsAreValidatedByName() {
        Experiment e = experiment();
        e.workloads.get(0).levels = "sometimes";
        org.assertj.core.api.Assertions.assertThatThrownBy(e::conclude)
            .hasMessageContaining("workloads[socialnetwork-mixed].levels must be fixed or adaptive");
        Experiment a = experiment();
        a.workloads.get(0).levels = "adaptive";
        a.repetitions = 3;
        org.assertj.core.api.Assertions.assertThatThrownBy(a::conclude).hasMessageContaining("knee_repetitions");
    }
}
