package io.nightcorej.isolation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A bubblewrap sandbox. The command line (see java-stack.md §4 for the measurements behind it):
 * <pre>
 * bwrap --die-with-parent --unshare-pid --unshare-ipc --unshare-uts --hostname H
 *       --ro-bind /usr /usr --ro-bind /etc /etc --symlink usr/bin /bin --symlink usr/lib /lib
 *       --symlink usr/lib64 /lib64 --symlink usr/sbin /sbin --proc /proc --dev /dev --tmpfs /tmp
 *       [--ro-bind JAVA_HOME JAVA_HOME]  (only when the JDK is outside /usr)
 *       --ro-bind P P ... --bind W W ...  (parents before children)
 *       --remount-ro / --chdir CWD -- COMMAND...
 * </pre>
 * The network namespace is the host's: services listen on and connect to 127.0.0.1 as usual. bwrap keeps its own init
 * as pid 1 in the new pid namespace, so the program is pid 2 there. {@code --remount-ro /} makes the sandbox's root
 * read-only after the mount points were created, leaving only /tmp (private tmpfs) and the read-write binds writable.
 */
final class BubblewrapBackend extends SandboxBackend {
    private static final Optional<Path> BWRAP = Isolation.findBinary("bwrap");

    @Override
    public String name() {
        return "bwrap";
    }

    @Override
    protected String probe() {
        if (BWRAP.isEmpty()) return "bwrap not found on PATH (apt-get install bubblewrap)";
        return runProbe(List.of(BWRAP.get().toString(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent", "--", "true"), 10_000);
    }

    List<String> commandLine(ContainerSpec spec) {
        List<String> c = new ArrayList<>(spec.hostPrefix());
        c.add(BWRAP.map(Path::toString).orElse("bwrap"));
        if (spec.dieWithParent()) c.add("--die-with-parent");
        c.addAll(List.of("--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", spec.hostname(),
            "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        Path jdk = javaHomeOutsideUsr();
        if (jdk != null) c.addAll(List.of("--ro-bind", jdk.toString(), jdk.toString()));
        for (Path p : spec.allBinds()) {
            c.add(spec.readWriteBinds().contains(p) ? "--bind" : "--ro-bind");
            c.add(p.toString());
            c.add(p.toString());
        }
        c.addAll(List.of("--remount-ro", "/", "--chdir", spec.effectiveWorkingDirectory(true).toString(), "--"));
        c.addAll(spec.command());
        return c;
    }

    @Override
    public Process start(ContainerSpec spec) throws IOException {
        if (!isAvailable()) throw new IOException("isolation bwrap is not available: " + unavailableReason());
        ProcessBuilder pb = new ProcessBuilder(commandLine(spec))
            .redirectInput(spec.stdin())
            .redirectOutput(spec.stdout())
            .redirectError(spec.stderr());
        pb.environment().clear();
        pb.environment().putAll(spec.fullEnvironment());
        try {
            return new ContainerProcess(Spawner.start(pb), true, () -> { });
        } catch (IOException e) {
            throw new IOException("isolation bwrap: cannot start " + spec.command().get(0) + ": " + e.getMessage(), e);
        }
    }
}
