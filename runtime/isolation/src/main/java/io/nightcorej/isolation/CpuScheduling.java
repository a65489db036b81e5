package io.nightcorej.isolation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The Linux scheduling policy of a Nightcore-J process: {@code batch} ({@code SCHED_BATCH}, the default) or
 * {@code normal} ({@code SCHED_OTHER}).
 *
 * <p><b>Why batch.</b> An external call crosses four processes (client, gateway, engine, function container) and every
 * hop is a write that wakes the next process. Under {@code SCHED_OTHER} a woken process usually preempts the one that
 * woke it, so on a machine with fewer cores than busy processes the gateway is switched out in the middle of a batch of
 * sends, the engine in the middle of a batch of dispatches, and each call pays several extra context switches. A
 * {@code SCHED_BATCH} thread that wakes up does not preempt the running one (the kernel treats it as CPU-bound and
 * leaves preemption to the tick); it runs when the waker blocks. It has the same priority and time share as
 * {@code SCHED_OTHER} and needs no privilege. Measured on the 2-vCPU VM (runtime/README.md NOTES, session 3): wrk -c8
 * on Bar 16.8-17.9k/s with every process {@code normal}, 23-24k/s with the stack's processes {@code batch}; engine CPU
 * per call 30-33 µs to 17-19 µs, container 19-20 to 9-10, gateway 28-29 to 23-24; p50 at one connection unchanged.
 *
 * <p>The policy is applied to every thread of this JVM with {@code chrt --batch -a -p 0 <pid>} (util-linux) before the
 * gateway or engine starts its threads; threads and processes created afterwards (event loops, the function
 * containers the engine spawns) inherit it. Without {@code chrt} a warning is printed and the process stays
 * {@code normal}.
 *
 * <p>Processes started through {@link ContainerSpec.Builder#schedulingPolicy} get the policy from the start instead:
 * their command line is prefixed with {@code chrt --batch 0} ({@link #commandPrefix}). {@code bin/stack} uses that to
 * run every process of every system under test (Nightcore-J, RPC servers, OpenFaaS-style, storage, front end) with
 * the same policy, so a comparison never gives one system a scheduler advantage.
 */
public final class CpuScheduling {

    /** Default policy for gateway, engine, {@code up} and {@code bench}; env {@code NIGHTCORE_SCHED} overrides it. */
    public static final String DEFAULT = "batch";

    private CpuScheduling() {
    }

    /** @return {@code option} if given, else env {@code NIGHTCORE_SCHED}, else {@link #DEFAULT}; validated. */
    public static String resolve(final String option) {
        final String env = System.getenv("NIGHTCORE_SCHED");
        final String p = (option != null ? option : env != null && !env.isBlank() ? env : DEFAULT).trim().toLowerCase(Locale.ROOT);
        if (!p.equals("batch") && !p.equals("normal")) {
            throw new IllegalArgumentException("--sched must be batch or normal, not " + p);
        }
        return p;
    }

    /**
     * @param policy {@code batch} or {@code normal} (already resolved).
     * @return the words to put before a command so that it starts under {@code policy}: {@code chrt --batch 0} or
     *         {@code chrt --other 0} (chrt execs, so the pid stays the command's); nothing when chrt is not installed.
     */
    public static List<String> commandPrefix(final String policy) {
        final List<String> prefix = new ArrayList<>();
        Isolation.findBinary("chrt").ifPresent(chrt -> {
            prefix.add(chrt.toString());
            prefix.add("batch".equals(policy) ? "--batch" : "--other");
            prefix.add("0");
        });
        return prefix;
    }

    /**
     * Puts every thread of this process under {@code policy}. Call before starting the process's own threads.
     *
     * @param policy {@code batch} or {@code normal}.
     * @return the policy now in effect ({@code normal} when {@code batch} could not be applied, with a warning on stderr).
     */
    public static String applyToThisProcess(final String policy) {
        final String p = resolve(policy);
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return "normal";
        }
        final List<String> cmd = List.of("chrt", p.equals("batch") ? "--batch" : "--other", "-a", "-p", "0",
            Long.toString(ProcessHandle.current().pid()));
        try {
            final Process chrt = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(chrt.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!chrt.waitFor(5, TimeUnit.SECONDS)) {
                chrt.destroyForcibly();
                System.err.println("nightcore: chrt did not finish in 5 s; scheduling policy left as it was");
                return "normal";
            }
            if (chrt.exitValue() != 0) {
                System.err.println("nightcore: " + String.join(" ", cmd) + " failed (" + chrt.exitValue() + "): " + out
                    + "; scheduling policy left as it was");
                return "normal";
            }
            return p;
        } catch (final IOException e) {
            if (p.equals("batch")) {
                System.err.println("nightcore: cannot run chrt (" + e.getMessage() + "); running with the normal scheduling policy"
                    + " (install util-linux for SCHED_BATCH, see runtime/README.md)");
            }
            return "normal";
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return "normal";
        }
    }
}
