package io.nightcorej.baselines.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds and stops every process a stack started. Each part is started in a process group of its own and with the
 * environment variable {@code NIGHTCORE_STACK_DIR=<state dir>}, which every descendant inherits (containers too: the
 * isolation backends pass {@code NIGHTCORE_STACK_*} through). So {@code down} can find all of them through
 * {@code /proc/<pid>/environ} even after {@code up}, a part, or a process group leader crashed and the tree was
 * re-parented.
 */
final class ProcessSweep {
    static final String MARK = "NIGHTCORE_STACK_DIR";

    private ProcessSweep() {
    }

    static String markValue(Path stateDir) {
        return stateDir.toAbsolutePath().normalize().toString();
    }

    /** @return pids (other than this JVM) whose environment carries the stack's mark. */
    static List<Long> marked(Path stateDir) {
        byte[] needle = (MARK + "=" + markValue(stateDir) + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.forEach(d -> {
                String n = d.getFileName().toString();
                if (!n.chars().allMatch(Character::isDigit)) return;
                long pid = Long.parseLong(n);
                if (pid == self) return;
                try {
                    byte[] env = Files.readAllBytes(d.resolve("environ"));
                    if (startsWithOrContains(env, needle)) pids.add(pid);
                } catch (IOException | SecurityException e) {
                    // gone, a kernel thread, or not readable: not ours
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return pids;
    }

    private static boolean startsWithOrContains(byte[] env, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) continue; // variables start after a NUL
            for (int j = 0; j < needle.length; j++) {
                if (env[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    /** Sends a signal to a whole process group (the part's session); missing groups are ignored. */
    static void signalGroup(long pgid, String signal) {
        try {
            Process p = new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // kill(1) missing: the per-pid sweep below still works
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the groups, then every marked process: SIGTERM, wait up to {@code graceMs}, SIGKILL, wait again.
     *
     * @return pids still alive afterwards (empty on success).
     */
    static List<Long> stopAll(Path stateDir, List<Long> groups, long graceMs) throws InterruptedException {
        for (long g : groups) signalGroup(g, "TERM");
        for (long pid : marked(stateDir)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (waitGone(stateDir, graceMs)) return List.of();
        for (long g : groups) signalGroup(g, "KILL");
        for (long pid : marked(stateDir)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        waitGone(stateDir, 5000);
        return marked(stateDir);
    }

    private static boolean waitGone(Path stateDir, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (System.nanoTime() < deadline) {
            if (marked(stateDir).isEmpty()) return true;
            Thread.sleep(50);
        }
        return marked(stateDir).isEmpty();
    }
}
