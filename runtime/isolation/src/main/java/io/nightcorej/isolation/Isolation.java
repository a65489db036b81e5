package io.nightcorej.isolation;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses an {@link IsolationBackend} by mode name.
 *
 * <table>
 *   <caption>modes</caption>
 *   <tr><th>mode</th><th>backend</th></tr>
 *   <tr><td>{@code process}</td><td>a plain child process (no namespaces)</td></tr>
 *   <tr><td>{@code bwrap}</td><td>bubblewrap; error if unavailable</td></tr>
 *   <tr><td>{@code crun}</td><td>an OCI container run by crun; error if unavailable</td></tr>
 *   <tr><td>{@code sandbox}</td><td>bwrap if available, else crun; error if neither works</td></tr>
 *   <tr><td>{@code auto}</td><td>{@code sandbox} if available, else {@code process}, logging one line why</td></tr>
 * </table>
 *
 * bwrap is preferred for {@code sandbox}: it needs no bundle on disk and no cgroup workaround, and starts as fast as
 * crun (see the module README for the measured start times).
 */
public final class Isolation {
    /** Every accepted mode name. */
    public static final String MODES = "process|sandbox|bwrap|crun|auto";

    private static final System.Logger LOG = System.getLogger(Isolation.class.getName());
    private static final ProcessBackend PROCESS = new ProcessBackend();
    private static final BubblewrapBackend BWRAP = new BubblewrapBackend();
    private static final CrunBackend CRUN = new CrunBackend();
    private static volatile boolean autoFallbackLogged;

    private Isolation() {
    }

    /**
     * @param mode one of {@link #MODES} (case-insensitive; {@code null} or blank means {@code auto}).
     * @return the backend for the mode.
     * @throws IllegalArgumentException for an unknown mode.
     * @throws IllegalStateException    when the mode names a sandbox that cannot run here (the message says why).
     */
    public static IsolationBackend select(String mode) {
        String m = mode == null || mode.isBlank() ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
        switch (m) {
            case "process":
                return PROCESS;
            case "bwrap":
                return requireAvailable(BWRAP);
            case "crun":
                return requireAvailable(CRUN);
            case "sandbox":
                return sandbox().orElseThrow(() -> new IllegalStateException(
                    "isolation 'sandbox' is not available: " + sandboxUnavailableReason()));
            case "auto":
                Optional<IsolationBackend> sandbox = sandbox();
                if (sandbox.isPresent()) return sandbox.get();
                if (!autoFallbackLogged) {
                    autoFallbackLogged = true;
                    LOG.log(System.Logger.Level.WARNING,
                        "isolation auto: no sandbox available (" + sandboxUnavailableReason() + "); using plain processes");
                }
                return PROCESS;
            default:
                throw new IllegalArgumentException("unknown isolation mode '" + mode + "' (expected " + MODES + ")");
        }
    }

    /** @return the sandbox backend {@code sandbox} would choose, if any works here. */
    public static Optional<IsolationBackend> sandbox() {
        if (BWRAP.isAvailable()) return Optional.of(BWRAP);
        if (CRUN.isAvailable()) return Optional.of(CRUN);
        return Optional.empty();
    }

    /** @return why neither sandbox works, naming both causes. */
    public static String sandboxUnavailableReason() {
        return "bwrap: " + BWRAP.unavailableReason() + "; crun: " + CRUN.unavailableReason();
    }

    /** @return the running JVM's home: containers run the same JDK. */
    public static Path javaHome() {
        return Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
    }

    /** @return the {@code java} launcher of the running JDK (visible inside every sandbox). */
    public static String javaExecutable() {
        return javaHome().resolve("bin").resolve("java").toString();
    }

    private static IsolationBackend requireAvailable(IsolationBackend b) {
        if (!b.isAvailable()) {
            throw new IllegalStateException("isolation '" + b.name() + "' is not available: " + b.unavailableReason());
        }
        return b;
    }

    /** Finds an executable on {@code PATH} (then in /usr/bin, /usr/sbin, /bin, /sbin). */
    static Optional<Path> findBinary(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/bin:/usr/bin:/usr/sbin:/bin:/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
