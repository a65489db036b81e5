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
        assertThat(quick.workloads.get(0).adaptive.startFor("openfaas")).isEqualTo(25);
        // The 15-minute budget: every system's point budget at (warm-up + measured + settle + 4 s) stays under 11 min.
        Duration perPoint = quick.warmupDuration().plus(quick.measureDuration()).plus(quick.settleDuration())
            .plusSeconds(4);
        assertThat(perPoint.multipliedBy(quick.pointCount())).isLessThanOrEqualTo(Duration.ofMinutes(11));
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
