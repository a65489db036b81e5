package io.nightcorej.loadgen.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pins threads to CPUs with {@code taskset} (Java cannot set a thread's affinity itself).
 *
 * <p>Why per thread and not per process: {@code taskset -a -p -c 0 <pid>} puts <em>every</em> thread of the JVM on the
 * generator's CPU, so the JIT compiler threads, the GC workers and the progress reporter share it with the event loop.
 * The scheduler gives a runnable C2 thread half the CPU for as long as a compilation takes (tens to hundreds of ms
 * early in a run), which halves the generator's capacity and builds a backlog of lag. The calibration therefore puts the
 * JVM's other threads on the server's CPU and only the event-loop thread on the generator's CPU.
 *
 * <p>The calling thread's Linux thread id comes from {@code /proc/thread-self} ({@code -> <pid>/task/<tid>}).
 */
public final class CpuAffinity {
    private CpuAffinity() {
    }

    /**
     * @return the calling thread's Linux thread id (tid), or -1 where {@code /proc/thread-self} does not exist.
     */
    public static long currentTid() {
        try {
            final Path p = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return Long.parseLong(p.getFileName().toString());
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Pins the calling thread (threads it creates later inherit the mask).
     *
     * @param cpus a {@code taskset -c} CPU list, e.g. {@code 0} or {@code 1-3}.
     * @return what was done, e.g. {@code tid 1234 -> CPU 0}.
     * @throws IOException if the tid is unknown or taskset fails.
     */
    public static String pinCurrentThread(final String cpus) throws IOException {
        final long tid = currentTid();
        if (tid < 0) {
            throw new IOException("cannot find this thread's tid (/proc/thread-self)");
        }
        exec(List.of("taskset", "-p", "-c", cpus, Long.toString(tid)));
        return "tid " + tid + " -> CPU " + cpus;
    }

    /**
     * Sets the calling thread's nice value ({@code renice -n N -p <tid>}; Linux nice values are per thread). At -20 a
     * thread gets ~99 % of a CPU it shares with nice-0 threads (CFS weights 88761 : 1024), so other processes that float
     * onto the generator's CPU cannot take it away for a whole scheduler slice. Lowering it needs root/CAP_SYS_NICE.
     *
     * @param nice -20..19.
     * @return what was done.
     * @throws IOException if the tid is unknown or renice fails.
     */
    public static String reniceCurrentThread(final int nice) throws IOException {
        final long tid = currentTid();
        if (tid < 0) {
            throw new IOException("cannot find this thread's tid (/proc/thread-self)");
        }
        exec(List.of("renice", "-n", Integer.toString(nice), "-p", Long.toString(tid)));
        return "tid " + tid + " nice " + nice;
    }

    /**
     * Pins every existing thread of a process ({@code taskset -a -p -c}).
     *
     * @param pid process id.
     * @param cpus a {@code taskset -c} CPU list.
     * @return taskset's output.
     * @throws IOException if taskset fails.
     */
    public static String pinProcess(final long pid, final String cpus) throws IOException {
        return exec(List.of("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)));
    }

    private static String exec(final List<String> cmd) throws IOException {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
            }
            return out.strip();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
