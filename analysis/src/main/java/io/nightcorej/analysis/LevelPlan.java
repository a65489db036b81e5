package io.nightcorej.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which offered levels one system is measured at, and in what order: a fixed list ({@link Fixed}) or a search that
 * chooses the next level from the last result ({@link AdaptiveSearch}). The runner asks {@link #next()}, measures,
 * and reports the point back with {@link #record}; every planned point carries the reason it was chosen, which
 * the runner writes into {@code point.json} ({@code chosen_because}).
 */
public interface LevelPlan {

    /** One point to measure: offered QPS, repetition number at that level (1-based), and why. */
    record Planned(double qps, int repetition, String reason) {
    }

    /** The next point, or null when the plan is complete. */
    Planned next();

    /** The measured (or failed) point for the last {@link #next()}. */
    void record(Planned planned, PointResult result);

    /** Points this plan may still ask for at most (for the progress line's estimate). */
    int remainingAtMost();

    /** What the plan did and why, for {@code search.json} (empty for a fixed list). */
    Map<String, Object> describe();

    /** Every level × every repetition, in increasing order per repetition: the classic sweep. */
    final class Fixed implements LevelPlan {
        private final List<Planned> points = new ArrayList<>();
        private int next;

        public Fixed(List<Double> levels, int repetitions) {
            for (int rep = 1; rep <= repetitions; rep++) {
                for (double q : levels.stream().sorted().toList()) {
                    points.add(new Planned(q, rep, "fixed level (repetition " + rep + " of the sweep)"));
                }
            }
        }

        @Override
        public Planned next() {
            return next < points.size() ? points.get(next++) : null;
        }

        @Override
        public void record(Planned planned, PointResult result) {
            // A fixed sweep does not depend on the results.
        }

        @Override
        public int remainingAtMost() {
            return points.size() - next;
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("levels", "fixed");
            return m;
        }
    }
}
