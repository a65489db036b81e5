package io.nightcorej.isolation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * An OCI container run by crun, from a bundle written to a temporary directory per start.
 *
 * <p>The host runs cgroups in hybrid mode (v1 controllers plus a cgroup2 mount at {@code /sys/fs/cgroup/unified}),
 * which crun refuses even with {@code --cgroup-manager=disabled}. The workaround (java-stack.md §4) runs crun in a
 * private mount namespace in which that mount is gone; the host is untouched:
 * <pre>
 * setpriv --pdeathsig KILL -- unshare -m --propagation private sh -c \
 *     'umount /sys/fs/cgroup/unified 2&gt;/dev/null; exec crun --cgroup-manager=disabled run -b BUNDLE ID'
 * </pre>
 * Without a cgroup manager there are no resource limits, which Nightcore's design does not need.
 *
 * <p>The bundle's {@code config.json}: read-only empty {@code rootfs} with the merged-usr symlinks; {@code /usr} and
 * {@code /etc} bound read-only; private {@code /proc}, {@code /dev}, {@code /tmp}; read-only {@code /sys}; the spec's
 * binds at the same paths; pid, ipc, uts and mount namespaces (no network namespace: host network); the default
 * capability set of {@code crun spec} with {@code noNewPrivileges}; the host's open-file limit. Inside, the program is
 * started through {@code setpriv --pdeathsig KILL}, so it dies if crun is killed, and a dead container-init takes the
 * whole pid namespace with it. The bundle is deleted, and a left-over container state is removed with
 * {@code crun delete -f}, once crun has exited.
 */
final class CrunBackend extends SandboxBackend {
    private static final Optional<Path> CRUN = Isolation.findBinary("crun");
    private static final Optional<Path> UNSHARE = Isolation.findBinary("unshare");
    private static final Optional<Path> SETPRIV = Isolation.findBinary("setpriv");
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String CAPS = "[\"CAP_AUDIT_WRITE\",\"CAP_KILL\",\"CAP_NET_BIND_SERVICE\"]";

    @Override
    public String name() {
        return "crun";
    }

