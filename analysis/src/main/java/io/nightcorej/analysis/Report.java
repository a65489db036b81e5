package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a run directory into {@code report.md}, {@code index.html}, {@code summary.json} and PNG plots:
 * curves per system, knees under the p99 SLO, Nightcore-J's ratios over both baselines beside the paper's, the
 * engine's per-hop breakdown, flagged and failed points, and the reasons this machine differs from the paper's.
 */
public final class Report {
    private static final List<String> SYSTEM_ORDER = List.of("nightcore", "rpc", "openfaas");

    /** What the caller prints after writing the report. */
    public record Outcome(String headline, Map<String, Object> summary) {
    }

    private Report() {
    }

    public static Outcome write(Path runDir) throws IOException {
        RunData data = RunData.load(runDir);
        JsonNode exp = data.run().path("experiment");
        double slo = exp.path("slo_p99_ms").asDouble(50);
        double minAchieved = exp.path("min_achieved_ratio").asDouble(0.95);
        double maxErrors = exp.path("max_error_ratio").asDouble(0.01);
        KneeSearch search = new KneeSearch(slo, minAchieved, maxErrors);

        Set<String> workloads = new LinkedHashSet<>();
        data.points().forEach(p -> workloads.add(p.workload()));
        List<Comparison> comparisons = new ArrayList<>();
        for (String w : workloads) {
            comparisons.add(new Comparison(w, data.points().stream().filter(p -> p.workload().equals(w)).toList(),
                search, SYSTEM_ORDER));
        }

        ReportDoc doc = new ReportDoc("Nightcore-J vs RPC servers vs OpenFaaS-style: " + exp.path("name").asText("run"));
        describeRun(doc, data, exp, slo, minAchieved);
        headline(doc, comparisons);
        knees(doc, comparisons, slo);
        for (Comparison c : comparisons) curves(doc, c, slo, runDir);
        searches(doc, comparisons, runDir);
        perHop(doc, comparisons, runDir);
        divergence(doc, data, exp);
        flagged(doc, data);
        paperReference(doc);
        kneeRule(doc, slo, minAchieved, maxErrors);

        Files.writeString(runDir.resolve("report.md"), doc.markdown());
        Files.writeString(runDir.resolve("index.html"), doc.html());
        Map<String, Object> summary = summary(data, comparisons, slo, minAchieved, maxErrors);
        Json.write(runDir.resolve("summary.json"), summary);
        return new Outcome(headlineText(comparisons), summary);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void describeRun(ReportDoc doc, RunData data, JsonNode exp, double slo, double minAchieved) {
        JsonNode run = data.run();
        JsonNode m = run.path("machine");
        long ok = data.points().stream().filter(PointResult::ok).count();
        long generator = data.points().stream().filter(PointResult::generatorLimited).count();
        long saturated = data.points().stream().filter(PointResult::saturated).count();
        long tolerated = data.points().stream().filter(p -> p.usable() && !p.trustworthy() && !p.saturated()).count();
        doc.para(String.format(Locale.ROOT, "Run `%s`, commit `%s`%s, started %s, took %s. Machine: %d cores, %s, "
                + "kernel %s, %s%s. Storage: **%s**; clean state %s; warm-up %s, measured %s per point, %d "
                + "repetition(s). p99 SLO **%.0f ms**, a level also needs ≥ %.0f %% of the offered QPS achieved.",
            data.dir().getFileName(), run.path("commit").asText("unknown"),
            run.path("dirty").asBoolean(false) ? " (with uncommitted changes)" : "",
            run.path("started_utc").asText("?"), Durations.human(java.time.Duration.ofSeconds(
                run.path("elapsed_s").asLong(0))),
            m.path("cores").asInt(0), m.path("cpu_model").asText("unknown CPU"), m.path("kernel").asText("?"),
            m.path("jvm").asText("?"), m.path("virtualized").asBoolean(false) ? ", virtual machine" : "",
            exp.path("storage").asText("embedded"), exp.path("clean_state").asText("per-system"),
            exp.path("warmup").asText("?"), exp.path("duration").asText("?"), exp.path("repetitions").asInt(1),
            slo, minAchieved * 100));
        for (JsonNode w : exp.path("workloads")) {
            if (!"adaptive".equals(w.path("levels").asText())) continue;
            JsonNode a = w.path("adaptive");
            doc.para(String.format(Locale.ROOT, "Levels of %s were searched per system (adaptive): ×%s from %s QPS%s "
                    + "until a point failed, %d bisection(s) of the bracket, the bracket's two levels repeated %d "
                    + "time(s), at most %d points per system.", w.path("name").asText("?"),
                ExperimentRunner.fmtQps(a.path("growth").asDouble()),
                fmt0(a.path("start_qps").asDouble()), a.path("start_qps_by_system").isEmpty() ? ""
                    : " (" + a.path("start_qps_by_system").toString().replaceAll("[{}\"]", "").replace(":", " ")
                        .replace(",", ", ") + ")",
                a.path("bisections").asInt(), a.path("knee_repetitions").asInt(), a.path("max_points").asInt()));
        }
        doc.para(String.format(Locale.ROOT, "Points: %d measured, %d failed; %d where the load generator itself "
            + "fell behind its schedule (excluded from the knee search); %d where the server was saturated (every "
            + "connection busy: valid measurements, kept); %d distrusted by loadgen with neither cause beyond its "
            + "tolerance (kept, judged on their numbers).", ok, data.points().size() - ok, generator, saturated,
            tolerated));
    }

    private static void headline(ReportDoc doc, List<Comparison> comparisons) {
        doc.heading(2, "Headline: our ratios beside the paper's");
        List<List<String>> rows = new ArrayList<>();
        for (Comparison c : comparisons) {
            rows.add(List.of(c.workload, "throughput at the p99 SLO, Nightcore-J ÷ RPC servers", "1.36×–2.93×",
                c.ratioQualifier("nightcore", "rpc") + Comparison.fmtRatio(c.nightcoreOverRpc)
                    + spread(c.ratioSpread("nightcore", "rpc")) + brackets(c, "nightcore", "rpc"),
                c.throughputVerdict()));
            rows.add(List.of(c.workload, "p99 change vs RPC servers at the RPC knee", "up to −69 %",
                Comparison.fmtPct(c.p99ReductionVsRpc) + p99Detail(c), c.p99Verdict()));
            rows.add(List.of(c.workload, "throughput at the p99 SLO, Nightcore-J ÷ OpenFaaS-style",
                "OpenFaaS far behind (Figure 7; no single ratio quoted)",
                c.ratioQualifier("nightcore", "openfaas") + Comparison.fmtRatio(c.nightcoreOverOpenfaas)
                    + spread(c.ratioSpread("nightcore", "openfaas")) + brackets(c, "nightcore", "openfaas"),
                c.openfaasVerdict()));
        }
        doc.table(List.of("workload", "claim", "paper", "this run", "verdict"), rows);
    }

    /** " (knees 290 in [250, 300] ÷ 241 in [200, 300] QPS)": the interpolated knees a ratio rests on. */
    private static String brackets(Comparison c, String a, String b) {
        KneeSearch.Knee ka = c.knees.get(a);
        KneeSearch.Knee kb = c.knees.get(b);
        if (ka == null || kb == null) return "";
        return " (knees " + kneeText(ka) + " in " + ka.bracket() + " ÷ " + kneeText(kb) + " in " + kb.bracket()
            + " QPS)";
    }

    private static String p99Detail(Comparison c) {
        if (c.p99AtRpcKnee == null || c.p99ReductionVsRpc == null) return "";
        return String.format(Locale.ROOT, " (%.1f → %.1f ms at %.0f QPS)", c.p99AtRpcKnee[0], c.p99AtRpcKnee[1],
            c.p99AtRpcKnee[2]);
    }

    private static String spread(double[] s) {
        if (s == null) return "";
        return String.format(Locale.ROOT, " (reps: %.2f–%.2f, median %.2f)", s[0], s[2], s[1]);
    }

    private static void knees(ReportDoc doc, List<Comparison> comparisons, double slo) {
        doc.heading(2, "Maximum throughput under the p99 SLO (" + fmt(slo) + " ms)");
        List<List<String>> rows = new ArrayList<>();
        for (Comparison c : comparisons) {
            for (var e : c.knees.entrySet()) {
                KneeSearch.Knee k = e.getValue();
                double[] s = c.kneeSpread(e.getKey());
                double p50 = kneeP50(c.curves.get(e.getKey()), k);
                KneeSearch.Knee ik = c.indicativeKnees.get(e.getKey());
                rows.add(List.of(c.workload, Plots.label(e.getKey()), kneeText(k), k.bracket(),
                    k.kind().label, fmt(k.p99Ms()), fmt(p50),
                    s == null ? "" : fmt0(s[0]) + "–" + fmt0(s[2]), k.note(), ik == null ? "" : kneeText(ik)));
            }
        }
        doc.table(List.of("workload", "system", "knee QPS", "bracket [last pass, first fail]", "how",
            "p99 there (ms)", "p50 there (ms)", "knee range over reps", "note",
            "indicative knee incl. generator-limited points"), rows);
        doc.para("The knee lies inside its bracket: the highest offered level that met every rule and the first "
            + "level above it that did not. The knee QPS is the linear interpolation to where p99 reaches the SLO; "
            + "ratios use these interpolated knees, so read them together with the brackets.");
        doc.para("The last column repeats the knee search counting the points where the load generator itself fell "
            + "behind. It is **indicative only** (the offered load of those points was not delivered on schedule) "
            + "and never feeds the ratios or verdicts; it is there so a run on a saturated machine still shows where "
            + "the curves bend.");
    }

    private static String kneeText(KneeSearch.Knee k) {
        return k.kind() == KneeSearch.Kind.NONE ? "< lowest level"
            : (k.kind() == KneeSearch.Kind.LOWER_BOUND ? "≥ " : "") + fmt0(k.qps());
    }

    private static double kneeP50(List<Level> levels, KneeSearch.Knee k) {
        if (k.kind() == KneeSearch.Kind.NONE) return Double.NaN;
        List<Level> usable = levels.stream().filter(Level::usable).toList();
        for (int i = 0; i < usable.size(); i++) {
            Level l = usable.get(i);
            if (l.offeredQps() == k.qps()) return l.p50Ms();
            if (i + 1 < usable.size() && l.offeredQps() < k.qps() && usable.get(i + 1).offeredQps() > k.qps()) {
                Level n = usable.get(i + 1);
                return l.p50Ms() + (k.qps() - l.offeredQps()) / (n.offeredQps() - l.offeredQps())
                    * (n.p50Ms() - l.p50Ms());
            }
        }
        return Double.NaN;
    }

    private static void curves(ReportDoc doc, Comparison c, double slo, Path runDir) throws IOException {
        doc.heading(2, "Latency vs QPS: " + c.workload);
        String latency = "latency-" + c.workload + ".png";
        String throughput = "throughput-" + c.workload + ".png";
        try {
            Plots.latencyVsQps(c, slo, runDir.resolve(latency));
            Plots.throughput(c, runDir.resolve(throughput));
            if (Files.exists(runDir.resolve(latency))) doc.image(latency, "p50/p99 vs offered QPS, " + c.workload);
            if (Files.exists(runDir.resolve(throughput))) doc.image(throughput, "achieved vs offered QPS");
        } catch (RuntimeException | Error e) {
            doc.para("(plots could not be drawn: " + e + ")");
        }
        List<List<String>> rows = new ArrayList<>();
        for (var e : c.curves.entrySet()) {
            for (Level l : e.getValue()) {
                List<String> flags = new ArrayList<>();
                if (l.generatorLimitedReps() > 0) {
                    flags.add(l.generatorLimitedReps() + " rep(s) the generator fell behind (excluded)");
                }
                long distrustedKept = l.points().stream().filter(p -> p.usable() && !p.trustworthy() && !p.saturated())
                    .count();
                if (distrustedKept > 0) flags.add("loadgen distrust within its tolerance (" + distrustedKept + " rep(s))");
                long beyond = l.points().stream().filter(p -> p.usable() && p.saturatedBeyondBound()).count();
                if (beyond > 0) flags.add("server saturated (" + beyond + " rep(s))");
                if (l.saturatedReps() > beyond) {
                    flags.add("brief connection waits within loadgen's 1 % tolerance (" + (l.saturatedReps() - beyond)
                        + " rep(s))");
                }
                if (l.failedReps() > 0) flags.add(l.failedReps() + " rep(s) failed");
                double p999 = Level.median(l.points().stream().filter(PointResult::usable)
                    .mapToDouble(PointResult::p999Ms).toArray());
                String hlog = hlogCheck(l);
                if (!hlog.isEmpty()) flags.add(hlog);
                // A level with only flagged points still shows its raw numbers, marked (flagged), never hidden.
                Level v = l.usable() ? l : Level.aggregate(l.offeredQps(), l.points(), true);
                String mark = l.usable() || !v.usable() ? "" : " (flagged)";
                rows.add(List.of(Plots.label(e.getKey()), fmt0(l.offeredQps()), fmt0(v.achievedQps()) + mark,
                    fmt(v.p50Ms()) + mark, fmt(v.p99Ms()) + mark,
                    l.usableReps() > 1 ? fmt(l.p99MinMs()) + "–" + fmt(l.p99MaxMs()) : "", fmt(p999),
                    Double.isFinite(l.errorRatio()) ? String.format(Locale.ROOT, "%.2f %%", l.errorRatio() * 100) : "",
                    l.usableReps() + "/" + l.points().size(),
                    l.usable() && l.p99Ms() <= slo ? "yes" : "no", String.join("; ", flags)));
            }
        }
        doc.table(List.of("system", "offered QPS", "achieved QPS", "p50 (ms)", "p99 (ms)", "p99 range over reps",
            "p99.9 (ms)", "errors", "usable reps", "p99 ≤ SLO", "flags"), rows);
    }

    /** The adaptive search's trace per system ({@code search.json}): which level was measured next and why. */
    private static void searches(ReportDoc doc, List<Comparison> comparisons, Path runDir) throws IOException {
        boolean headed = false;
        for (Comparison c : comparisons) {
            for (String system : c.curves.keySet()) {
                Path file = runDir.resolve("points").resolve(c.workload).resolve(system).resolve("search.json");
                if (!Files.exists(file)) continue;
                JsonNode search = Json.read(file);
                if (!"adaptive".equals(search.path("levels").asText())) continue;
                if (!headed) {
                    doc.heading(2, "How the levels were chosen (adaptive knee search)");
                    doc.para("Per system: ascend geometrically from the start level until a point fails the rule "
                        + "(p99, achieved rate, errors, server saturated), bisect between the last passing and the "
                        + "first failing level, then repeat those two levels for spread, within a point budget. A "
                        + "point where the load generator itself fell behind is not judged: it only caps the search.");
                    headed = true;
                }
                List<List<String>> rows = new ArrayList<>();
                int i = 0;
                for (JsonNode t : search.path("trace")) {
                    rows.add(List.of(Integer.toString(++i), fmt0(t.path("offered_qps").asDouble()),
                        t.path("repetition").asText(), t.path("chosen_because").asText(), t.path("outcome").asText(),
                        t.path("why").asText()));
                }
                doc.para(String.format(Locale.ROOT, "**%s, %s**: start %s QPS, growth ×%s, %d bisection(s), %d knee "
                        + "repetition(s), budget %d points. Stopped: %s.", c.workload, Plots.label(system),
                    fmt0(search.path("start_qps").asDouble()), search.path("growth").asText(),
                    search.path("bisections").asInt(), search.path("knee_repetitions").asInt(),
                    search.path("max_points").asInt(), search.path("stopped_because").asText("?")));
                doc.table(List.of("#", "offered QPS", "rep", "chosen because", "outcome", "detail"), rows);
                betweenPoints(doc, search);
            }
        }
    }

    /**
     * What the runner did to the shared stack between a point that did not pass and the next one (recovery probes,
     * redeploys; {@code between_points} of {@code search.json}), so a reader sees which points ran on a fresh or
     * recovered stack.
     */
    private static void betweenPoints(ReportDoc doc, JsonNode search) {
        JsonNode events = search.path("between_points");
        if (!events.isArray() || events.isEmpty()) return;
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode e : events) {
            List<String> probes = new ArrayList<>();
            for (JsonNode p : e.path("probes")) {
                probes.add(p.path("ok").asBoolean() ? fmt1(p.path("p99_ms").asDouble())
                    + (p.path("saturated").asBoolean() ? " (saturated)" : "")
                    + (p.path("errors").asLong() > 0 ? " (" + p.path("errors").asLong() + " errors)" : "")
                    : "not measured");
            }
            String baseline = (e.path("baseline_p99_ms").isNumber() ? fmt1(e.path("baseline_p99_ms").asDouble()) : "–")
                + (e.path("recovered_when_p99_ms_at_most").isNumber()
                ? " → ≤ " + fmt1(e.path("recovered_when_p99_ms_at_most").asDouble()) : "");
            String action = e.path("action").asText();
            if (e.has("redeploy_seconds")) {
                action += String.format(Locale.ROOT, " (new stack ready in %.0f s)", e.path("redeploy_seconds").asDouble());
            }
            rows.add(List.of(e.path("after_point").asText(), e.path("before_point").asText(),
                probes.isEmpty() ? "–" : String.join(", ", probes), baseline, action));
        }
        JsonNode policy = search.path("recovery");
        doc.para(String.format(Locale.ROOT, "Between points (recovery: probe %s at the warm-up level, up to %s "
                + "probe(s), recovered when p99 ≤ max(%s× the fresh stack's baseline probe, SLO / 2) with no errors "
                + "and no saturation; redeploy: %s):",
            policy.path("probe").asText("?"), policy.path("max_probes").asText("?"),
            policy.path("p99_factor").asText("?"), policy.path("redeploy").asText("?")));
        doc.table(List.of("after", "before", "probe p99 (ms)", "baseline p99 → limit (ms)", "action"), rows);
    }

