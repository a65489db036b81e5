package io.nightcorej.isolation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsolationBackendTest {
    private static final boolean REQUIRE_SANDBOX = "1".equals(System.getenv("NIGHTCORE_REQUIRE_SANDBOX"));
    private static final Path TEST_CLASSES = Path.of(IsolationProbe.class.getProtectionDomain()
        .getCodeSource().getLocation().getPath());

    @TempDir
    Path rw;

    @TempDir
    Path hostOnly;

    /** Returns the backend, or skips (fails under NIGHTCORE_REQUIRE_SANDBOX=1) when the machine cannot run it. */
    static IsolationBackend backend(String mode) {
        if (mode.equals("process")) return Isolation.select("process");
        try {
            return Isolation.select(mode);
        } catch (IllegalStateException e) {
            if (REQUIRE_SANDBOX) fail("NIGHTCORE_REQUIRE_SANDBOX=1 but " + e.getMessage());
            Assumptions.abort("skipped: " + e.getMessage());
            return null;
        }
    }

    private ContainerSpec.Builder probe(String hostname, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(Isolation.javaExecutable(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
            "-cp", TEST_CLASSES.toString(), IsolationProbe.class.getName(), rw.toString(), hostOnly.toString()));
        cmd.addAll(List.of(extra));
        return ContainerSpec.builder().command(cmd).readOnlyBind(TEST_CLASSES).readWriteBind(rw)
            .hostname(hostname).stdout(Redirect.PIPE).stderr(Redirect.INHERIT);
    }

    private static Map<String, String> readReport(Process p, String untilLine) throws IOException {
        Map<String, String> report = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = r.readLine()) != null; ) {
            if (line.equals(untilLine)) break;
            int eq = line.indexOf('=');
            if (eq > 0) report.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return report;
    }

    @ParameterizedTest
    @ValueSource(strings = {"process", "bwrap", "crun"})
    void programSeesOnlyWhatTheSpecAllows(String mode) throws Exception {
        IsolationBackend backend = backend(mode);
        Files.writeString(rw.resolve("in.txt"), "hello " + mode);
        Process p = backend.start(probe("fn-" + mode).build());
        Map<String, String> report = readReport(p, null);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("probe exits").isTrue();
        assertThat(p.exitValue()).as("probe exit code, report " + report).isZero();

        assertThat(Files.readString(rw.resolve("out.txt"))).isEqualTo("hello " + mode + " back");
        assertThat(report.get("netns")).as("host network").isEqualTo(hostLink("net"));
        if (backend.isSandboxed()) {
            assertThat(Long.parseLong(report.get("pid"))).as("pid inside its own pid namespace").isLessThanOrEqualTo(10);
            assertThat(report.get("pidns")).isNotEqualTo(hostLink("pid"));
            assertThat(report.get("hostname")).isEqualTo("fn-" + mode);
            assertThat(report.get("rootWritable")).as("root is read-only").isEqualTo("false");
            assertThat(report.get("usrWritable")).as("/usr is read-only").isEqualTo("false");
            assertThat(report.get("tmpWritable")).as("private /tmp").isEqualTo("true");
            assertThat(report.get("hostOnlyVisible")).as("unbound host paths are invisible").isEqualTo("false");
        } else {
            assertThat(report.get("pidns")).isEqualTo(hostLink("pid"));
            assertThat(report.get("hostOnlyVisible")).isEqualTo("true");
        }
    }

    private static String hostLink(String ns) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/" + ns)).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"process-graceful", "process-forced", "bwrap-graceful", "bwrap-forced", "bwrap-rootkill",
        "crun-graceful", "crun-forced", "crun-rootkill"})
    void destroyedContainerLeavesNoProcesses(String caseName) throws Exception {
        String mode = caseName.substring(0, caseName.indexOf('-'));
        String how = caseName.substring(caseName.indexOf('-') + 1);
        IsolationBackend backend = backend(mode);
        String token = UUID.randomUUID().toString();
        Files.writeString(rw.resolve("in.txt"), "x");
        Process p = backend.start(probe("fn-kill", "sleep").env("NC_TEST_TOKEN", token).build());
        Map<String, String> report = readReport(p, "ready");
        assertThat(report).containsKey("child");
        assertThat(processesWithToken(token)).as("program and its child run").hasSizeGreaterThanOrEqualTo(2);

        Consumer<Process> kill = switch (how) {
            case "graceful" -> Process::destroy;
            case "forced" -> Process::destroyForcibly;
            default -> proc -> proc.toHandle().destroyForcibly(); // SIGKILL to the root only: the sandbox must follow
        };
        kill.accept(p);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("container root exits").isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!processesWithToken(token).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(processesWithToken(token)).as("processes left after " + how).isEmpty();
        if (mode.equals("crun")) {
            p.onExit().get(10, TimeUnit.SECONDS);
            assertThat(crunBundlesOfThisJvm()).as("crun bundles left").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"process", "bwrap", "crun"})
    void newSessionCpuAffinityAndSchedulingPolicyCoverTheWholeContainer(String mode) throws Exception {
        IsolationBackend backend = backend(mode);
        String token = UUID.randomUUID().toString();
        Files.writeString(rw.resolve("in.txt"), "x");
        Process p = backend.start(probe("fn-pin", "sleep").env("NC_TEST_TOKEN", token).newSession(true).cpuAffinity("0")
            .schedulingPolicy("batch").dieWithParent(false).build());
        try {
            readReport(p, "ready");
            List<Long> pids = processesWithToken(token);
            assertThat(pids).hasSizeGreaterThanOrEqualTo(2);
            String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            assertThat(Long.parseLong(fields[3])).as("session of the container root").isEqualTo(p.pid());
            for (long pid : pids) {
                assertThat(Files.readAllLines(Path.of("/proc/" + pid + "/status"))).as("affinity of " + pid)
                    .contains("Cpus_allowed_list:\t0");
                String procStat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] procFields = procStat.substring(procStat.lastIndexOf(')') + 2).trim().split(" ");
                // field 41 of /proc/PID/stat (index 38 after pid and comm) is the policy; SCHED_BATCH = 3
                assertThat(procFields[38]).as("scheduling policy of " + pid).isEqualTo("3");
            }
            // what a deployment tool does on `down`: SIGKILL the container's process group; nothing may survive
            Process kill = new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!processesWithToken(token).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(processesWithToken(token)).as("processes left after killing the process group").isEmpty();
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void selectRejectsUnknownModesAndResolvesAuto() {
        assertThatThrownBy(() -> Isolation.select("docker")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("docker").hasMessageContaining(Isolation.MODES);
        assertThat(Isolation.select("process").isSandboxed()).isFalse();
        IsolationBackend auto = Isolation.select("auto");
        if (Isolation.sandbox().isPresent()) {
            assertThat(auto.isSandboxed()).isTrue();
            assertThat(Isolation.select("sandbox").name()).isEqualTo("bwrap".equals(auto.name()) ? "bwrap" : auto.name());
        } else {
            if (REQUIRE_SANDBOX) fail("NIGHTCORE_REQUIRE_SANDBOX=1 but " + Isolation.sandboxUnavailableReason());
            assertThat(auto.name()).isEqualTo("process");
            assertThatThrownBy(() -> Isolation.select("sandbox")).isInstanceOf(IllegalStateException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bwrap", "crun"})
    void anUnboundWorkingDirectoryIsMadeVisibleReadOnly(String mode) throws Exception {
        IsolationBackend backend = backend(mode);
        Path cwd = Files.createDirectories(hostOnly.resolve("cwd"));
        Process p = backend.start(ContainerSpec.builder().command("sh", "-c", "pwd; if touch x 2>/dev/null; then echo writable; fi")
            .workingDirectory(cwd).stdout(Redirect.PIPE).stderr(Redirect.INHERIT).build());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(out).isEqualTo(cwd.toString());
    }

    @Test
    void specRejectsMissingBindsAndEmptyCommands() {
        assertThatThrownBy(() -> ContainerSpec.builder().build()).hasMessageContaining("command is empty");
        assertThatThrownBy(() -> ContainerSpec.builder().command("true").readOnlyBind(Path.of("/no/such/jar")).build())
            .hasMessageContaining("/no/such/jar");
        assertThatThrownBy(() -> ContainerSpec.builder().command("true").hostname("bad host").build())
            .hasMessageContaining("hostname");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bwrap", "crun"})
    void missingProgramFailsWithExitCodeNotHang(String mode) throws Exception {
        IsolationBackend backend = backend(mode);
        Process p = backend.start(ContainerSpec.builder().command("/no/such/program").stdout(Redirect.DISCARD)
            .stderr(Redirect.DISCARD).build());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
    }

    private static List<Long> processesWithToken(String token) throws IOException {
        byte[] needle = ("NC_TEST_TOKEN=" + token).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(d -> d.getFileName().toString().matches("\\d+")).filter(d -> {
                try {
                    return contains(Files.readAllBytes(d.resolve("environ")), needle);
                } catch (IOException | SecurityException e) {
                    return false;
                }
            }).map(d -> Long.parseLong(d.getFileName().toString())).toList();
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) continue outer;
            }
            return true;
        }
        return false;
    }

    private static List<Path> crunBundlesOfThisJvm() throws IOException {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "nightcore-j-crun");
        if (!Files.isDirectory(root)) return List.of();
        String prefix = "nc-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
        }
    }
}
