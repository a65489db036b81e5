package io.nightcorej.analysis;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KneeSearchTest {
    private final KneeSearch search = new KneeSearch(50, 0.95, 0.01);

    /** A synthetic curve: pairs of (offered QPS, p99 ms), achieved = offered, all trustworthy. */
    private static List<Level> curve(double... qpsAndP99) {
        List<PointResult> points = new ArrayList<>();
        for (int i = 0; i < qpsAndP99.length; i += 2) {
            points.add(point(qpsAndP99[i], qpsAndP99[i + 1], qpsAndP99[i], true));
        }
        return Level.of(points);
    }

    private static PointResult point(double qps, double p99, double achieved, boolean trustworthy) {
        return new PointResult("w", "s", qps, 1, true, null, achieved, p99 / 3, p99, p99 * 2, 1000, 0, trustworthy, "",
            null, null, Path.of("."));
    }

    @Test
    void interpolatesWhereP99CrossesTheSlo() {
        KneeSearch.Knee k = search.find(curve(100, 10, 200, 30, 300, 70, 400, 300));
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.INTERPOLATED);
        // 30 ms at 200 QPS, 70 ms at 300 QPS: 50 ms is half way.
        assertThat(k.qps()).isCloseTo(250, within(1e-9));
        assertThat(k.p99Ms()).isCloseTo(50, within(1e-9));
    }

    @Test
    void everyLevelPassingGivesOnlyALowerBound() {
        KneeSearch.Knee k = search.find(curve(100, 5, 200, 6, 300, 9));
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.LOWER_BOUND);
        assertThat(k.qps()).isEqualTo(300);
    }

    @Test
    void noPassingLevelMeansTheKneeIsBelowTheLowestLevel() {
        KneeSearch.Knee k = search.find(curve(100, 80, 200, 300));
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.NONE);
        assertThat(k.qps()).isZero();
        assertThat(k.note()).contains("lowest level 100 QPS");
    }

    @Test
    void aLevelThatDoesNotDeliverTheOfferedLoadFailsEvenWithALowP99() {
        List<PointResult> points = List.of(point(100, 10, 100, true), point(200, 20, 200, true),
            point(300, 25, 250, true));
        KneeSearch.Knee k = search.find(Level.of(points));
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.AT_LEVEL);
        assertThat(k.qps()).isEqualTo(200);
    }

    @Test
    void interpolationIsCappedAtWhatTheNextLevelAchieved() {
        // p99 barely over the SLO at 400 would interpolate to ~390 QPS, but only 320 QPS were delivered there.
        List<PointResult> points = List.of(point(200, 10, 200, true), point(400, 51, 320, true));
        KneeSearch.Knee k = search.find(Level.of(points));
        assertThat(k.qps()).isEqualTo(320);
    }

    @Test
    void untrustworthyPointsAreExcluded() {
        // The 300 QPS point looks fine but loadgen fell behind sending it: the knee cannot rest on it.
        List<PointResult> points = List.of(point(100, 10, 100, true), point(200, 20, 200, true),
            point(300, 25, 300, false), point(400, 110, 400, true));
        KneeSearch.Knee k = search.find(Level.of(points));
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.INTERPOLATED);
        assertThat(k.qps()).isCloseTo(200 + 30.0 / 90 * 200, within(1e-9));
    }

    @Test
    void p99AtInterpolatesInsideTheMeasuredRangeOnly() {
        List<Level> c = curve(100, 10, 200, 30);
        assertThat(KneeSearch.p99At(c, 150)).isCloseTo(20, within(1e-9));
        assertThat(KneeSearch.p99At(c, 250)).isNaN();
    }

    @Test
    void aServerSaturatedPointIsAValidFailureNotAnExclusion() {
        // loadgen distrusted the 400 QPS point because every connection was busy: the server's limit, kept.
        BehindCause saturated = new BehindCause(BehindCause.Cause.SERVER_SATURATED, 4673, 86, true);
        List<PointResult> points = List.of(point(100, 20, 100, true), point(200, 40, 200, true),
            AdaptiveSearchTest.point(400, 990, 396, saturated));
        List<Level> levels = Level.of(points);
        assertThat(levels.get(2).usable()).isTrue();
        assertThat(search.failures(levels.get(2))).contains("server saturated (> 1 % of sends waited for a free connection)");
        KneeSearch.Knee k = search.find(levels);
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.INTERPOLATED);
        assertThat(k.qps()).isCloseTo(200 + 10.0 / 950 * 200, within(1e-9));
        assertThat(k.bracket()).isEqualTo("[200, 400]");
    }

    @Test
    void aSaturatedLevelUnderTheSloEndsTheCurveAtTheLastPassingLevel() {
        BehindCause saturated = new BehindCause(BehindCause.Cause.SERVER_SATURATED, 500, 0, true);
        List<PointResult> points = List.of(point(100, 20, 100, true), AdaptiveSearchTest.point(200, 45, 200,
            saturated));
        KneeSearch.Knee k = search.find(Level.of(points));
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.AT_LEVEL);
        assertThat(k.qps()).isEqualTo(100);
        assertThat(k.note()).contains("server saturated");
    }

    @Test
    void bracketsOfBoundsShowTheMissingEnd() {
        assertThat(search.find(curve(100, 5, 200, 6)).bracket()).isEqualTo("[200, –]");
        assertThat(search.find(curve(100, 80, 200, 300)).bracket()).isEqualTo("[–, 100]");
    }

    @Test
    void aGeneratorLimitedLevelAboveTheLastPassIsNamedInTheNote() {
        BehindCause generator = new BehindCause(BehindCause.Cause.GENERATOR, 14, 53, true);
        List<PointResult> points = List.of(point(100, 10, 100, true), point(200, 20, 200, true),
            AdaptiveSearchTest.point(400, 142, 400, generator));
        KneeSearch.Knee k = search.find(Level.of(points));
        assertThat(k.kind()).isEqualTo(KneeSearch.Kind.LOWER_BOUND);
        assertThat(k.note()).contains("the load generator fell behind at the next level");
    }
}