    /** Flags a point whose .hlog p99 disagrees with its JSON p99 by more than 10 % (a recording mismatch). */
    private static String hlogCheck(Level l) {
        List<String> bad = new ArrayList<>();
        for (PointResult p : l.points()) {
            if (p.hlog() == null || p.hlog().count() == 0 || !Double.isFinite(p.p99Ms())) continue;
            double hlogMs = p.hlog().p99Us() / 1000.0;
            if (Math.abs(hlogMs - p.p99Ms()) > 0.1 * Math.max(p.p99Ms(), 0.001)) {
                bad.add(String.format(Locale.ROOT, "rep %d hlog p99 %.1f ms ≠ JSON %.1f ms", p.repetition(), hlogMs,
                    p.p99Ms()));
            }
        }
        return String.join("; ", bad);
    }

    private static void perHop(ReportDoc doc, List<Comparison> comparisons, Path runDir) throws IOException {
        doc.heading(2, "Per-hop breakdown inside the Nightcore-J engine");
        boolean any = false;
        for (Comparison c : comparisons) {
            PointResult p = perHopPoint(c);
            if (p == null) continue;
            List<PerHop.Row> rows = PerHop.rows(p.stats(), p.statsBefore());
            if (rows.isEmpty()) continue;
            any = true;
            boolean deltas = p.statsBefore() != null;
            doc.para(String.format(Locale.ROOT, "%s at %s offered QPS (repetition %d). **Calls and failures are this "
                    + "point's own** (difference of the gateway `/stats` snapshots taken before loadgen started and "
                    + "after it finished, so they include its warm-up)%s. **Percentiles and τ are cumulative since the "
                    + "engine started** (data load, warm-ups and earlier points of the same stack session included): "
                    + "the engine reports only counts and percentiles, and percentiles cannot be differenced. Times "
                    + "in µs.%s", c.workload, fmt0(p.offeredQps()), p.repetition(),
                deltas ? "" : " — no before-snapshot for this point, so the totals since engine start are shown",
                p.usable() ? "" : " **This point was flagged by loadgen (see below); no trusted point had stats.**"));
            List<List<String>> table = new ArrayList<>();
            for (PerHop.Row r : rows) {
                table.add(List.of(r.function(), deltas ? Long.toString(r.callsDelta()) : "–",
                    deltas ? Long.toString(r.failuresDelta()) : "–", Long.toString(r.calls()), fmt(r.tau()),
                    fmt0(r.queueingP50Us()) + " / " + fmt0(r.queueingP99Us()),
                    fmt0(r.dispatchP50Us()) + " / " + fmt0(r.dispatchP99Us()),
                    fmt0(r.processingP50Us()) + " / " + fmt0(r.processingP99Us()),
                    fmt0(r.totalP50Us()) + " / " + fmt0(r.totalP99Us())));
            }
            doc.table(List.of("function", "calls in point", "failures in point", "calls since start", "τ (cum.)",
                "queueing p50 / p99 (cum.)", "dispatch p50 / p99 (cum.)", "processing p50 / p99 (cum.)",
                "total p50 / p99 (cum.)"), table);
            perPointTotals(doc, c);
            String png = "per-hop-" + c.workload + ".png";
            try {
                Plots.perHop(c.workload + ": engine per-hop p50 at " + fmt0(p.offeredQps()) + " QPS", rows,
                    runDir.resolve(png));
                if (Files.exists(runDir.resolve(png))) doc.image(png, "per-hop p50 per function");
            } catch (RuntimeException | Error e) {
                doc.para("(plot could not be drawn: " + e + ")");
            }
        }
        if (!any) doc.para("No engine stats in this run (no Nightcore-J point with a `stats.json`).");
    }

