package io.nightcorej.analysis;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * Why loadgen sent requests late, and therefore whether a point it flagged {@code trustworthy: false} is still a
 * valid measurement.
 *
 * <p>loadgen's schedule never slows down (wrk2's open model). A request can be sent late for two reasons:
 * <ul>
 *   <li><b>server saturated</b>: all connections were busy with requests the server had not answered, so the due
 *       request waited for one ({@code no_free_connection}). The corrected latency (from the intended send time)
 *       includes that wait — exactly what a user would see from a saturated server. The point is valid and fails
 *       the SLO or the achieved-rate rule on its own numbers.</li>
 *   <li><b>generator</b>: loadgen itself could not keep up (CPU starved, scheduling): sends were late although a
 *       connection was free. The offered load was not what was asked, and the latencies include the generator's
 *       own delay. Such a point is excluded from the knee search.</li>
 * </ul>
 *
 * <p>Source, in order: loadgen's own {@code behind_cause} ({@code none | server-saturated | generator}) with
 * {@code saturated_sends} / {@code generator_late_sends} when it reports them (loadgen/README.md); otherwise derived
 * from the counts every loadgen result has, with loadgen's own rule: saturated sends = {@code no_free_connection},
 * generator-late sends = {@code late_sends − no_free_connection} (floored at 0); each cause counts when it exceeds
 * {@link #ALLOWED_FRACTION} of the sends; if both do, the larger wins (the generator on a tie). Neither: {@code none}
 * — the point is distrusted, but no cause exceeds loadgen's tolerance, so it is judged on its own numbers. A
 * distrusted result without the counts (a wrk/wrk2 wrapper, an old result) is generator-caused: nothing shows the
 * server was the limit.
 *
 * <p>Whether saturation also fails the knee rule is decided separately ({@link PointResult#saturatedBeyondBound()}).
 */
public record BehindCause(Cause cause, long saturatedSends, long generatorLateSends, boolean derived) {

    /** The three causes, with the spelling loadgen uses in {@code behind_cause}. */
    public enum Cause {
        NONE("none"), SERVER_SATURATED("server-saturated"), GENERATOR("generator");

        public final String json;

        Cause(String json) {
            this.json = json;
        }

        static Cause parse(String s) {
            for (Cause c : values()) {
                if (c.json.equals(s.toLowerCase(Locale.ROOT))) return c;
            }
            return null;
        }
    }

    /**
     * loadgen's own tolerance, as a fraction of the measured sends: its send-lag p99 bound allows 1 % of sends to be
     * later than the bound, and its connection rule allows 1 % of sends to wait for a free connection
     * (loadgen/README.md "Trust rules").
     */
    public static final double ALLOWED_FRACTION = 0.01;

    static final BehindCause NONE_CAUSE = new BehindCause(Cause.NONE, 0, 0, true);
    static final BehindCause GENERATOR_UNKNOWN = new BehindCause(Cause.GENERATOR, 0, 0, true);

    public boolean generatorLimited() {
        return cause == Cause.GENERATOR;
    }

    /** Classifies one loadgen result JSON (see the class comment for the rule). */
    public static BehindCause of(JsonNode loadgen) {
        boolean trustworthy = loadgen.path("trustworthy").asBoolean(true);
        JsonNode reported = loadgen.path("behind_cause");
        if (reported.isTextual() && Cause.parse(reported.asText()) != null) {
            Cause c = Cause.parse(reported.asText());
            // loadgen's trust verdict stays authoritative for a trusted point: nothing to exclude.
            if (trustworthy && c == Cause.GENERATOR) c = Cause.NONE;
            return new BehindCause(c, loadgen.path("saturated_sends").asLong(loadgen.path("no_free_connection").asLong(0)),
                loadgen.path("generator_late_sends").asLong(0), false);
        }
        long saturated = loadgen.path("no_free_connection").asLong(0);
        long late = loadgen.path("late_sends").asLong(0);
        long generatorLate = Math.max(0, late - saturated);
        if (trustworthy) return new BehindCause(Cause.NONE, saturated, generatorLate, true);
        boolean counted = loadgen.path("no_free_connection").isNumber() && loadgen.path("late_sends").isNumber();
        if (!counted) return new BehindCause(Cause.GENERATOR, saturated, generatorLate, true);
        double allowed = ALLOWED_FRACTION * Math.max(1, loadgen.path("requests").asLong(0));
        boolean server = saturated > allowed;
        boolean generator = generatorLate > allowed;
        Cause c = generator && (!server || generatorLate >= saturated) ? Cause.GENERATOR
            : server ? Cause.SERVER_SATURATED : Cause.NONE;
        return new BehindCause(c, saturated, generatorLate, true);
    }

    /** One line for tables: the cause and the counts behind it. */
    public String describe() {
        return switch (cause) {
            case NONE -> String.format(Locale.ROOT, "neither cause beyond loadgen's tolerance: %d sends late for the "
                + "generator's own reasons, %d waited for a free connection%s", generatorLateSends, saturatedSends,
                derived ? " (derived from no_free_connection and late_sends)" : "");
            case SERVER_SATURATED -> String.format(Locale.ROOT, "server saturated: %d sends waited for a free "
                + "connection, %d late for the generator's own reasons%s", saturatedSends, generatorLateSends,
                derived ? " (derived from no_free_connection and late_sends)" : "");
            case GENERATOR -> String.format(Locale.ROOT, "the generator fell behind: %d sends late for its own "
                + "reasons, %d waited for a free connection%s", generatorLateSends, saturatedSends,
                derived ? " (derived from no_free_connection and late_sends)" : "");
        };
    }
}
