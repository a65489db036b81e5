package io.nightcorej.cli;

import io.nightcorej.isolation.CpuScheduling;
import picocli.CommandLine.Option;

/** The {@code --sched} option every command that starts runtime processes shares (a picocli mixin). */
final class SchedulingOption {

    @Option(names = "--sched", description = "scheduling policy of this process and the processes it starts: batch "
        + "(SCHED_BATCH, default: a woken process does not preempt the one that woke it) | normal; env NIGHTCORE_SCHED; "
        + "see runtime/README.md")
    private String sched;

    /** @return the policy asked for (option, else env, else batch), validated, without applying it. */
    String resolve() {
        return CpuScheduling.resolve(sched);
    }

    /** @return the policy now in effect for this process (see {@link CpuScheduling#applyToThisProcess}). */
    String applyToThisProcess() {
        return CpuScheduling.applyToThisProcess(sched);
    }
}