    /** One row per Nightcore-J point with both snapshots: the engine and gateway work of that point alone. */
    private static void perPointTotals(ReportDoc doc, Comparison c) {
        List<List<String>> rows = new ArrayList<>();
        for (Level l : c.curves.get("nightcore")) {
            for (PointResult p : l.points()) {
                PerHop.PointTotals t = PerHop.totals(p.stats(), p.statsBefore());
                if (t == null) continue;
                rows.add(List.of(fmt0(p.offeredQps()), Integer.toString(p.repetition()), Long.toString(t.engineCalls()),
                    Long.toString(t.engineFailures()), Long.toString(t.gatewayCalls()), fmt0(t.gatewayMeanUs()),
                    p.generatorLimited() ? "generator fell behind" : p.saturated() ? "server saturated" : ""));
            }
        }
        if (rows.isEmpty()) return;
        doc.para("Engine and gateway work per Nightcore-J point (differences of the before/after snapshots; the "
            + "gateway mean is exact: sum = mean × calls, differenced). Engine calls count every internal function "
            + "call; gateway calls are the front end's external calls.");
        doc.table(List.of("offered QPS", "rep", "engine calls", "engine failures", "gateway calls",
            "gateway mean (µs)", "flags"), rows);
    }

    /** The Nightcore point at its knee level (the highest usable level not above the knee), else its lowest. */
    private static PointResult perHopPoint(Comparison c) {
        List<Level> levels = c.curves.get("nightcore");
        if (levels == null) return null;
        KneeSearch.Knee k = c.knees.get("nightcore");
        Level chosen = null;
        for (Level l : levels) {
            boolean hasStats = l.points().stream().anyMatch(p -> p.usable() && p.stats() != null);
            if (!hasStats) continue;
            if (chosen == null || (l.offeredQps() <= k.qps() && l.offeredQps() > chosen.offeredQps())) chosen = l;
        }
        if (chosen == null) {
            // No trusted point: fall back to the lowest measured one (the caller says it was flagged).
            return levels.stream().flatMap(l -> l.points().stream()).filter(p -> p.ok() && p.stats() != null)
                .findFirst().orElse(null);
        }
        return chosen.points().stream().filter(p -> p.usable() && p.stats() != null).findFirst().orElse(null);
    }

