package io.nightcorej.analysis;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Spread of knees when only the adaptive search's bracket is repeated. */
class ComparisonTest {
    private static PointResult point(String system, double qps, int rep, double p99) {
        return new PointResult("w", system, qps, rep, true, null, qps, p99 / 4, p99, p99 * 2, 1000, 0, true, "", null,
            null, Path.of("."));
    }

    @Test
    void aPartialRepetitionBorrowsTheFirstRepetitionsOtherLevels() {
        // Repetition 1: full curve, knee 200 + 40/80·100 = 250. Repetition 2 measured only the bracket [200, 300]:
        // with 100 QPS from repetition 1, 200 passes and 300 passes → lower bound 300 (not "below the lowest level").
        List<PointResult> points = List.of(point("nightcore", 100, 1, 20), point("nightcore", 200, 1, 60),
            point("nightcore", 300, 1, 140), point("nightcore", 200, 2, 40), point("nightcore", 300, 2, 90));
        Comparison c = new Comparison("w", points, new KneeSearch(100, 0.95, 0.01), List.of("nightcore"));
        double[] spread = c.kneeSpread("nightcore");
        assertThat(spread[0]).isCloseTo(250, within(1e-9));
        assertThat(spread[2]).isCloseTo(300, within(1e-9));
        assertThat(Comparison.repetitionCurve(points, 2)).extracting(PointResult::repetition).containsExactly(1, 2, 2);
        assertThat(Comparison.repetitionCurve(points, 3)).isEmpty();
        // The aggregated curve (medians): 200 → 50 ms, 300 → 115 ms: 200 + 50/65·100.
        assertThat(c.knees.get("nightcore").qps()).isCloseTo(200 + 50.0 / 65 * 100, within(1e-9));
    }
}
