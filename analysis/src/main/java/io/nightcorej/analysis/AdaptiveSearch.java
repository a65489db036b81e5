package io.nightcorej.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds one system's knee with few points: where on an unknown machine the knee sits is not known in advance, and
 * a fixed level list either wastes points far below it or stops short of it.
 *
 * <ol>
 *   <li><b>Ascend</b> geometrically from {@code start_qps} (× {@code growth}) while points pass the knee rule
 *       ({@link KneeSearch#failures}: p99 ≤ SLO, achieved ≥ the minimum ratio, errors ≤ the maximum, server not
 *       saturated). The first failing level closes the bracket [last pass, first fail]. If the start level already
 *       fails, <b>descend</b> (÷ {@code growth}) until one passes or {@code min_qps} is reached.</li>
 *   <li><b>Bisect</b> the bracket {@code bisections} times at its midpoint (rounded to a whole QPS), moving the end
 *       the result belongs to.</li>
 *   <li><b>Repeat the bracket</b>: measure its last-pass and first-fail levels {@code knee_repetitions} more times,
 *       which gives the knee's spread over repetitions where it matters.</li>
 * </ol>
 * A point where the load generator itself fell behind ({@link PointResult#generatorLimited()}) cannot be judged; it
 * caps the bracket from above (the search continues below it, where the generator keeps up) but is not a failure,
 * so a knee that rests on it is only a lower bound. A point that could not be measured at all (stack or loadgen
 * error) is retried once at the same level; a second failure there ends the search. Everything stays within
 * {@code max_points} points; each planned point says why it was chosen.
 */
public final class AdaptiveSearch implements LevelPlan {
    private enum Phase { ASCEND, DESCEND, BISECT, REPEAT, DONE }

    private final Experiment.Adaptive spec;
    private final KneeSearch rule;
    private final double start;

    private Phase phase = Phase.ASCEND;
    private double lastPass = Double.NaN;
    private double firstFail = Double.NaN;
    /** The bracket's upper end was set by a generator-limited point, not a failing one. */
    private boolean ceilingIsGenerator;
    private int bisectionsDone;
    private int pointsPlanned;
    private String stopReason;
    private Planned pending;
    /** Repetitions started per level (the next point at a level gets the next number). */
    private final Map<Double, Integer> repsAt = new HashMap<>();
    /** Failed (unmeasured) points per level, for the retry-once rule. */
    private final Map<Double, Integer> failuresAt = new HashMap<>();
    private final List<Candidate> repeatQueue = new ArrayList<>();
    private final List<Map<String, Object>> trace = new ArrayList<>();

    public AdaptiveSearch(Experiment.Adaptive spec, KneeSearch rule, String system) {
        this.spec = spec;
        this.rule = rule;
        this.start = spec.startFor(system);
    }

    /** A level chosen but not yet handed out (its repetition number is assigned when it is). */
    private record Candidate(double qps, String reason) {
    }

    /** The ascend/descend/retry step decided by {@link #record}, handed out by the next {@link #next()}. */
    private Candidate queued;

    @Override
    public Planned next() {
        if (pending != null) throw new IllegalStateException("record the last point first");
        if (phase == Phase.DONE) return null;
        if (pointsPlanned >= spec.maxPoints) {
            stop("point budget (max_points " + spec.maxPoints + ") used; bracket " + bracketText());
            return null;
        }
        Candidate c;
        if (pointsPlanned == 0) {
            c = new Candidate(round(start), "ascend: start level");
        } else if (queued != null) {
            c = queued;
            queued = null;
        } else if (phase == Phase.BISECT) {
            c = bisectOrRepeat();
        } else if (phase == Phase.REPEAT) {
            c = nextRepeat();
        } else {
            throw new IllegalStateException("no next point in phase " + phase);
        }
        if (c == null) return null;
        pointsPlanned++;
        pending = new Planned(c.qps(), repsAt.merge(c.qps(), 1, Integer::sum), c.reason());
        return pending;
    }

    @Override
    public void record(Planned planned, PointResult r) {
        pending = null;
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("offered_qps", planned.qps());
        t.put("repetition", planned.repetition());
        t.put("chosen_because", planned.reason());
        double q = planned.qps();
        String outcome;
        String why;
        if (!r.ok()) {
            outcome = "not measured";
            why = r.error() == null ? "unknown error" : r.error();
            int failures = failuresAt.merge(q, 1, Integer::sum);
            t.put("outcome", outcome);
            t.put("why", why);
            trace.add(t);
            if (failures >= 2) {
                stop("the point at " + fmt(q) + " QPS could not be measured twice (" + why + ")");
            } else {
                queued = new Candidate(q, "retry: the point at " + fmt(q) + " QPS could not be measured (" + why
                    + ")");
            }
            return;
        }
        Level level = Level.of(List.of(r)).get(0);
        List<String> failures = rule.failures(level);
        if (r.generatorLimited()) {
            outcome = "generator limited";
            why = r.behindCause().describe();
        } else if (failures.isEmpty()) {
            outcome = "pass";
            why = String.format(Locale.ROOT, "p99 %.1f ms, achieved %.1f QPS", r.p99Ms(), r.achievedQps());
        } else {
            outcome = "fail";
            why = String.join(", ", failures);
        }
        t.put("outcome", outcome);
        t.put("why", why);
        trace.add(t);
        if (phase == Phase.REPEAT) return;
        boolean pass = outcome.equals("pass");
        boolean generator = outcome.equals("generator limited");
        if (pass) {
            if (Double.isNaN(lastPass) || q > lastPass) lastPass = q;
        } else if (Double.isNaN(firstFail) || q <= firstFail) {
            firstFail = q;
            ceilingIsGenerator = generator;
        }
        switch (phase) {
            case ASCEND -> {
                if (pass) {
                    double up = Math.min(round(q * spec.growth), spec.maxQps);
                    if (up <= q) {
                        stop("every level up to max_qps " + fmt(spec.maxQps) + " passed; the knee is above "
                            + fmt(q) + " QPS");
                    } else {
                        queued = new Candidate(up, "ascend: " + fmt(q) + " QPS passed (× " + fmt(spec.growth)
                            + (up < round(q * spec.growth) ? ", capped at max_qps" : "") + ")");
                    }
                } else if (Double.isNaN(lastPass)) {
                    phase = Phase.DESCEND;
                    descend(q, outcome, why);
                } else {
                    phase = Phase.BISECT;
                }
            }
            case DESCEND -> {
                if (pass) {
                    phase = Phase.BISECT;
                } else {
                    descend(q, outcome, why);
                }
            }
            default -> {
                // BISECT: the bracket ends were moved above; the next midpoint comes from next().
            }
        }
    }

    private void descend(double q, String outcome, String why) {
        double down = round(q / spec.growth);
        if (down < spec.minQps || down >= q) {
            stop("even " + fmt(q) + " QPS failed (" + why + "); the knee is below min_qps " + fmt(spec.minQps));
        } else {
            queued = new Candidate(down, "descend: " + fmt(q) + " QPS " + (outcome.equals("fail") ? "failed: " : "")
                + why + " (÷ " + fmt(spec.growth) + ")");
        }
    }

    private Candidate bisectOrRepeat() {
        if (bisectionsDone < spec.bisections && !Double.isNaN(lastPass) && !Double.isNaN(firstFail)) {
            double mid = round((lastPass + firstFail) / 2);
            if (mid > lastPass && mid < firstFail) {
                bisectionsDone++;
                return new Candidate(mid, "bisect " + bisectionsDone + "/" + spec.bisections + ": between "
                    + fmt(lastPass) + " QPS (pass) and " + fmt(firstFail) + " QPS ("
                    + (ceilingIsGenerator ? "generator limited" : "fail") + ")");
            }
        }
        phase = Phase.REPEAT;
        for (int k = 1; k <= spec.kneeRepetitions; k++) {
            if (!Double.isNaN(lastPass)) {
                repeatQueue.add(new Candidate(lastPass, "knee repetition " + k + "/" + spec.kneeRepetitions
                    + ": the bracket's last passing level"));
            }
            if (!Double.isNaN(firstFail) && !ceilingIsGenerator) {
                repeatQueue.add(new Candidate(firstFail, "knee repetition " + k + "/" + spec.kneeRepetitions
                    + ": the bracket's first failing level"));
            }
        }
        return nextRepeat();
    }

    private Candidate nextRepeat() {
        if (repeatQueue.isEmpty()) {
            stop("done: bracket " + bracketText() + " after " + bisectionsDone + " bisection(s)");
            return null;
        }
        return repeatQueue.remove(0);
    }

    private void stop(String reason) {
        if (phase != Phase.DONE) {
            phase = Phase.DONE;
            stopReason = reason;
        }
    }

    @Override
    public int remainingAtMost() {
        return phase == Phase.DONE ? 0 : spec.maxPoints - pointsPlanned;
    }

    public double lastPass() {
        return lastPass;
    }

    public double firstFail() {
        return firstFail;
    }

    public String stopReason() {
        return stopReason;
    }

    private String bracketText() {
        return "[" + (Double.isNaN(lastPass) ? "–" : fmt(lastPass)) + ", "
            + (Double.isNaN(firstFail) ? "–" : fmt(firstFail)) + "]";
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("levels", "adaptive");
        m.put("start_qps", start);
        m.put("growth", spec.growth);
        m.put("bisections", spec.bisections);
        m.put("knee_repetitions", spec.kneeRepetitions);
        m.put("max_points", spec.maxPoints);
        m.put("last_pass_qps", Double.isNaN(lastPass) ? null : lastPass);
        m.put("first_fail_qps", Double.isNaN(firstFail) ? null : firstFail);
        m.put("first_fail_is_generator_limited", ceilingIsGenerator);
        m.put("stopped_because", stopReason);
        m.put("trace", trace);
        return m;
    }

    /** Whole QPS above 10, one decimal below (a slow system's levels stay distinct). */
    static double round(double qps) {
        return qps >= 10 ? Math.rint(qps) : Math.rint(qps * 10) / 10;
    }

    private static String fmt(double v) {
        return ExperimentRunner.fmtQps(v);
    }
}
