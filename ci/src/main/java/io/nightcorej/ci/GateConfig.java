package io.nightcorej.ci;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ci/thresholds.json}: the noise rule, the thresholds, and the shape of each benchmark. */
public final class GateConfig {
    public int repetitions = 3;
    public int minSamples = 3;
    public double maxSpread = 0.25;
    public Map<String, Bound> metrics = new LinkedHashMap<>();
    public Micro micro = new Micro();
    public Stack stack = new Stack();
    /** Free text: when and on what the thresholds were last set. */
    public String calibration = "";

    /** One metric's bound (either or both of max/min) and what it guards. */
    public static final class Bound {
        public Double max;
        public Double min;
        public String what = "";
    }

    /** Internal call vs RPC hop. */
    public static final class Micro {
        public int payloadBytes = 16;
        public String warmup = "2s";
        public String duration = "5s";
        /** Arguments after {@code bin/nightcore}; must print a JSON result with p50/p99 in µs as its last line. */
        public List<String> internalBenchArgs = new ArrayList<>(List.of("bench", "internal", "--calls", "20000", "--warmup-calls", "5000"));
        public String internalBenchTimeout = "120s";
    }

    /** Nightcore-J vs RPC servers through the stack tool at one fixed, low offered load. */
    public static final class Stack {
        public boolean enabled = true;
        public String workload = "socialnetwork";
        public String loadgenWorkload = "socialnetwork-mixed";
        public double qps = 50;
        public int connections = 16;
        public String warmup = "3s";
        public String duration = "10s";
        public String storage = "embedded";
        /** Load the data set first (false keeps the gate short; timeline reads then hit empty timelines). */
        public boolean load = false;
        public List<String> stackUpArgs = new ArrayList<>();
        public List<String> loadgenArgs = new ArrayList<>();
    }

    public static GateConfig read(Path file) throws IOException {
        ObjectMapper m = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            GateConfig c = m.readValue(file.toFile(), GateConfig.class);
            if (c.repetitions < 1 || c.minSamples < 1 || c.minSamples > c.repetitions) {
                throw new IllegalArgumentException(file + ": need 1 <= min_samples <= repetitions");
            }
            for (var e : c.metrics.entrySet()) {
                if (e.getValue().max == null && e.getValue().min == null) {
                    throw new IllegalArgumentException(file + ": metric " + e.getKey() + " has neither max nor min");
                }
            }
            return c;
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(file + ": unknown key '" + e.getPropertyName() + "'", e);
        }
    }

    GateRule.Threshold threshold(String metric) {
        Bound b = metrics.get(metric);
        return b == null ? null : new GateRule.Threshold(metric, b.max, b.min, b.what);
    }
}