    @Override
    protected String probe() {
        if (CRUN.isEmpty()) return "crun not found on PATH (apt-get install crun)";
        if (UNSHARE.isEmpty()) return "unshare not found on PATH (util-linux)";
        if (SETPRIV.isEmpty()) return "setpriv not found on PATH (util-linux)";
        ContainerSpec spec = ContainerSpec.builder().command("/usr/bin/true").hostname("nc-probe")
            .stdin(ProcessBuilder.Redirect.PIPE).stdout(ProcessBuilder.Redirect.DISCARD)
            .stderr(ProcessBuilder.Redirect.PIPE).build();
        try {
            Process p = startUnchecked(spec);
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "crun probe container did not finish within 10 s";
            }
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? null
                : "crun probe container exited " + p.exitValue() + (err.isEmpty() ? "" : ": " + err.lines().findFirst().orElse(""));
        } catch (IOException e) {
            return "crun probe failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while probing crun";
        }
    }

    @Override
    public Process start(ContainerSpec spec) throws IOException {
        if (!isAvailable()) throw new IOException("isolation crun is not available: " + unavailableReason());
        return startUnchecked(spec);
    }

    private Process startUnchecked(ContainerSpec spec) throws IOException {
        String id = "nc-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 16));
        Path bundle = bundleRoot().resolve(id);
        try {
            writeBundle(bundle, spec);
            String script = "umount /sys/fs/cgroup/unified 2>/dev/null; exec " + CRUN.get()
                + " --cgroup-manager=disabled run -b '" + bundle + "' " + id;
            List<String> cmd = new ArrayList<>(spec.hostPrefix());
            if (spec.dieWithParent()) cmd.addAll(List.of(SETPRIV.get().toString(), "--pdeathsig", "KILL", "--"));
            cmd.addAll(List.of(UNSHARE.get().toString(), "-m", "--propagation", "private", "/bin/sh", "-c", script));
            ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(spec.stdin())
                .redirectOutput(spec.stdout())
                .redirectError(spec.stderr());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            return new ContainerProcess(Spawner.start(pb), true, () -> cleanup(id, bundle));
        } catch (IOException | RuntimeException e) {
            deleteTree(bundle);
            throw new IOException("isolation crun: cannot start " + spec.command().get(0) + ": " + e.getMessage(), e);
        }
    }

    private static Path bundleRoot() throws IOException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "nightcore-j-crun");
        Files.createDirectories(root);
        return root;
    }

    /** Removes a container state crun left behind (only when crun itself was killed) and the bundle. */
    private static void cleanup(String id, Path bundle) {
        if (Files.exists(Path.of("/run/crun", id))) {
            String script = "umount /sys/fs/cgroup/unified 2>/dev/null; exec " + CRUN.get()
                + " --cgroup-manager=disabled delete -f " + id;
            runProbe(List.of(UNSHARE.get().toString(), "-m", "--propagation", "private", "/bin/sh", "-c", script), 5_000);
        }
        deleteTree(bundle);
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.getLogger(CrunBackend.class.getName())
                .log(System.Logger.Level.WARNING, "could not delete crun bundle " + dir + ": " + e);
        }
    }

    private void writeBundle(Path bundle, ContainerSpec spec) throws IOException {
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs);
        Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("usr/bin"));
        Files.createSymbolicLink(rootfs.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("lib64"), Path.of("usr/lib64"));
        Files.createSymbolicLink(rootfs.resolve("sbin"), Path.of("usr/sbin"));
        Files.writeString(bundle.resolve("config.json"), configJson(spec), StandardCharsets.UTF_8);
    }

    String configJson(ContainerSpec spec) {
        List<String> args = new ArrayList<>();
        // Always: the container must never outlive its crun (crun gives the container a session of its own, so a
        // signal to the starter's process group would otherwise miss it).
        args.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--"));
        args.addAll(spec.command());
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : spec.fullEnvironment().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        long[] nofile = openFileLimit();
        StringBuilder j = new StringBuilder(4096);
        j.append("{\"ociVersion\":\"1.0.0\",\n\"process\":{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},\n\"args\":");
        strings(j, args);
        j.append(",\n\"env\":");
        strings(j, env);
        j.append(",\n\"cwd\":").append(quote(spec.effectiveWorkingDirectory(true).toString()));
        j.append(",\n\"capabilities\":{\"bounding\":").append(CAPS).append(",\"effective\":").append(CAPS)
            .append(",\"inheritable\":[],\"permitted\":").append(CAPS).append(",\"ambient\":").append(CAPS).append("}");
        j.append(",\n\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":").append(nofile[1]).append(",\"soft\":")
            .append(nofile[0]).append("}],\"noNewPrivileges\":true},\n");
        j.append("\"root\":{\"path\":\"rootfs\",\"readonly\":true},\n\"hostname\":").append(quote(spec.hostname()));
        j.append(",\n\"mounts\":[\n");
        j.append("{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},\n");
        j.append("{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",")
            .append("\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},\n");
        j.append("{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\",")
            .append("\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\",\"mode=0620\"]},\n");
        j.append("{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\",")
            .append("\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=65536k\"]},\n");
        j.append("{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",")
            .append("\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},\n");
        j.append("{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\",")
            .append("\"options\":[\"nosuid\",\"nodev\",\"mode=1777\"]},\n");
        bind(j, Path.of("/usr"), false);
        bind(j, Path.of("/etc"), false);
        Path jdk = javaHomeOutsideUsr();
        if (jdk != null) bind(j, jdk, false);
        for (Path p : spec.allBinds()) {
            bind(j, p, spec.readWriteBinds().contains(p));
        }
        j.setLength(j.length() - 2);
        j.append("\n],\n\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}],\n");
        j.append("\"maskedPaths\":[\"/proc/acpi\",\"/proc/asound\",\"/proc/kcore\",\"/proc/keys\",\"/proc/latency_stats\",")
            .append("\"/proc/timer_list\",\"/proc/timer_stats\",\"/proc/sched_debug\",\"/sys/firmware\",\"/proc/scsi\"],\n");
        j.append("\"readonlyPaths\":[\"/proc/bus\",\"/proc/fs\",\"/proc/irq\",\"/proc/sys\",\"/proc/sysrq-trigger\"]}}\n");
        return j.toString();
    }

    private static void bind(StringBuilder j, Path p, boolean writable) {
        j.append("{\"destination\":").append(quote(p.toString())).append(",\"type\":\"bind\",\"source\":")
            .append(quote(p.toString())).append(",\"options\":[\"rbind\",\"").append(writable ? "rw" : "ro")
            .append("\",\"nosuid\",\"nodev\"]},\n");
    }

    /** @return {soft, hard} RLIMIT_NOFILE of this JVM, so containers get what a plain process would. */
    private static long[] openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to a generous default
        }
        return new long[] {65536, 65536};
    }

    private static void strings(StringBuilder j, List<String> values) {
        j.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) j.append(',');
            j.append(quote(values.get(i)));
        }
        j.append(']');
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
