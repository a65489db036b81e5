package io.nightcorej.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * All per-function gateway statistics, and their two renderings: the {@code /stats} JSON and the {@code /metrics}
 * Prometheus text exposition. Requests that never reached a function (bad paths, unknown names, oversized bodies
 * rejected before routing) are counted under the pseudo-function {@value #UNROUTED}.
 */
final class GatewayStats {

    static final String UNROUTED = "_unrouted";
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private final Map<String, FunctionStats> byFunction = new LinkedHashMap<>();
    private final FunctionStats unrouted = new FunctionStats(UNROUTED);
    private final ObjectMapper mapper = new ObjectMapper();

    GatewayStats(final List<FunctionRoute> routes) {
        for (final FunctionRoute r : routes) {
            byFunction.put(r.name(), new FunctionStats(r.name()));
        }
    }

    /** @return the stats of a configured function, or of {@value #UNROUTED} for anything else. */
    FunctionStats of(final String function) {
        final FunctionStats s = function == null ? null : byFunction.get(function);
        return s == null ? unrouted : s;
    }

    private List<FunctionStats> all() {
        final List<FunctionStats> list = new ArrayList<>(byFunction.values());
        list.add(unrouted);
        return list;
    }

    /**
     * {@code {"gateway":{"in_flight":n,"queued":n,"engines_connected":n,"functions":{"Foo":{"calls":n,
     * "status":{"200":n,..},"latency_us":{"p50":..,"p90":..,"p99":..,"p999":..,"max":..,"mean":..}}}},
     * "engines":[STATS_REPLY...]}}}
     */
    String toJson(final int inFlight, final int queued, final int engines, final List<String> engineReplies) {
        final ObjectNode root = mapper.createObjectNode();
        final ObjectNode gw = root.putObject("gateway");
        gw.put("in_flight", inFlight);
        gw.put("queued", queued);
        gw.put("engines_connected", engines);
        final ObjectNode fns = gw.putObject("functions");
        for (final FunctionStats s : all()) {
            final Histogram h = s.snapshot();
            final ObjectNode f = fns.putObject(s.name());
            long calls = 0;
            final ObjectNode status = mapper.createObjectNode();
            for (int i = 0; i <= FunctionStats.STATUSES.length; i++) {
                final long n = s.count(i);
                calls += n;
                if (n > 0) {
                    status.put(i < FunctionStats.STATUSES.length ? Integer.toString(FunctionStats.STATUSES[i]) : "other", n);
                }
            }
            f.put("calls", calls);
            f.set("status", status);
            final ObjectNode lat = f.putObject("latency_us");
            lat.put("p50", h.getValueAtPercentile(50));
            lat.put("p90", h.getValueAtPercentile(90));
            lat.put("p99", h.getValueAtPercentile(99));
            lat.put("p999", h.getValueAtPercentile(99.9));
            lat.put("max", h.getMaxValue());
            lat.put("mean", Math.round(h.getMean() * 10) / 10.0);
        }
        final ArrayNode arr = root.putArray("engines");
        for (final String reply : engineReplies) {
            arr.add(parseOrWrap(reply));
        }
        return root.toString();
    }

    private JsonNode parseOrWrap(final String reply) {
        try {
            return mapper.readTree(reply);
        } catch (final Exception e) {
            final ObjectNode n = mapper.createObjectNode();
            n.put("error", "unparseable STATS_REPLY: " + e.getMessage());
            return n;
        }
    }

    /**
     * Prometheus text exposition format 0.0.4: request counters by function and code, a latency summary per function,
     * gauges for in-flight and queued calls, and the engines' per-function counters and gauges.
     */
    String toPrometheus(final int inFlight, final int queued, final int engines, final List<String> engineReplies) {
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("# HELP nightcore_gateway_requests_total External requests answered by the gateway, by function and HTTP status.\n");
        sb.append("# TYPE nightcore_gateway_requests_total counter\n");
        final List<FunctionStats> all = all();
        for (final FunctionStats s : all) {
            for (int i = 0; i <= FunctionStats.STATUSES.length; i++) {
                final long n = s.count(i);
                if (n > 0 || (i == 0 && s != unrouted)) {
                    sb.append("nightcore_gateway_requests_total{function=\"").append(s.name()).append("\",code=\"")
                        .append(i < FunctionStats.STATUSES.length ? Integer.toString(FunctionStats.STATUSES[i]) : "other")
                        .append("\"} ").append(n).append('\n');
                }
            }
        }
        sb.append("# HELP nightcore_gateway_request_duration_seconds Gateway latency of external requests, since start.\n");
        sb.append("# TYPE nightcore_gateway_request_duration_seconds summary\n");
        for (final FunctionStats s : all) {
            final Histogram h = s.snapshot();
            for (final double q : QUANTILES) {
                sb.append("nightcore_gateway_request_duration_seconds{function=\"").append(s.name()).append("\",quantile=\"")
                    .append(q).append("\"} ").append(h.getValueAtPercentile(q * 100) / 1e6).append('\n');
            }
            sb.append("nightcore_gateway_request_duration_seconds_sum{function=\"").append(s.name()).append("\"} ")
                .append(s.latencySumUs() / 1e6).append('\n');
            sb.append("nightcore_gateway_request_duration_seconds_count{function=\"").append(s.name()).append("\"} ")
                .append(h.getTotalCount()).append('\n');
        }
        gauge(sb, "nightcore_gateway_in_flight", "Calls dispatched to engines and not yet answered.", inFlight);
        gauge(sb, "nightcore_gateway_queued", "Calls waiting at the gateway for admission.", queued);
        gauge(sb, "nightcore_gateway_engines_connected", "Engines with at least one connection.", engines);
        appendEngines(sb, engineReplies);
        return sb.toString();
    }

    private static void gauge(final StringBuilder sb, final String name, final String help, final long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n");
        sb.append(name).append(' ').append(value).append('\n');
    }

    private void appendEngines(final StringBuilder sb, final List<String> engineReplies) {
        final String[][] fields = {
            {"calls", "counter", "Calls the engine received for the function."},
            {"failures", "counter", "Calls that failed in the engine."},
            {"running", "gauge", "Calls currently held by a worker."},
            {"queued", "gauge", "Calls waiting in the engine's dispatcher."},
            {"workers", "gauge", "Workers of the function."},
            {"tau", "gauge", "Little's-law concurrency limit."},
        };
        final List<JsonNode> replies = new ArrayList<>();
        for (final String r : engineReplies) {
            final JsonNode n = parseOrWrap(r);
            if (n.has("functions")) {
                replies.add(n);
            }
        }
        for (final String[] f : fields) {
            final String metric = "nightcore_engine_" + f[0] + (f[1].equals("counter") ? "_total" : "");
            sb.append("# HELP ").append(metric).append(' ').append(f[2]).append('\n');
            sb.append("# TYPE ").append(metric).append(' ').append(f[1]).append('\n');
            for (final JsonNode reply : replies) {
                final String node = reply.path("nodeId").asText("0");
                reply.get("functions").fields().forEachRemaining(e -> {
                    final JsonNode v = e.getValue().get(f[0]);
                    if (v != null && v.isNumber()) {
                        sb.append(metric).append("{node=\"").append(node).append("\",function=\"").append(e.getKey())
                            .append("\"} ").append(v.asText()).append('\n');
                    }
                });
            }
        }
        final String[] histograms = {"queueing_us", "processing_us", "dispatch_overhead_us", "total_us"};
        final String[][] quantiles = {{"p50", "0.5"}, {"p90", "0.9"}, {"p99", "0.99"}, {"p999", "0.999"}};
        for (final String hname : histograms) {
            final String metric = "nightcore_engine_" + hname.replace("_us", "") + "_seconds";
            sb.append("# HELP ").append(metric).append(" Engine-side ").append(hname.replace("_us", "").replace('_', ' '))
                .append(" per function, since engine start.\n");
            sb.append("# TYPE ").append(metric).append(" summary\n");
            for (final JsonNode reply : replies) {
                final String node = reply.path("nodeId").asText("0");
                reply.get("functions").fields().forEachRemaining(e -> {
                    final JsonNode h = e.getValue().get(hname);
                    if (h == null) {
                        return;
                    }
                    for (final String[] q : quantiles) {
                        final JsonNode v = h.get(q[0]);
                        if (v != null && v.isNumber()) {
                            sb.append(metric).append("{node=\"").append(node).append("\",function=\"").append(e.getKey())
                                .append("\",quantile=\"").append(q[1]).append("\"} ").append(v.asDouble() / 1e6).append('\n');
                        }
                    }
                });
            }
        }
    }
}