    private static void divergence(ReportDoc doc, RunData data, JsonNode exp) {
        doc.heading(2, "Why this run differs from the paper");
        JsonNode m = data.run().path("machine");
        List<String> reasons = new ArrayList<>();
        reasons.add(String.format(Locale.ROOT, "**Cores.** The paper runs the functions and engine on a dedicated "
            + "8-vCPU c5.2xlarge, with MongoDB, caches, the front end and the client on separate VMs. Here %d "
            + "core(s) are shared by the system under test, its storage, the front end and the load generator, so "
            + "the knees are far lower and the systems compete with loadgen for CPU.", m.path("cores").asInt(0)));
        if ("embedded".equals(exp.path("storage").asText("embedded"))) {
            reasons.add("**Storage.** Embedded Java stand-ins (mongo-java-server, our RESP and memcached-protocol "
                + "servers) in the same machine, not MongoDB 4.2/Redis 6/memcached 1.5 on their own VM; storage time "
                + "is a larger and differently shaped share of each request.");
        }
        if (m.path("virtualized").asBoolean(false)) {
            reasons.add("**Hardware.** A virtual machine (the CPU reports a hypervisor) of unknown host and "
                + "neighbours; timer and scheduling noise is higher than on the paper's EC2 placement group.");
        }
        reasons.add("**Runtime.** Services are Java (JIT, GC) in every system, not the paper's C++ Thrift services; "
            + "JVM warm-up and GC pauses move the tail of all three systems.");
        reasons.add(String.format(Locale.ROOT, "**Method.** %s warm-up and %s measured per point (paper: 30 s and "
                + "150 s)%s.", exp.path("warmup").asText("?"), exp.path("duration").asText("?"),
            "per-system".equals(exp.path("clean_state").asText("per-system"))
                ? "; the stack is deployed once per system and every level runs on it (in increasing order for a "
                + "fixed sweep; the adaptive search revisits lower levels when it bisects, after checking that "
                + "the stack is back to its fresh low-load latency or redeploying it: \"Between points\" under "
                + "\"How the levels were chosen\"), where the paper redeploys and reloads for every point" : ""));
        reasons.forEach(doc::para);
    }

