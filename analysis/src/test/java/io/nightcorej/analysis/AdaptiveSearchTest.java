package io.nightcorej.analysis;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

/** The adaptive knee search driven against synthetic systems (offered QPS → measured point). */
class AdaptiveSearchTest {
    private final KneeSearch rule = new KneeSearch(100, 0.95, 0.01);

    private static Experiment.Adaptive spec(double start, int bisections, int kneeReps, int maxPoints) {
        Experiment.Adaptive a = new Experiment.Adaptive();
        a.startQps = start;
        a.bisections = bisections;
        a.kneeRepetitions = kneeReps;
        a.maxPoints = maxPoints;
        return a;
    }

    /** A hockey stick: p99 20 ms up to 200 QPS, then +1 ms per QPS (crosses 100 ms at 280 QPS). */
    private static PointResult hockey(double qps) {
        double p99 = qps <= 200 ? 20 : 20 + (qps - 200);
        return point(qps, p99, qps, BehindCause.NONE_CAUSE);
    }

    static PointResult point(double qps, double p99, double achieved, BehindCause cause) {
        return new PointResult("w", "s", qps, 1, true, null, achieved, p99 / 4, p99, p99 * 2, (long) (qps * 15), 0,
            cause.cause() == BehindCause.Cause.NONE, "", null, null, Path.of("."), cause, null);
    }

    private static PointResult failed(double qps) {
        return new PointResult("w", "s", qps, 1, false, "stack up failed: exit code 1", Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, 0, 0, true, "", null, null, Path.of("."));
    }

    /** Runs the search to the end against a system; returns the planned points in order. */
    private static List<LevelPlan.Planned> drive(AdaptiveSearch search, DoubleFunction<PointResult> system) {
        List<LevelPlan.Planned> planned = new ArrayList<>();
        LevelPlan.Planned p;
        while ((p = search.next()) != null) {
            planned.add(p);
            search.record(p, system.apply(p.qps()));
            assertThat(planned).hasSizeLessThan(100);
        }
        return planned;
    }

    private static List<Double> levels(List<LevelPlan.Planned> planned) {
        return planned.stream().map(LevelPlan.Planned::qps).toList();
    }

    @Test
    void ascendsUntilAFailureThenBisectsThenRepeatsTheBracket() {
        AdaptiveSearch search = new AdaptiveSearch(spec(50, 2, 1, 10), rule, "nightcore");
        List<LevelPlan.Planned> planned = drive(search, AdaptiveSearchTest::hockey);
        // 50, 100, 200 pass; 400 fails (p99 220 ms); bisect 300 (120 ms, fail), 250 (70 ms, pass);
        // then the bracket [250, 300] once more.
        assertThat(levels(planned)).containsExactly(50.0, 100.0, 200.0, 400.0, 300.0, 250.0, 250.0, 300.0);
        assertThat(planned.get(6).repetition()).isEqualTo(2);
        assertThat(planned.get(7).repetition()).isEqualTo(2);
        assertThat(planned.get(0).reason()).isEqualTo("ascend: start level");
        assertThat(planned.get(3).reason()).isEqualTo("ascend: 200 QPS passed (× 2)");
        assertThat(planned.get(4).reason()).isEqualTo("bisect 1/2: between 200 QPS (pass) and 400 QPS (fail)");
        assertThat(planned.get(5).reason()).isEqualTo("bisect 2/2: between 200 QPS (pass) and 300 QPS (fail)");
        assertThat(planned.get(7).reason()).startsWith("knee repetition 1/1: the bracket's first failing level");
        assertThat(search.lastPass()).isEqualTo(250);
        assertThat(search.firstFail()).isEqualTo(300);
        assertThat(search.stopReason()).startsWith("done: bracket [250, 300]");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> trace = (List<Map<String, Object>>) search.describe().get("trace");
        assertThat(trace.get(3)).containsEntry("outcome", "fail").containsEntry("why", "p99 220.0 ms > SLO 100 ms");
    }

