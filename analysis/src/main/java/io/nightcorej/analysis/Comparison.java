package io.nightcorej.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One workload's comparison: each system's curve and knee, Nightcore-J's throughput ratios over the baselines, the
 * tail-latency reduction at the RPC baseline's knee, the spread of those across repetitions, and verdicts against
 * the paper (1.36×–2.93× higher throughput than RPC servers, up to 69 % lower tail latency).
 */
public final class Comparison {
    public static final double PAPER_GAIN_MIN = 1.36;
    public static final double PAPER_GAIN_MAX = 2.93;
    public static final double PAPER_P99_REDUCTION_MAX = 0.69;

    public final String workload;
    public final Map<String, List<Level>> curves = new LinkedHashMap<>();
    public final Map<String, KneeSearch.Knee> knees = new LinkedHashMap<>();
    /** Knees counting flagged points too: indicative only, shown apart and never used for a verdict. */
    public final Map<String, KneeSearch.Knee> indicativeKnees = new LinkedHashMap<>();
    /** Per repetition: system → knee QPS; used for the spread of knees and ratios. */
    public final List<Map<String, Double>> kneesByRep = new ArrayList<>();
    public final Double nightcoreOverRpc;
    public final Double nightcoreOverOpenfaas;
    public final Double p99ReductionVsRpc;
    /** At the RPC knee: [rpc p99, nightcore p99, qps]. */
    public final double[] p99AtRpcKnee;

    public Comparison(String workload, List<PointResult> points, KneeSearch search, List<String> systemOrder) {
        this.workload = workload;
        int maxRep = 1;
        for (String s : systemOrder) {
            List<PointResult> ps = points.stream().filter(p -> p.system().equals(s)).toList();
            if (ps.isEmpty()) continue;
            curves.put(s, Level.of(ps));
            knees.put(s, search.find(curves.get(s)));
            indicativeKnees.put(s, search.find(Level.of(ps, true)));
            maxRep = Math.max(maxRep, ps.stream().mapToInt(PointResult::repetition).max().orElse(1));
        }
        if (maxRep > 1) {
            for (int rep = 1; rep <= maxRep; rep++) {
                Map<String, Double> k = new LinkedHashMap<>();
                for (String s : curves.keySet()) {
                    final int r = rep;
                    List<PointResult> ps = repetitionCurve(points.stream().filter(p -> p.system().equals(s))
                        .toList(), r);
                    if (!ps.isEmpty()) k.put(s, search.find(Level.of(ps)).qps());
                }
                kneesByRep.add(k);
            }
        }
        nightcoreOverRpc = ratio("nightcore", "rpc");
        nightcoreOverOpenfaas = ratio("nightcore", "openfaas");
        KneeSearch.Knee rpc = knees.get("rpc");
        if (rpc != null && rpc.kind() != KneeSearch.Kind.NONE && curves.containsKey("nightcore")) {
            double rpcP99 = KneeSearch.p99At(curves.get("rpc"), rpc.qps());
            double ncP99 = KneeSearch.p99At(curves.get("nightcore"), rpc.qps());
            p99AtRpcKnee = new double[] {rpcP99, ncP99, rpc.qps()};
            p99ReductionVsRpc = Double.isFinite(rpcP99) && Double.isFinite(ncP99) && rpcP99 > 0
                ? 1 - ncP99 / rpcP99 : null;
        } else {
            p99AtRpcKnee = null;
            p99ReductionVsRpc = null;
        }
    }

    /**
     * The curve of repetition {@code rep}: its own point at every level it measured, and the first repetition's
     * point at the levels it did not (the adaptive search repeats only the knee's bracket, so a later repetition
     * is a partial curve). Empty when the repetition measured nothing.
     */
    static List<PointResult> repetitionCurve(List<PointResult> systemPoints, int rep) {
        if (systemPoints.stream().noneMatch(p -> p.repetition() == rep)) return List.of();
        Map<Double, PointResult> byLevel = new java.util.TreeMap<>();
        for (PointResult p : systemPoints) {
            if (p.repetition() == rep) byLevel.put(p.offeredQps(), p);
        }
        for (PointResult p : systemPoints) {
            if (p.repetition() == 1) byLevel.putIfAbsent(p.offeredQps(), p);
        }
        return new ArrayList<>(byLevel.values());
    }

