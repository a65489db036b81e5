package io.nightcorej.analysis;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One experiment file ({@code analysis/experiments/*.yaml} or {@code .json}): workloads × systems × offered QPS
 * levels × repetitions, with the load shape, the p99 SLO the knee search uses and how often the stack is rebuilt.
 *
 * <p>Keys are snake_case; an unknown key is an error naming the key, so a typo never silently falls back to a
 * default. {@link #conclude()} validates the whole file and fills defaults.
 */
public final class Experiment {
    /** Systems the stack tool deploys (CONTRACTS.md "Stack tool"). */
    public static final Set<String> SYSTEMS = Set.of("nightcore", "rpc", "openfaas");

    /** When the stack is torn down and redeployed on a clean state (the paper: every point). */
    public enum CleanState {
        @JsonProperty("per-point") PER_POINT,
        @JsonProperty("per-system") PER_SYSTEM
    }

    public String name = "experiment";
    public String description = "";
    public double sloP99Ms = 50;
    /** Minimum achieved ÷ offered QPS for a level to count as sustained. */
    public double minAchievedRatio = 0.95;
    /** Maximum (errors + non-2xx + timeouts) ÷ requests for a level to count as served. */
    public double maxErrorRatio = 0.01;
    public String storage = "embedded";
    public CleanState cleanState = CleanState.PER_SYSTEM;
    /** Run {@code bin/stack load} after every stack up (false: measure on the empty data set, e.g. the CI gate). */
    public boolean load = true;
    public String warmup = "5s";
    public String duration = "20s";
    /** Pause between points that share a stack (lets queues drain and GC settle). */
    public String settle = "2s";
    /** Unmeasured load at the first level right after every stack up (warms the JVMs); 0s = none. */
    public String sessionWarmup = "0s";
    public int repetitions = 1;
    /** Passed to {@code bin/stack up --cpus-sut/--cpus-loadgen} when set (CPU lists, e.g. "1" or "0-1"). */
    public String cpusSut;
    public String cpusLoadgen;
    /**
     * Extra flags, per tool, appended to every call ({@code {repo}} is replaced by the repository root):
     * {@code bin/loadgen run} (e.g. {@code [--lag-bound, 5ms]}), {@code bin/stack up} (e.g. {@code [--max-workers, 8]}),
     * {@code bin/stack load} (e.g. {@code [--set, "dataset={repo}/analysis/experiments/x.edges"]}).
     */
    public List<String> loadgenArgs = new ArrayList<>();
    public List<String> stackUpArgs = new ArrayList<>();
    public List<String> stackLoadArgs = new ArrayList<>();
    public String stackUpTimeout = "240s";
    public String stackLoadTimeout = "600s";
    public String stackDownTimeout = "90s";
    public List<String> systems = new ArrayList<>(List.of("nightcore", "rpc", "openfaas"));
    public List<WorkloadSpec> workloads = new ArrayList<>();
    /** What happens between a point that did not pass and the next point on the same stack ({@link Recovery}). */
    public Recovery recovery = new Recovery();

    /**
     * A stack shared by several points ({@code clean_state: per-system}) carries state from one point to the next.
     * After a point that did not pass (failed the knee rule, saturated the server, or outran the generator), before
     * the next point on that stack, the runner checks that the stack is back to its fresh condition:
     * <ul>
     *   <li>{@code probe} &gt; 0: an unmeasured loadgen run of that length at the session's warm-up level, repeated
     *       up to {@code max_probes} times until its p99 is within max({@code p99_factor} × the <em>baseline</em>
     *       probe taken right after the session's warm-up (same level, same length), SLO / 2), with no errors and no
     *       saturation;</li>
     *   <li>{@code redeploy}: {@code never}; {@code unrecovered} (the default): tear the stack down and deploy, load
     *       and warm up a fresh one when the probes did not recover; {@code after-fail}: always redeploy after a
     *       point that did not pass (no probes needed).</li>
     * </ul>
     * Without a probe, {@code unrecovered} has nothing to judge and the stack is reused as it is, so the defaults
     * ({@code probe: 0s}, {@code redeploy: unrecovered}) keep the behaviour before 2026-11-27 session 5. With
     * {@code clean_state: per-point} every point gets a fresh stack anyway and none of this applies.
     */
    public static final class Recovery {
        public String probe = "0s";
        public int maxProbes = 3;
        public double p99Factor = 2;
        public String redeploy = "unrecovered";

        @JsonIgnore public Duration probeDuration() {
            return Durations.parse(probe);
        }

        @JsonIgnore public boolean probes() {
            return !probeDuration().isZero() && !redeploy.equals("after-fail");
        }

        void conclude() {
            Durations.parse(probe);
            require(maxProbes >= 1, "recovery.max_probes must be >= 1");
            require(p99Factor >= 1, "recovery.p99_factor must be >= 1");
            require(List.of("never", "unrecovered", "after-fail").contains(redeploy),
                "recovery.redeploy must be never, unrecovered or after-fail");
        }
    }

    /** One workload row: what the stack deploys, what loadgen sends, and the offered levels. */
    public static final class WorkloadSpec {
        /** Label used in results and reports, e.g. {@code socialnetwork-mixed}. */
        public String name;
        /** {@code bin/stack --workload}, e.g. {@code socialnetwork}. */
        public String stackWorkload;
        /** {@code bin/loadgen run --workload}, e.g. {@code socialnetwork-mixed}. */
        public String loadgenWorkload;
        /** Path appended to the stack's frontend_url (empty: loadgen's workload builds its own paths). */
        public String path = "";
        public int connections = 64;
        public long seed = 42;
        /** Appended after the experiment-wide lists for this workload's calls (e.g. its own data set to load). */
        public List<String> stackUpArgs = new ArrayList<>();
        public List<String> stackLoadArgs = new ArrayList<>();
        public List<String> loadgenArgs = new ArrayList<>();
        public List<Double> qps = new ArrayList<>();
        /** Optional per-system levels (a slow baseline needs lower levels to show its knee). */
        public Map<String, List<Double>> qpsBySystem = new LinkedHashMap<>();
        /** {@code fixed}: measure {@code qps} (× repetitions); {@code adaptive}: search each knee ({@link #adaptive}). */
        public String levels = "fixed";
        public Adaptive adaptive;

        /** Not a bean getter on purpose: an ignored "isAdaptive" would hide the {@code adaptive} key from Jackson. */
        public boolean usesAdaptiveLevels() {
            return "adaptive".equals(levels);
        }

        public List<Double> levelsFor(String system) {
            List<Double> levels = qpsBySystem.getOrDefault(system, qps);
            return levels.stream().sorted().toList();
        }
    }

    /**
     * The adaptive knee search of one workload ({@link AdaptiveSearch}): ascend geometrically from
     * {@code start_qps} until a level fails, bisect the bracket {@code bisections} times, then repeat the bracket's
     * two levels {@code knee_repetitions} times for spread, all within {@code max_points} points per system.
     */
    public static final class Adaptive {
        public double startQps = 50;
        /** Per-system start (a slow baseline starts lower). */
        public Map<String, Double> startQpsBySystem = new LinkedHashMap<>();
        public double growth = 2;
        public double maxQps = 5000;
        public double minQps = 1;
        public int bisections = 2;
        public int kneeRepetitions = 1;
        public int maxPoints = 8;

        public double startFor(String system) {
            return startQpsBySystem.getOrDefault(system, startQps);
        }

        void conclude(String workload) {
            String at = "workloads[" + workload + "].adaptive.";
            require(startQps > 0, at + "start_qps must be > 0");
            for (var e : startQpsBySystem.entrySet()) {
                require(SYSTEMS.contains(e.getKey()), at + "start_qps_by_system: unknown system '" + e.getKey() + "'");
                require(e.getValue() != null && e.getValue() > 0, at + "start_qps_by_system values must be > 0");
            }
            require(growth > 1, at + "growth must be > 1");
            require(minQps > 0 && minQps <= maxQps, at + "min_qps must be in (0, max_qps]");
            require(bisections >= 0, at + "bisections must be >= 0");
            require(kneeRepetitions >= 0, at + "knee_repetitions must be >= 0");
            require(maxPoints >= 1, at + "max_points must be >= 1");
        }
    }

    static ObjectMapper mapperFor(Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = lower.endsWith(".yaml") || lower.endsWith(".yml")
            ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        return mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static Experiment read(Path file) throws IOException {
        try {
            return mapperFor(file).readValue(file.toFile(), Experiment.class).conclude();
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ": unknown key '" + e.getPropertyName() + "' at "
                + e.getPathReference(), e);
        }
    }

    /** Validates and returns this; errors name the offending key. */
    public Experiment conclude() {
        require(sloP99Ms > 0, "slo_p99_ms must be > 0");
        require(minAchievedRatio > 0 && minAchievedRatio <= 1, "min_achieved_ratio must be in (0, 1]");
        require(maxErrorRatio >= 0 && maxErrorRatio < 1, "max_error_ratio must be in [0, 1)");
        require(repetitions >= 1, "repetitions must be >= 1");
        require(storage.equals("embedded") || storage.equals("real"), "storage must be embedded or real");
        require(cleanState != null, "clean_state must be per-point or per-system");
        for (String key : List.of(warmup, duration, settle, sessionWarmup, stackUpTimeout, stackLoadTimeout,
            stackDownTimeout)) {
            Durations.parse(key);
        }
        require(recovery != null, "recovery must be a block (probe, max_probes, p99_factor, redeploy)");
        recovery.conclude();
        require(!systems.isEmpty(), "systems must not be empty");
        for (String s : systems) require(SYSTEMS.contains(s), "unknown system '" + s + "' (use " + SYSTEMS + ")");
        require(!workloads.isEmpty(), "workloads must not be empty");
        for (WorkloadSpec w : workloads) {
            require(w.name != null && !w.name.isBlank(), "workloads[].name is required");
            require(w.stackWorkload != null, "workloads[" + w.name + "].stack_workload is required");
            require(w.loadgenWorkload != null, "workloads[" + w.name + "].loadgen_workload is required");
            require(w.connections >= 1, "workloads[" + w.name + "].connections must be >= 1");
            require(w.stackUpArgs != null && w.stackLoadArgs != null && w.loadgenArgs != null,
                "workloads[" + w.name + "]: stack_up_args, stack_load_args and loadgen_args must be lists, not empty keys");
            require(w.levels != null && (w.levels.equals("fixed") || w.levels.equals("adaptive")),
                "workloads[" + w.name + "].levels must be fixed or adaptive");
            if (w.usesAdaptiveLevels()) {
                if (w.adaptive == null) w.adaptive = new Adaptive();
                w.adaptive.conclude(w.name);
                require(repetitions == 1, "workloads[" + w.name + "]: levels: adaptive repeats only the knee "
                    + "(adaptive.knee_repetitions); set repetitions: 1");
                require(w.qps.isEmpty() && w.qpsBySystem.isEmpty(), "workloads[" + w.name + "]: qps and "
                    + "qps_by_system are fixed levels; with levels: adaptive use adaptive.start_qps(_by_system)");
                continue;
            }
            require(w.adaptive == null, "workloads[" + w.name + "].adaptive needs levels: adaptive");
            for (String s : systems) {
                List<Double> levels = w.levelsFor(s);
                require(!levels.isEmpty(), "workloads[" + w.name + "] has no qps levels for " + s);
                for (double q : levels) require(q > 0, "workloads[" + w.name + "] qps levels must be > 0");
            }
            for (String s : w.qpsBySystem.keySet()) {
                require(SYSTEMS.contains(s), "workloads[" + w.name + "].qps_by_system: unknown system '" + s + "'");
            }
        }
        return this;
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new IllegalArgumentException("experiment: " + message);
    }

    @JsonIgnore public Duration warmupDuration() {
        return Durations.parse(warmup);
    }

    @JsonIgnore public Duration measureDuration() {
        return Durations.parse(duration);
    }

    @JsonIgnore public Duration sessionWarmupDuration() {
        return Durations.parse(sessionWarmup);
    }

    @JsonIgnore public Duration settleDuration() {
        return Durations.parse(settle);
    }

    /** Number of measured points the file describes (for an adaptive workload: its per-system budget). */
    @JsonIgnore public int pointCount() {
        int n = 0;
        for (WorkloadSpec w : workloads) {
            for (String s : systems) n += w.usesAdaptiveLevels() ? w.adaptive.maxPoints : w.levelsFor(s).size() * repetitions;
        }
        return n;
    }
}
