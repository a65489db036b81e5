package io.nightcorej.loadgen.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A miniature calibration (in-process server, no pinning, no wrk): the procedure runs and reports its findings. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CalibratorTest {

    @Test
    @SuppressWarnings("unchecked")
    void reportsTheTargetCheckTheSearchStepsAndThePlacement() throws Exception {
        final Calibrator.Settings s = new Calibrator.Settings();
        s.rate = 500;
        s.duration = Duration.ofMillis(800);
        s.warmup = Duration.ofMillis(200);
        s.warmupRamp = Duration.ofMillis(200);
        s.stepDuration = Duration.ofMillis(500);
        s.steps = 1;
        s.connections = 8;
        s.wrkDuration = Duration.ZERO;
        s.pin = false;
        s.inProcessServer = true;
        s.stallCheck = Duration.ofMillis(300);
        s.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        final Map<String, Object> r = Calibrator.run(s);
        assertThat(r).containsKeys("rate_target", "rate_achieved", "requests", "errors", "p50_us", "p99_us", "p999_us",
            "uncorrected_p99_us", "late_sends", "lag_p99_us", "trustworthy", "calibration");
        assertThat(r.get("mode")).isEqualTo("open-loop (calibrate)");
        final Map<String, Object> cal = (Map<String, Object>) r.get("calibration");
        assertThat((List<Object>) cal.get("steps")).hasSize(2);
        assertThat(cal).containsKeys("target_held", "highest_held_rate", "placement");
        assertThat(((Map<String, Object>) cal.get("placement")).get("pinned")).isEqualTo(false);
        // The stall meter spun for the time asked and accounts lost time as a share of it.
        final Map<String, Object> stalls = (Map<String, Object>) cal.get("cpu_stalls");
        assertThat(((Number) stalls.get("seconds")).doubleValue()).isBetween(0.29, 2.0);
        assertThat(((Number) stalls.get("lost_pct_over_bound")).doubleValue()).isBetween(0.0, 100.0)
            .isLessThanOrEqualTo(((Number) stalls.get("lost_pct_over_50us")).doubleValue());
        assertThat(stalls).containsKeys("stalls_over_bound", "max_stall_ms", "bound_us");
    }
}