    private static void flagged(ReportDoc doc, RunData data) {
        List<List<String>> rows = new ArrayList<>();
        for (PointResult p : data.points()) {
            if (p.ok() && p.trustworthy()) continue;
            String why = !p.ok() ? "failed: " + (p.error() == null ? "unknown error" : p.error())
                : p.saturated() ? String.format(Locale.ROOT, "kept, server saturated: loadgen reported "
                    + "trustworthy=false because %s; the corrected latencies include the wait for a connection; "
                    + "%.2f %% of sends waited (%s loadgen's 1 %% tolerance%s)", p.behindCause().describe(),
                    100.0 * p.behindCause().saturatedSends() / Math.max(1, p.requests()),
                    p.saturatedBeyondBound() ? "beyond" : "within",
                    p.saturatedBeyondBound() ? ": the point fails on saturation" : ": judged on its own numbers")
                : p.usable() ? "kept: loadgen reported trustworthy=false, but " + p.behindCause().describe()
                    + "; judged on its own numbers" + (p.untrustworthyReasons().isEmpty() ? ""
                        : " (loadgen: " + p.untrustworthyReasons() + ")")
                : "loadgen reported trustworthy=false; excluded, " + p.behindCause().describe()
                    + (p.untrustworthyReasons().isEmpty() ? "" : ": " + p.untrustworthyReasons());
            rows.add(List.of(p.workload(), Plots.label(p.system()), fmt0(p.offeredQps()),
                Integer.toString(p.repetition()), why, data.dir().relativize(p.dir()).toString()));
        }
        doc.heading(2, "Flagged and failed points");
        if (rows.isEmpty()) {
            doc.para("None: every point was measured and trustworthy.");
        } else {
            doc.table(List.of("workload", "system", "offered QPS", "rep", "why", "directory"), rows);
        }
    }