    @Test
    void theKneeSearchOnTheChosenPointsInterpolatesInsideTheBracket() {
        AdaptiveSearch search = new AdaptiveSearch(spec(50, 2, 0, 10), rule, "nightcore");
        List<PointResult> points = new ArrayList<>();
        drive(search, q -> {
            PointResult r = hockey(q);
            points.add(r);
            return r;
        });
        KneeSearch.Knee k = rule.find(Level.of(points));
        // 250 QPS → 70 ms, 300 QPS → 120 ms: 100 ms at 280 QPS, the synthetic curve's true crossing.
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.INTERPOLATED);
        assertThat(k.qps()).isEqualTo(280.0);
        assertThat(k.bracket()).isEqualTo("[250, 300]");
    }

    @Test
    void aSaturatedServerFailsEvenWithAP99UnderTheSlo() {
        // All connections busy from 300 QPS on, p99 still (barely) under the SLO: saturation is a failure.
        BehindCause saturated = new BehindCause(BehindCause.Cause.SERVER_SATURATED, 500, 3, true);
        AdaptiveSearch search = new AdaptiveSearch(spec(100, 1, 0, 10), rule, "rpc");
        List<LevelPlan.Planned> planned = drive(search, q -> q >= 300 ? point(q, 90, q, saturated)
            : point(q, 30, q, BehindCause.NONE_CAUSE));
        assertThat(levels(planned)).containsExactly(100.0, 200.0, 400.0, 300.0);
        assertThat(search.firstFail()).isEqualTo(300);
    }

    @Test
    void aStartLevelThatFailsMakesTheSearchDescend() {
        AdaptiveSearch search = new AdaptiveSearch(spec(400, 1, 0, 10), rule, "openfaas");
        List<LevelPlan.Planned> planned = drive(search, AdaptiveSearchTest::hockey);
        // 400 fails, 200 passes; bisect once: 300 fails.
        assertThat(levels(planned)).containsExactly(400.0, 200.0, 300.0);
        assertThat(planned.get(1).reason()).startsWith("descend: 400 QPS failed: p99 220.0 ms > SLO 100 ms");
    }

    @Test
    void aGeneratorLimitedPointCapsTheBracketButIsNeverRepeatedAsAFailure() {
        BehindCause generator = new BehindCause(BehindCause.Cause.GENERATOR, 0, 400, true);
        AdaptiveSearch search = new AdaptiveSearch(spec(100, 1, 1, 10), rule, "rpc");
        List<LevelPlan.Planned> planned = drive(search, q -> q >= 400 ? point(q, 150, q, generator)
            : point(q, 30, q, BehindCause.NONE_CAUSE));
        // 100, 200 pass, 400 cannot be judged; bisect 300 (pass); repeat only the last passing level.
        assertThat(levels(planned)).containsExactly(100.0, 200.0, 400.0, 300.0, 300.0);
        assertThat(planned.get(3).reason()).endsWith("and 400 QPS (generator limited)");
        assertThat(search.describe()).containsEntry("first_fail_is_generator_limited", true);
    }

    @Test
    void anUnmeasuredPointIsRetriedOnceThenTheSearchStops() {
        AdaptiveSearch search = new AdaptiveSearch(spec(50, 2, 1, 10), rule, "nightcore");
        List<LevelPlan.Planned> planned = drive(search, q -> q >= 100 ? failed(q) : hockey(q));
        assertThat(levels(planned)).containsExactly(50.0, 100.0, 100.0);
        assertThat(planned.get(2).reason()).startsWith("retry: the point at 100 QPS could not be measured");
        assertThat(planned.get(2).repetition()).isEqualTo(2);
        assertThat(search.stopReason()).startsWith("the point at 100 QPS could not be measured twice");
    }

    @Test
    void theSearchStaysWithinItsPointBudget() {
        AdaptiveSearch search = new AdaptiveSearch(spec(50, 3, 2, 5), rule, "nightcore");
        List<LevelPlan.Planned> planned = drive(search, AdaptiveSearchTest::hockey);
        assertThat(planned).hasSize(5);
        assertThat(search.stopReason()).startsWith("point budget (max_points 5) used");
        assertThat(search.remainingAtMost()).isZero();
    }

    @Test
    void aSystemThatNeverFailsStopsAtMaxQpsWithALowerBound() {
        Experiment.Adaptive a = spec(50, 2, 1, 20);
        a.maxQps = 500;
        AdaptiveSearch search = new AdaptiveSearch(a, rule, "nightcore");
        List<LevelPlan.Planned> planned = drive(search, q -> point(q, 10, q, BehindCause.NONE_CAUSE));
        assertThat(levels(planned)).containsExactly(50.0, 100.0, 200.0, 400.0, 500.0);
        assertThat(planned.get(4).reason()).isEqualTo("ascend: 400 QPS passed (× 2, capped at max_qps)");
        assertThat(search.stopReason()).contains("the knee is above 500 QPS");
    }
}
