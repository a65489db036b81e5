package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs an {@link Experiment}: for every workload and system, deploys the stack on a clean state
 * ({@code bin/stack up}, {@code bin/stack load}), and for every offered QPS level and repetition measures with
 * {@code bin/loadgen run} (which warms up first), snapshots the Nightcore engine's per-hop stats, and finally
 * tears the stack down ({@code bin/stack down}). With {@code clean_state: per-point} the stack is rebuilt for every
 * point, as the paper does.
 *
 * <p>Layout of a run directory:
 * <pre>
 * results/20261127T040000Z-4124c3e/
 *   run.json                    commit, machine, experiment, start/finish, point counts
 *   experiment.yaml             the experiment file as given
 *   points/&lt;workload&gt;/&lt;system&gt;/
 *     session-1/stack-up.log    stack tool output (one session per clean state)
 *     qps-200-rep-1/point.json  status ("ok" | "failed"), error, timings, the stack's URLs
 *                   loadgen.json  the loadgen result (CONTRACTS.md "Loadgen result JSON")
 *                   latency.hlog  loadgen's HdrHistogram interval log
 *                   stats-before.json, stats.json  gateway /stats before and after the measurement (nightcore)
 *   report.md, index.html, summary.json, *.png   written by {@link Report}
 * </pre>
 * A point that fails is recorded with its error and the run goes on; after a failure the stack is rebuilt so one
 * crash does not spoil the remaining points. After a point that was measured but did not pass, the next point on the
 * same stack waits for the stack to come back to its fresh low-load latency, or gets a redeployed stack
 * ({@link Experiment.Recovery}; recorded in {@code search.json} as {@code between_points}).
 */
public final class ExperimentRunner {
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Guessed cost of one stack up + load until the first one is measured. */
    private static final Duration INITIAL_SESSION_ESTIMATE = Duration.ofSeconds(60);
    private static final Duration POINT_OVERHEAD = Duration.ofSeconds(4);
    /** After this many failed {@code stack up}s the system's remaining points are recorded as not run. */
    static final int MAX_STACK_UP_FAILURES = 2;
    private static final long LOG_TAIL_BYTES = 256 * 1024;

    private final Experiment experiment;
    private final Path repoRoot;
    private final Path runDir;
    private final Path stateRoot;
    private final CommandRunner commands;
    private final StatsFetcher stats;
    private final Clock clock;
    private final PrintStream progress;
    private final Sleeper sleeper;

    private int pointsDone;
    /** Points the current system's plan may still ask for (the progress estimate's upper bound). */
    private int plannedLeft;
    /** Systems (workload × system) whose plan has not started yet. */
    private int systemsLeft;
    private int sessionsDone;
    private Duration sessionTimeSpent = Duration.ZERO;
    private Instant started;
    private final List<Map<String, Object>> pointIndex = new ArrayList<>();
    /** The deployed stack, if any: taken down by a shutdown hook when the runner is interrupted (Ctrl-C, SIGTERM). */
    private volatile Session current;

    /** Pauses between points; tests pass a no-op. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public ExperimentRunner(Experiment experiment, Path repoRoot, Path runDir, Path stateRoot, CommandRunner commands,
                            StatsFetcher stats, Clock clock, PrintStream progress, Sleeper sleeper) {
        this.experiment = experiment;
        this.repoRoot = repoRoot;
        this.runDir = runDir;
        this.stateRoot = stateRoot;
        this.commands = commands;
        this.stats = stats;
        this.clock = clock;
        this.progress = progress;
        this.sleeper = sleeper;
    }

    /** {@code <results>/<UTC timestamp>-<short commit>}. */
    public static Path newRunDir(Path resultsRoot, Instant now, String shortCommit) {
        return resultsRoot.resolve(STAMP.format(now) + "-" + shortCommit);
    }

