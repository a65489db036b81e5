package io.nightcorej.isolation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What bwrap and crun share: a one-time availability probe (the binary exists <em>and</em> a trivial container runs, so
 * a machine that forbids namespaces is detected before the first real start) and the rules for extra mounts.
 */
abstract class SandboxBackend implements IsolationBackend {
    private volatile String reason;
    private volatile boolean probed;

    @Override
    public final boolean isAvailable() {
        return unavailableReason() == null;
    }

    @Override
    public final String unavailableReason() {
        if (!probed) {
            synchronized (this) {
                if (!probed) {
                    reason = probe();
                    probed = true;
                }
            }
        }
        return reason;
    }

    @Override
    public final boolean isSandboxed() {
        return true;
    }

    /** @return {@code null} when a trivial container runs here, else why not. */
    protected abstract String probe();

    /** @return the JDK's home if it is outside /usr (so the /usr bind does not cover it), else {@code null}. */
    static Path javaHomeOutsideUsr() {
        Path home = Isolation.javaHome();
        try {
            home = home.toRealPath();
        } catch (IOException ignored) {
            // keep the configured path; the bind will fail with a clear message if it is really missing
        }
        return home.startsWith("/usr") ? null : home;
    }

    /** Runs a short command; @return {@code null} if it exited 0 within the timeout, else a reason with its output. */
    static String runProbe(List<String> cmd, long timeoutMs) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p;
        try {
            p = Spawner.start(pb);
        } catch (IOException e) {
            return "cannot run " + cmd.get(0) + ": " + e.getMessage();
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return String.join(" ", cmd) + " did not finish within " + timeoutMs + " ms";
            }
            String out = readAll(p.getInputStream()).trim();
            if (p.exitValue() != 0) {
                return "probe exited " + p.exitValue() + (out.isEmpty() ? "" : ": " + out.lines().findFirst().orElse(""));
            }
            return null;
        } catch (IOException e) {
            return "probe failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return "interrupted while probing";
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return name();
    }
}