    private static void paperReference(ReportDoc doc) {
        doc.heading(2, "For reference: the paper artifact's Nightcore numbers (8 vCPU, separate storage VMs)");
        doc.table(List.of("workload", "QPS → p50 / p99 (ms)"), List.of(
            List.of("SocialNetwork write", "1000 → 4.86/6.58; 1500 → 5.22/7.12; 1800 → 5.83/8.68; 2000 → 6.69/10.02"),
            List.of("SocialNetwork mixed", "4000 → 2.65/7.72; 4500 → 2.58/7.87; 5000 → 3.14/9.79; 5500 → 2.92/10.69"),
            List.of("MovieReviewing", "1000 → 5.45/7.24; 1400 → 6.12/7.80; 1600 → 6.48/8.37; 1800 → 7.05/9.86"),
            List.of("HotelReservation", "3000 → 2.21/9.12; 4000 → 2.52/11.24; 5000 → 3.20/13.76; 6000 → 4.04/19.76")));
        doc.para("Headline claim (paper): 1.36×–2.93× higher throughput than containerized RPC servers at equal tail "
            + "latency, and up to 69 % lower tail latency.");
    }

    private static void kneeRule(ReportDoc doc, double slo, double minAchieved, double maxErrors) {
        doc.heading(2, "How the knee is found");
        doc.para(String.format(Locale.ROOT, "Per system, levels are aggregated over repetitions (medians of the "
                + "usable repetitions; failed points and points where the load generator itself fell behind are "
                + "excluded; points where the server kept every connection busy are kept as saturated). A level "
                + "passes when p99 ≤ %s ms, achieved ≥ %.0f %% of offered, errors ≤ %.1f %% and the server was not "
                + "saturated. The knee is the highest passing level; if the next level's p99 exceeds the SLO, the "
                + "knee is interpolated linearly to where p99 reaches the SLO (capped at what that level achieved); "
                + "the two levels are the knee's bracket [last pass, first fail]. If every level passes "
                + "the knee is only a lower bound (≥), and a ratio involving it is a bound too. Tail-latency "
                + "reduction compares both systems' p99, interpolated at the RPC servers' knee QPS.",
            fmt(slo), minAchieved * 100, maxErrors * 100));
    }