    private Double ratio(String a, String b) {
        KneeSearch.Knee ka = knees.get(a);
        KneeSearch.Knee kb = knees.get(b);
        if (ka == null || kb == null || kb.qps() <= 0) return null;
        return ka.qps() / kb.qps();
    }

    /** "≥", "≤" or "" depending on which knee is only a bound. */
    public String ratioQualifier(String a, String b) {
        KneeSearch.Knee ka = knees.get(a);
        KneeSearch.Knee kb = knees.get(b);
        if (ka == null || kb == null) return "";
        boolean aBound = ka.kind() == KneeSearch.Kind.LOWER_BOUND;
        boolean bBound = kb.kind() == KneeSearch.Kind.LOWER_BOUND;
        if (aBound && bBound) return "?";
        if (aBound) return "≥";
        if (bBound) return "≤";
        return "";
    }

    /** min / median / max of a ratio over repetitions, or null with a single repetition. */
    public double[] ratioSpread(String a, String b) {
        if (kneesByRep.isEmpty()) return null;
        double[] r = kneesByRep.stream().filter(k -> k.getOrDefault(b, 0.0) > 0 && k.containsKey(a))
            .mapToDouble(k -> k.get(a) / k.get(b)).sorted().toArray();
        if (r.length == 0) return null;
        return new double[] {r[0], Level.median(r), r[r.length - 1]};
    }

    public double[] kneeSpread(String system) {
        if (kneesByRep.isEmpty()) return null;
        double[] r = kneesByRep.stream().filter(k -> k.containsKey(system)).mapToDouble(k -> k.get(system))
            .sorted().toArray();
        if (r.length == 0) return null;
        return new double[] {r[0], Level.median(r), r[r.length - 1]};
    }

    /** Verdict on the throughput gain over RPC servers against the paper's 1.36×–2.93×. */
    public String throughputVerdict() {
        if (nightcoreOverRpc == null) return "no verdict: a knee is missing (see the knee table)";
        String q = ratioQualifier("nightcore", "rpc");
        double r = nightcoreOverRpc;
        if (q.equals("?")) return "no verdict: neither system saturated at the levels measured; raise the QPS levels";
        if (r >= PAPER_GAIN_MIN && r <= PAPER_GAIN_MAX) return "reproduced: within the paper's range";
        if (r > PAPER_GAIN_MAX) return q.equals("≤") ? "inconclusive: ratio is only an upper bound"
            : "reproduced in direction, larger than the paper's range";
        if (r > 1.05) {
            return q.equals("≥") ? "direction reproduced (lower bound: Nightcore-J did not saturate)"
                : "direction reproduced, magnitude below the paper's range";
        }
        if (r >= 0.95) return q.equals("≥") ? "inconclusive: Nightcore-J did not saturate"
            : "not reproduced: no meaningful difference (within ±5 %)";
        return "not reproduced: Nightcore-J sustains less than the RPC servers";
    }

    public String p99Verdict() {
        if (p99ReductionVsRpc == null) return "no verdict: p99 at the RPC knee is not available for both systems";
        double r = p99ReductionVsRpc;
        if (r > PAPER_P99_REDUCTION_MAX) return "reproduced in direction, larger reduction than the paper's 69 %";
        if (r >= 0.05) return "reproduced in direction (paper: up to 69 %)";
        if (r > -0.05) return "not reproduced: no meaningful difference (within ±5 %)";
        return "not reproduced: Nightcore-J's tail is higher";
    }

    public String openfaasVerdict() {
        if (nightcoreOverOpenfaas == null) return "no verdict: a knee is missing";
        double r = nightcoreOverOpenfaas;
        String q = ratioQualifier("nightcore", "openfaas");
        if (q.equals("?")) return "no verdict: neither system saturated";
        if (r > 1.05) return "consistent with the paper (OpenFaaS far behind Nightcore in Figure 7)";
        if (r >= 0.95) return "not reproduced: no meaningful difference";
        return "not reproduced: the OpenFaaS-style baseline sustains more";
    }

    static String fmtRatio(Double r) {
        return r == null ? "n/a" : String.format(Locale.ROOT, "%.2f×", r);
    }

    static String fmtPct(Double r) {
        if (r == null) return "n/a";
        long pct = Math.round(-r * 100);
        return (pct < 0 ? "−" + (-pct) : "+" + pct) + " %";
    }
}
