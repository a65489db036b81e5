package io.nightcorej.ci;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GateRuleTest {
    private final GateRule rule = new GateRule(0.25, 3);
    private final GateRule.Threshold atMost = new GateRule.Threshold("internal_call_over_rpc_hop_p50", 1.2, null,
        "internal call / RPC hop");
    private final GateRule.Threshold atLeast = new GateRule.Threshold("stack_achieved_nightcore_over_rpc", null, 0.95,
        "");

    @Test
    void tightSamplesWithinTheThresholdPass() {
        GateRule.Decision d = rule.decide(atMost, List.of(0.80, 0.82, 0.85));
        assertThat(d.verdict()).isEqualTo(GateRule.Verdict.PASS);
        assertThat(d.median()).isEqualTo(0.82);
    }

    @Test
    void aTightRegressionFailsWithAMessageNamingMetricThresholdAndValue() {
        GateRule.Decision d = rule.decide(atMost, List.of(1.40, 1.45, 1.50));
        assertThat(d.verdict()).isEqualTo(GateRule.Verdict.FAIL);
        assertThat(d.message()).startsWith("FAIL internal_call_over_rpc_hop_p50: measured 1.450")
            .contains("threshold ≤ 1.200");
    }

    @Test
    void aNoisyMachineStraddlingTheThresholdIsInconclusive() {
        // IQR/median = (1.6 - 0.9) / 1.1 > 0.25, and one sample of three is beyond 1.2.
        GateRule.Decision d = rule.decide(atMost, List.of(0.7, 1.1, 2.5));
        assertThat(d.verdict()).isEqualTo(GateRule.Verdict.INCONCLUSIVE);
        assertThat(d.message()).contains("spread");
    }

    @Test
    void aNoisyButUnanimousRegressionStillFails() {
        GateRule.Decision d = rule.decide(atMost, List.of(1.3, 2.0, 4.0));
        assertThat(d.verdict()).isEqualTo(GateRule.Verdict.FAIL);
        assertThat(d.message()).contains("every sample is beyond");
    }

    @Test
    void minimumBoundsWork() {
        assertThat(rule.decide(atLeast, List.of(0.99, 1.0, 1.01)).verdict()).isEqualTo(GateRule.Verdict.PASS);
        assertThat(rule.decide(atLeast, List.of(0.80, 0.81, 0.82)).verdict()).isEqualTo(GateRule.Verdict.FAIL);
    }

    @Test
    void tooFewSamplesAreInconclusive() {
        GateRule.Decision d = rule.decide(atMost, List.of(5.0, Double.NaN));
        assertThat(d.verdict()).isEqualTo(GateRule.Verdict.INCONCLUSIVE);
        assertThat(d.message()).contains("only 1 of the 3 samples");
    }

    @Test
    void overallIsTheWorstVerdict() {
        GateRule.Decision pass = rule.decide(atMost, List.of(1.0, 1.0, 1.0));
        GateRule.Decision noisy = rule.decide(atMost, List.of(0.7, 1.1, 2.5));
        GateRule.Decision fail = rule.decide(atMost, List.of(2.0, 2.0, 2.0));
        assertThat(GateRule.overall(List.of(pass, noisy))).isEqualTo(GateRule.Verdict.INCONCLUSIVE);
        assertThat(GateRule.overall(List.of(pass, noisy, fail))).isEqualTo(GateRule.Verdict.FAIL);
        assertThat(GateRule.overall(List.of(pass))).isEqualTo(GateRule.Verdict.PASS);
    }

    @Test
    void benchJsonPercentilesAreFoundWhereverTheBenchPutsThem() throws Exception {
        var m = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(PerfGateMain.percentilesUs(m.readTree("{\"mode\":\"internal\",\"p50_us\":41.0,\"p99_us\":97.5}")))
            .containsExactly(41.0, 97.5);
        assertThat(PerfGateMain.percentilesUs(m.readTree("{\"internal\":{\"latency_us\":{\"p50\":40,\"p99\":90}}}")))
            .containsExactly(40.0, 90.0);
        assertThat(PerfGateMain.percentilesUs(m.readTree("{\"calls\":3}"))).isNull();
    }

    @Test
    void checkedInThresholdsParse() throws Exception {
        GateConfig c = GateConfig.read(java.nio.file.Path.of("thresholds.json"));
        assertThat(c.metrics).containsKeys("internal_call_over_rpc_hop_p50", "stack_achieved_nightcore_over_rpc");
        assertThat(c.minSamples).isLessThanOrEqualTo(c.repetitions);
    }
}