    /** Points {@code <results>/latest} at the run (relative link, so the results folder can be moved). */
    public static void linkLatest(Path runDir) throws IOException {
        Path latest = runDir.getParent().resolve("latest");
        Files.deleteIfExists(latest);
        try {
            Files.createSymbolicLink(latest, runDir.getFileName());
        } catch (UnsupportedOperationException | IOException e) {
            Files.writeString(latest, runDir.getFileName().toString() + "\n");
        }
    }

    /** Runs every point; returns the number of points that succeeded. */
    public int run(Map<String, Object> stamp) throws IOException {
        started = clock.instant();
        Files.createDirectories(runDir);
        Map<String, Object> runJson = new LinkedHashMap<>(stamp);
        runJson.put("started_utc", started.toString());
        runJson.put("experiment", experimentAsTree());
        runJson.put("points_planned", experiment.pointCount());
        Json.write(runDir.resolve("run.json"), runJson);

        int ok = 0;
        Thread cleanup = new Thread(() -> {
            Session s = current;
            if (s != null) {
                progress.println("[runner] interrupted: taking the stack in " + s.stateDir + " down");
                stopSession(s);
            }
        }, "stack-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            systemsLeft = experiment.workloads.size() * experiment.systems.size();
            for (Experiment.WorkloadSpec w : experiment.workloads) {
                for (String system : experiment.systems) {
                    systemsLeft--;
                    ok += runSystem(w, system);
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException ignored) {
                // Already shutting down: the hook runs.
            }
        }
        runJson.put("finished_utc", clock.instant().toString());
        runJson.put("elapsed_s", Duration.between(started, clock.instant()).toSeconds());
        runJson.put("points_ok", ok);
        runJson.put("points_failed", pointIndex.size() - ok);
        runJson.put("points", pointIndex);
        Json.write(runDir.resolve("run.json"), runJson);
        progress.printf(Locale.ROOT, "[runner] done: %d/%d points ok in %s; results in %s%n", ok, pointIndex.size(),
            Durations.human(Duration.between(started, clock.instant())), runDir);
        return ok;
    }

    private JsonNode experimentAsTree() {
        return Json.MAPPER.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .valueToTree(experiment);
    }

    /** The level plan of one system: the fixed sweep, or the adaptive knee search. */
    LevelPlan planFor(Experiment.WorkloadSpec w, String system) {
        if (!w.usesAdaptiveLevels()) return new LevelPlan.Fixed(w.levelsFor(system), experiment.repetitions);
        return new AdaptiveSearch(w.adaptive, new KneeSearch(experiment.sloP99Ms, experiment.minAchievedRatio,
            experiment.maxErrorRatio), system);
    }

    private int runSystem(Experiment.WorkloadSpec w, String system) throws IOException {
        Path systemDir = runDir.resolve("points").resolve(w.name).resolve(system);
        Session session = null;
        int ok = 0;
        int upFailures = 0;
        String lastUpFailure = null;
        LevelPlan plan = planFor(w, system);
        plannedLeft = plan.remainingAtMost();
        LevelPlan.Planned planned;
        // The last point on the current stack did not pass: check (or rebuild) the stack before the next one.
        String notPassed = null;
        Map<String, Object> redeployed = null;
        List<Map<String, Object>> between = new ArrayList<>();
        while ((planned = plan.next()) != null) {
            double qps = planned.qps();
            int rep = planned.repetition();
            Path pointDir = systemDir.resolve(pointDirName(qps, rep));
            Instant pointStart = clock.instant();
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("workload", w.name);
            record.put("system", system);
            record.put("offered_qps", qps);
            record.put("repetition", rep);
            record.put("chosen_because", planned.reason());
            record.put("started_utc", pointStart.toString());
            boolean pointOk = false;
            try {
                if (upFailures >= MAX_STACK_UP_FAILURES) {
                    throw new PointFailure("not run: the stack failed to come up " + upFailures
                        + " times for this system (last: " + lastUpFailure + ")");
                }
                printProgress(w, system, planned);
                if (session != null && notPassed != null) {
                    Map<String, Object> check = recover(w, session, notPassed, pointDirName(qps, rep));
                    notPassed = null;
                    if (check != null) {
                        between.add(check);
                        record.put("state_before", check);
                        if (Boolean.TRUE.equals(check.get("redeployed"))) {
                            stopSession(session);
                            session = null;
                            redeployed = check;
                        }
                    }
                }
                if (session == null) {
                    Instant upStart = clock.instant();
                    try {
                        session = startSession(w, system, systemDir);
                    } catch (IOException | RuntimeException e) {
                        upFailures++;
                        lastUpFailure = e.getMessage();
                        throw e;
                    }
                    warmUpSession(w, session, warmupQps(w, system));
                    if (redeployed != null) {
                        redeployed.put("redeploy_seconds", Duration.between(upStart, clock.instant()).toMillis() / 1000.0);
                        redeployed = null;
                    }
                }
                record.put("stack", session.up);
                measure(w, system, qps, session, pointDir, record);
                pointOk = true;
            } catch (IOException | RuntimeException e) {
                record.put("error", e instanceof PointFailure ? e.getMessage() : e.toString());
                progress.println("[runner] point failed: " + w.name + " " + system + " " + fmtQps(qps)
                    + " qps rep " + rep + ": " + e.getMessage());
            }
            record.put("status", pointOk ? "ok" : "failed");
            record.put("finished_utc", clock.instant().toString());
            Json.write(pointDir.resolve("point.json"), record);
            pointIndex.add(Map.of("dir", runDir.relativize(pointDir).toString(), "status", record.get("status")));
            pointsDone++;
            if (pointOk) ok++;
            // The plan judges the point exactly as the report will: read back through RunData.
            PointResult result = readBack(pointDir, w, system, planned);
            plan.record(planned, result);
            plannedLeft = plan.remainingAtMost();
            if (w.usesAdaptiveLevels()) {
                progress.println("[runner]   -> " + describeOutcome(result) + "; " + plan.remainingAtMost()
                    + " point(s) left in this system's budget");
            }
            notPassed = result.ok() && !passed(result) ? pointDirName(qps, rep) + " (" + describeOutcome(result) + ")"
                : null;
            boolean rebuild = experiment.cleanState == Experiment.CleanState.PER_POINT || !pointOk;
            if (session != null && rebuild) {
                stopSession(session);
                session = null;
            } else if (session != null) {
                sleep(experiment.settleDuration());
            }
        }
        if (session != null) stopSession(session);
        plannedLeft = 0;
        Map<String, Object> search = new LinkedHashMap<>(plan.describe());
        search.put("workload", w.name);
        search.put("system", system);
        search.put("recovery", recoveryPolicy());
        search.put("between_points", between);
        Json.write(systemDir.resolve("search.json"), search);
        return ok;
    }

    /** The point as the report will read it; an unreadable result counts as a point that could not be measured. */
    private PointResult readBack(Path pointDir, Experiment.WorkloadSpec w, String system, LevelPlan.Planned planned) {
        try {
            return RunData.readPoint(pointDir);
        } catch (IOException | RuntimeException e) {
            return new PointResult(w.name, system, planned.qps(), planned.repetition(), false,
                "unreadable result: " + e.getMessage(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, true, "",
                null, null, pointDir);
        }
    }

    /** Measured, judged and passing the knee rule (what the plan calls "pass"). */
    private boolean passed(PointResult r) {
        return r.ok() && !r.generatorLimited() && new KneeSearch(experiment.sloP99Ms, experiment.minAchievedRatio,
            experiment.maxErrorRatio).failures(Level.of(List.of(r)).get(0)).isEmpty();
    }

    private String describeOutcome(PointResult r) {
        if (!r.ok()) return "not measured";
        if (r.generatorLimited()) return "generator fell behind (not judged)";
        List<String> why = new KneeSearch(experiment.sloP99Ms, experiment.minAchievedRatio, experiment.maxErrorRatio)
            .failures(Level.of(List.of(r)).get(0));
        return String.format(Locale.ROOT, "p99 %.1f ms, achieved %.1f: %s", r.p99Ms(), r.achievedQps(),
            why.isEmpty() ? "pass" : "fail (" + String.join(", ", why) + ")");
    }

    private static String pointDirName(double qps, int rep) {
        return "qps-" + fmtQps(qps) + "-rep-" + rep;
    }

    static String fmtQps(double qps) {
        return qps == Math.rint(qps) ? Long.toString((long) qps) : Double.toString(qps);
    }

    /**
     * A deployed stack: where its state lives, what {@code bin/stack up} reported, and (with recovery probes) the p99
     * of the baseline probe taken right after its warm-up.
     */
    private static final class Session {
        final Path stateDir;
        final Path logDir;
        final JsonNode up;
        double warmupQps = Double.NaN;
        double baselineP99Ms = Double.NaN;
        int checks;

        Session(Path stateDir, Path logDir, JsonNode up) {
            this.stateDir = stateDir;
            this.logDir = logDir;
            this.up = up;
        }
    }

    private Session startSession(Experiment.WorkloadSpec w, String system, Path systemDir) throws IOException {
        Instant t0 = clock.instant();
        int n = ++sessionsDone;
        Path logDir = systemDir.resolve("session-" + n);
        Path stateDir = stateRoot.resolve(w.name + "-" + system + "-" + n);
        // Clean state: whatever a previous (crashed) run left in this state dir is stopped and removed first.
        if (Files.exists(stateDir)) {
            commands.run(stack("down", "--state-dir", stateDir.toString()), repoRoot,
                Durations.parse(experiment.stackDownTimeout), logDir.resolve("stack-down-stale.log"), Map.of());
            deleteTree(stateDir);
        }
        List<String> up = stack("up", "--system", system, "--workload", w.stackWorkload, "--storage",
            experiment.storage, "--state-dir", stateDir.toString());
        if (experiment.cpusSut != null) up.addAll(List.of("--cpus-sut", experiment.cpusSut));
        if (experiment.cpusLoadgen != null) up.addAll(List.of("--cpus-loadgen", experiment.cpusLoadgen));
        up.addAll(expand(experiment.stackUpArgs));
        up.addAll(expand(w.stackUpArgs));
        progress.println("[runner] stack up " + system + " (" + w.stackWorkload + ", " + experiment.storage
            + " storage)");
        CommandRunner.Result r = commands.run(up, repoRoot, Durations.parse(experiment.stackUpTimeout),
            logDir.resolve("stack-up.log"), Map.of());
        JsonNode upJson = Json.parseObjectOrNull(r.lastLine());
        Session session = new Session(stateDir, logDir, upJson);
        current = session;
        if (!r.ok() || upJson == null || !upJson.hasNonNull("frontend_url")) {
            // The stack tool's own error line says which part failed; stderr's last line says why.
            String why = upJson != null && upJson.hasNonNull("error")
                ? upJson.get("error").asText() + (r.ok() ? "" : " (" + r.describeFailure() + ")")
                : !r.ok() ? r.describeFailure() : "no JSON with frontend_url on the last stdout line";
            stopSession(session);
            throw new PointFailure("stack up failed: " + why);
        }
        if (!experiment.load) {
            sessionTimeSpent = sessionTimeSpent.plus(Duration.between(t0, clock.instant()));
            return session;
        }
        List<String> loadArgv = stack("load", "--state-dir", stateDir.toString());
        loadArgv.addAll(expand(experiment.stackLoadArgs));
        loadArgv.addAll(expand(w.stackLoadArgs));
        CommandRunner.Result load = commands.run(loadArgv, repoRoot,
            Durations.parse(experiment.stackLoadTimeout), logDir.resolve("stack-load.log"), Map.of());
        JsonNode loaded = Json.parseObjectOrNull(load.lastLine());
        boolean reportedLoaded = loaded != null && loaded.has("loaded") && !loaded.has("error");
        if (!load.ok() && !reportedLoaded) {
            stopSession(session);
            throw new PointFailure("stack load failed: " + load.describeFailure());
        }
        if (!load.ok()) {
            // The tool printed its success result, then exited non-zero (seen: a crash in its own exit path). The
            // data set is loaded, so the points can run; the warning stays in the log and on the console.
            progress.println("[runner] warning: stack load reported " + load.lastLine() + " but then "
                + load.describeFailure() + "; continuing");
        }
        sessionTimeSpent = sessionTimeSpent.plus(Duration.between(t0, clock.instant()));
        return session;
    }

    private void stopSession(Session session) {
        if (current == session) current = null;
        keepStackLogs(session);
        try {
            CommandRunner.Result r = commands.run(stack("down", "--state-dir", session.stateDir.toString()), repoRoot,
                Durations.parse(experiment.stackDownTimeout), session.logDir.resolve("stack-down.log"), Map.of());
            if (!r.ok()) progress.println("[runner] warning: stack down failed: " + r.describeFailure());
        } catch (IOException e) {
            progress.println("[runner] warning: stack down failed: " + e.getMessage());
        }
    }

    /**
     * Copies the stack's own logs (the tail of each, at most {@link #LOG_TAIL_BYTES}) and its state file into the run
     * directory before {@code stack down} removes them: what a failed or slow point needs to be diagnosed.
     */
    private void keepStackLogs(Session session) {
        Path target = session.logDir.resolve("stack-logs");
        try {
            List<Path> files = new ArrayList<>();
            Path logs = session.stateDir.resolve("logs");
            if (Files.isDirectory(logs)) {
                try (var list = Files.list(logs)) {
                    list.filter(Files::isRegularFile).forEach(files::add);
                }
            }
            Path state = session.stateDir.resolve("stack.json");
            if (Files.isRegularFile(state)) files.add(state);
            for (Path f : files) {
                Files.createDirectories(target);
                long size = Files.size(f);
                try (var ch = java.nio.channels.FileChannel.open(f)) {
                    ch.position(Math.max(0, size - LOG_TAIL_BYTES));
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate((int) Math.min(size, LOG_TAIL_BYTES));
                    while (buf.hasRemaining() && ch.read(buf) >= 0) {
                        continue;
                    }
                    Files.write(target.resolve(f.getFileName()), java.util.Arrays.copyOf(buf.array(), buf.position()));
                }
            }
        } catch (IOException | RuntimeException e) {
            progress.println("[runner] warning: could not keep the stack's logs: " + e.getMessage());
        }
    }

    /**
     * A fresh stack's JVMs are cold (interpreted code, empty caches): the first point after {@code stack up} would
     * measure the JIT rather than the system. With {@code session_warmup} set, loadgen runs once at the warm-up
     * level ({@link #warmupQps}) for that long, its result kept in the session directory and never used. With
     * recovery probes, a baseline probe at the same level follows ({@link Experiment.Recovery}).
     */
    private void warmUpSession(Experiment.WorkloadSpec w, Session session, double qps) {
        session.warmupQps = qps;
        Duration d = experiment.sessionWarmupDuration();
        if (!d.isZero()) runSessionWarmup(w, session, qps, d);
        if (experiment.recovery.probes() && experiment.cleanState == Experiment.CleanState.PER_SYSTEM) {
            // The fresh stack's own low-load latency: what a recovered stack must come back to.
            Probe baseline = probe(w, session, qps, session.logDir.resolve("baseline-probe.json"));
            session.baselineP99Ms = baseline.clean() ? baseline.p99Ms : Double.NaN;
            progress.println("[runner] baseline probe: " + baseline.describe());
            sleep(experiment.settleDuration());
        }
    }

    private void runSessionWarmup(Experiment.WorkloadSpec w, Session session, double qps, Duration d) {
        progress.println("[runner] warming the fresh stack up: " + fmtQps(qps) + " qps for " + Durations.human(d)
            + " (not measured)");
        Instant t0 = clock.instant();
        try {
            List<String> argv = loadgenArgv(w, session, qps, Duration.ZERO, d,
                session.logDir.resolve("session-warmup-loadgen.json"), null);
            CommandRunner.Result r = commands.run(argv, repoRoot, d.plusSeconds(90),
                session.logDir.resolve("session-warmup-loadgen.log"), Map.of());
            if (!r.ok()) progress.println("[runner] warning: session warm-up: " + r.describeFailure());
        } catch (IOException e) {
            progress.println("[runner] warning: session warm-up: " + e.getMessage());
        }
        sessionTimeSpent = sessionTimeSpent.plus(Duration.between(t0, clock.instant()));
        sleep(experiment.settleDuration());
    }

    /** The level the stack is warmed up and probed at: the search's start level, or the lowest fixed level. */
    static double warmupQps(Experiment.WorkloadSpec w, String system) {
        return w.usesAdaptiveLevels() ? AdaptiveSearch.round(w.adaptive.startFor(system)) : w.levelsFor(system).get(0);
    }

    private Map<String, Object> recoveryPolicy() {
        Experiment.Recovery r = experiment.recovery;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("probe", r.probe);
        m.put("max_probes", r.maxProbes);
        m.put("p99_factor", r.p99Factor);
        m.put("redeploy", r.redeploy);
        return m;
    }

    /** One unmeasured low-load loadgen run and what it showed. */
    private record Probe(boolean ok, double p99Ms, double achievedQps, long errors, boolean saturated, String error) {
        boolean clean() {
            return ok && errors == 0 && !saturated && !Double.isNaN(p99Ms);
        }

        String describe() {
            if (!ok) return "not measured (" + error + ")";
            return String.format(Locale.ROOT, "p99 %.1f ms, achieved %.1f QPS%s%s", p99Ms, achievedQps,
                errors > 0 ? ", " + errors + " errors" : "", saturated ? ", server saturated" : "");
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", ok);
            if (ok) {
                m.put("p99_ms", Math.round(p99Ms * 10) / 10.0);
                m.put("achieved_qps", Math.round(achievedQps * 10) / 10.0);
                m.put("errors", errors);
                m.put("saturated", saturated);
            } else {
                m.put("error", error);
            }
            return m;
        }
    }

    private Probe probe(Experiment.WorkloadSpec w, Session session, double qps, Path jsonFile) {
        Duration d = experiment.recovery.probeDuration();
        try {
            List<String> argv = loadgenArgv(w, session, qps, Duration.ZERO, d, jsonFile, null);
            Path log = jsonFile.resolveSibling(jsonFile.getFileName().toString().replace(".json", ".log"));
            CommandRunner.Result r = commands.run(argv, repoRoot, d.plusSeconds(60), log, Map.of());
            JsonNode lg = Files.exists(jsonFile) ? Json.read(jsonFile) : Json.parseObjectOrNull(r.lastLine());
            if (!r.ok() || lg == null) {
                return new Probe(false, Double.NaN, Double.NaN, 0, false, r.ok() ? "no result JSON" : r.describeFailure());
            }
            long requests = lg.path("requests").asLong(0);
            long errors = lg.path("errors").asLong(0) + lg.path("non_2xx").asLong(0) + lg.path("timeouts").asLong(0);
            BehindCause cause = BehindCause.of(lg);
            boolean saturated = cause.cause() == BehindCause.Cause.SERVER_SATURATED
                && cause.saturatedSends() > BehindCause.ALLOWED_FRACTION * Math.max(1, requests);
            return new Probe(true, lg.path("p99_us").asDouble(Double.NaN) / 1000.0,
                lg.path("rate_achieved").asDouble(Double.NaN), errors, saturated, null);
        } catch (IOException | RuntimeException e) {
            return new Probe(false, Double.NaN, Double.NaN, 0, false, e.getMessage());
        }
    }

    /**
     * Between a point that did not pass and the next point on the same stack: probes the stack at its warm-up level
     * until it is back to its baseline (or the probes run out), and decides whether to redeploy (see
     * {@link Experiment.Recovery}). Returns what was done, for {@code search.json} and the next {@code point.json},
     * or null when the policy does nothing.
     */
    private Map<String, Object> recover(Experiment.WorkloadSpec w, Session session, String after,
                                        String before) {
        Experiment.Recovery policy = experiment.recovery;
        if (!policy.probes() && !policy.redeploy.equals("after-fail")) return null;
        Instant t0 = clock.instant();
        int n = ++session.checks;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("after_point", after);
        m.put("before_point", before);
        boolean redeploy;
        String action;
        if (policy.redeploy.equals("after-fail")) {
            redeploy = true;
            action = "redeployed (redeploy: after-fail)";
        } else {
            // Judged against the fresh stack's baseline (a low-load p99 of a few hundred requests is noisy, so never
            // tighter than half the SLO); without a baseline (its probe failed), against the SLO.
            double limit = Double.isNaN(session.baselineP99Ms) ? experiment.sloP99Ms
                : Math.max(policy.p99Factor * session.baselineP99Ms, experiment.sloP99Ms / 2);
            m.put("probe_qps", session.warmupQps);
            m.put("baseline_p99_ms", Double.isNaN(session.baselineP99Ms) ? null
                : Math.round(session.baselineP99Ms * 10) / 10.0);
            m.put("recovered_when_p99_ms_at_most", Math.round(limit * 10) / 10.0);
            List<Map<String, Object>> probes = new ArrayList<>();
            boolean recovered = false;
            for (int i = 1; i <= policy.maxProbes && !recovered; i++) {
                Probe p = probe(w, session, session.warmupQps,
                    session.logDir.resolve("recovery-" + n + "-probe-" + i + ".json"));
                probes.add(p.toMap());
                recovered = p.clean() && p.p99Ms <= limit;
                progress.println("[runner] recovery probe " + i + "/" + policy.maxProbes + " at " + fmtQps(session.warmupQps)
                    + " qps: " + p.describe() + (recovered ? ": recovered" : ""));
            }
            m.put("probes", probes);
            m.put("recovered", recovered);
            double seconds = Duration.between(t0, clock.instant()).toMillis() / 1000.0;
            if (recovered) {
                redeploy = false;
                action = String.format(Locale.ROOT, "recovered in %.1f s", seconds);
            } else if (policy.redeploy.equals("unrecovered")) {
                redeploy = true;
                action = "redeployed: not back to the baseline after " + probes.size() + " probe(s)";
            } else {
                redeploy = false;
                action = "not back to the baseline after " + probes.size() + " probe(s); continued (redeploy: never)";
            }
        }
        m.put("seconds", Duration.between(t0, clock.instant()).toMillis() / 1000.0);
        m.put("redeployed", redeploy);
        m.put("action", action);
        progress.println("[runner] after " + after + ": " + action);
        return m;
    }

    private List<String> loadgenArgv(Experiment.WorkloadSpec w, Session session, double qps, Duration warmup,
                                     Duration duration, Path jsonFile, Path hlogFile) {
        String url = session.up.get("frontend_url").asText() + w.path;
        List<String> argv = new ArrayList<>(List.of(repoRoot.resolve("bin/loadgen").toString(), "run",
            "--url", url, "--rate", fmtQps(qps), "--connections", Integer.toString(w.connections),
            "--warmup", Durations.toLoadgenArg(warmup), "--duration", Durations.toLoadgenArg(duration),
            "--workload", w.loadgenWorkload, "--seed", Long.toString(w.seed), "--json", jsonFile.toString()));
        if (hlogFile != null) argv.addAll(List.of("--hlog", hlogFile.toString()));
        argv.addAll(expand(experiment.loadgenArgs));
        argv.addAll(expand(w.loadgenArgs));
        return argv;
    }

    private void measure(Experiment.WorkloadSpec w, String system, double qps, Session session, Path pointDir,
                         Map<String, Object> record) throws IOException {
        Files.createDirectories(pointDir);
        URI statsUrl = session.up.hasNonNull("stats_url") ? URI.create(session.up.get("stats_url").asText()) : null;
        if (statsUrl != null) snapshotStats(statsUrl, pointDir.resolve("stats-before.json"), record);
        Path jsonFile = pointDir.resolve("loadgen.json");
        Path hlogFile = pointDir.resolve("latency.hlog");
        List<String> argv = loadgenArgv(w, session, qps, experiment.warmupDuration(), experiment.measureDuration(),
            jsonFile, hlogFile);
        Duration timeout = experiment.warmupDuration().plus(experiment.measureDuration()).plusSeconds(90);
        CommandRunner.Result r = commands.run(argv, repoRoot, timeout, pointDir.resolve("loadgen.log"), Map.of());
        JsonNode result = Json.parseObjectOrNull(r.lastLine());
        if (result != null && !Files.exists(jsonFile)) Json.write(jsonFile, result);
        if (!r.ok()) throw new PointFailure("loadgen failed: " + r.describeFailure());
        if (!Files.exists(jsonFile)) throw new PointFailure("loadgen printed no result JSON");
        if (statsUrl != null) snapshotStats(statsUrl, pointDir.resolve("stats.json"), record);
    }

    private void snapshotStats(URI statsUrl, Path file, Map<String, Object> record) {
        try {
            String body = stats.fetch(statsUrl);
            JsonNode parsed = Json.MAPPER.readTree(body);
            Json.write(file, parsed);
        } catch (IOException | RuntimeException e) {
            record.put("stats_error", file.getFileName() + ": " + e.getMessage());
        }
    }

    private List<String> expand(List<String> args) {
        return args.stream().map(a -> a.replace("{repo}", repoRoot.toString())).toList();
    }

    private List<String> stack(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(repoRoot.resolve("bin/stack").toString());
        argv.addAll(List.of(args));
        return argv;
    }

    private void printProgress(Experiment.WorkloadSpec w, String system, LevelPlan.Planned planned) {
        // Upper bound of what is left: this system's plan, plus every later system's full budget or sweep.
        int later = 0;
        int seen = 0;
        int systemsTotal = experiment.workloads.size() * experiment.systems.size();
        for (Experiment.WorkloadSpec ws : experiment.workloads) {
            for (String s : experiment.systems) {
                if (seen++ >= systemsTotal - systemsLeft) {
                    later += ws.usesAdaptiveLevels() ? ws.adaptive.maxPoints : ws.levelsFor(s).size() * experiment.repetitions;
                }
            }
        }
        int left = plannedLeft + later;
        Duration perPoint = experiment.warmupDuration().plus(experiment.measureDuration())
            .plus(experiment.settleDuration()).plus(POINT_OVERHEAD);
        Duration perSession = sessionsDone == 0 ? INITIAL_SESSION_ESTIMATE : sessionTimeSpent.dividedBy(sessionsDone);
        int sessionsLeft = experiment.cleanState == Experiment.CleanState.PER_POINT ? left : systemsLeft;
        Duration estimate = perPoint.multipliedBy(left).plus(perSession.multipliedBy(sessionsLeft));
        Duration elapsed = Duration.between(started, clock.instant());
        boolean adaptive = w.usesAdaptiveLevels();
        progress.printf(Locale.ROOT, "[runner] point %d/%s%d: %s %s %s qps rep %d (%s) | elapsed %s, %s%s left%n",
            pointsDone + 1, adaptive ? "≤" : "", pointsDone + left, w.name, system, fmtQps(planned.qps()),
            planned.repetition(), planned.reason(), Durations.human(elapsed), adaptive ? "≤ " : "~",
            Durations.human(estimate));
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** A point could not be measured; the message goes into point.json and the report. */
    static final class PointFailure extends IOException {
        private static final long serialVersionUID = 1L;

        PointFailure(String message) {
            super(message);
        }
    }
}