    // ---------------------------------------------------------------------------------------------------------

    private static Map<String, Object> summary(RunData data, List<Comparison> comparisons, double slo,
                                               double minAchieved, double maxErrors) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("run", data.dir().getFileName().toString());
        s.put("commit", data.run().path("commit").asText("unknown"));
        s.put("machine", data.run().path("machine"));
        s.put("slo_p99_ms", slo);
        s.put("min_achieved_ratio", minAchieved);
        s.put("max_error_ratio", maxErrors);
        s.put("paper", Map.of("throughput_gain_vs_rpc", List.of(Comparison.PAPER_GAIN_MIN, Comparison.PAPER_GAIN_MAX),
            "p99_reduction_vs_rpc_max", Comparison.PAPER_P99_REDUCTION_MAX));
        Map<String, Object> ws = new LinkedHashMap<>();
        for (Comparison c : comparisons) {
            Map<String, Object> w = new LinkedHashMap<>();
            Map<String, Object> systems = new LinkedHashMap<>();
            for (var e : c.knees.entrySet()) {
                KneeSearch.Knee k = e.getValue();
                Map<String, Object> sys = new LinkedHashMap<>();
                sys.put("knee_qps", k.kind() == KneeSearch.Kind.NONE ? null : round(k.qps()));
                sys.put("knee_kind", k.kind().json());
                sys.put("knee_bracket_qps", java.util.Arrays.asList(num(k.lastPassQps()), num(k.firstFailQps())));
                KneeSearch.Knee ik = c.indicativeKnees.get(e.getKey());
                sys.put("indicative_knee_qps_incl_flagged", ik == null || ik.kind() == KneeSearch.Kind.NONE ? null
                    : round(ik.qps()));
                sys.put("indicative_knee_kind", ik == null ? null : ik.kind().json());
                sys.put("p99_at_knee_ms", num(k.p99Ms()));
                sys.put("p50_at_knee_ms", num(kneeP50(c.curves.get(e.getKey()), k)));
                double[] spread = c.kneeSpread(e.getKey());
                if (spread != null) sys.put("knee_qps_reps", List.of(spread[0], spread[1], spread[2]));
                List<Map<String, Object>> levels = new ArrayList<>();
                for (Level l : c.curves.get(e.getKey())) {
                    Map<String, Object> lv = new LinkedHashMap<>();
                    lv.put("offered_qps", l.offeredQps());
                    lv.put("achieved_qps", num(l.achievedQps()));
                    lv.put("p50_ms", num(l.p50Ms()));
                    lv.put("p99_ms", num(l.p99Ms()));
                    lv.put("p99_min_ms", num(l.p99MinMs()));
                    lv.put("p99_max_ms", num(l.p99MaxMs()));
                    lv.put("usable_reps", l.usableReps());
                    lv.put("untrustworthy_reps", l.points().stream().filter(p -> p.ok() && !p.trustworthy()).count());
                    lv.put("generator_limited_reps", l.generatorLimitedReps());
                    lv.put("saturated_reps", l.saturatedReps());
                    lv.put("failed_reps", l.failedReps());
                    levels.add(lv);
                }
                sys.put("levels", levels);
                Path searchFile = data.dir().resolve("points").resolve(c.workload).resolve(e.getKey())
                    .resolve("search.json");
                if (Files.exists(searchFile)) {
                    try {
                        JsonNode search = Json.read(searchFile);
                        if ("adaptive".equals(search.path("levels").asText())) {
                            sys.put("search_stopped_because", search.path("stopped_because").asText(null));
                            sys.put("search_points", search.path("trace").size());
                        }
                    } catch (IOException ex) {
                        sys.put("search_error", ex.getMessage());
                    }
                }
                systems.put(e.getKey(), sys);
            }
            w.put("systems", systems);
            w.put("nightcore_over_rpc", num(c.nightcoreOverRpc));
            w.put("nightcore_over_rpc_qualifier", c.ratioQualifier("nightcore", "rpc"));
            w.put("nightcore_over_openfaas", num(c.nightcoreOverOpenfaas));
            w.put("nightcore_over_openfaas_qualifier", c.ratioQualifier("nightcore", "openfaas"));
            w.put("p99_reduction_vs_rpc", num(c.p99ReductionVsRpc));
            double[] rs = c.ratioSpread("nightcore", "rpc");
            if (rs != null) w.put("nightcore_over_rpc_reps", List.of(rs[0], rs[1], rs[2]));
            w.put("verdict_throughput_vs_rpc", c.throughputVerdict());
            w.put("verdict_p99_vs_rpc", c.p99Verdict());
            w.put("verdict_throughput_vs_openfaas", c.openfaasVerdict());
            ws.put(c.workload, w);
        }
        s.put("workloads", ws);
        s.put("points_total", data.points().size());
        s.put("points_failed", data.points().stream().filter(p -> !p.ok()).count());
        s.put("points_untrustworthy", data.points().stream().filter(p -> p.ok() && !p.trustworthy()).count());
        s.put("points_generator_limited", data.points().stream().filter(PointResult::generatorLimited).count());
        s.put("points_server_saturated", data.points().stream().filter(PointResult::saturated).count());
        return s;
    }

    private static String headlineText(List<Comparison> comparisons) {
        if (comparisons.isEmpty()) return "[report] no points in this run";
        StringBuilder sb = new StringBuilder();
        for (Comparison c : comparisons) {
            if (sb.length() > 0) sb.append('\n');
            sb.append("[report] ").append(c.workload).append(": Nightcore-J ÷ RPC = ")
                .append(c.ratioQualifier("nightcore", "rpc")).append(Comparison.fmtRatio(c.nightcoreOverRpc))
                .append(" (paper 1.36×–2.93×: ").append(c.throughputVerdict()).append("); ÷ OpenFaaS-style = ")
                .append(c.ratioQualifier("nightcore", "openfaas")).append(Comparison.fmtRatio(c.nightcoreOverOpenfaas))
                .append("; p99 at RPC knee ").append(Comparison.fmtPct(c.p99ReductionVsRpc));
        }
        return sb.toString();
    }

    private static Double num(Double v) {
        return v == null || !Double.isFinite(v) ? null : Math.round(v * 1000) / 1000.0;
    }

    private static Double num(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "–";
    }

    static String fmt1(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "–";
    }

    static String fmt0(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f", v) : "–";
    }
}
