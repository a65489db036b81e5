package io.nightcorej.baselines.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackToolTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            rc = StackTool.run(args);
        } finally {
            System.setOut(out);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        return new String[] {Integer.toString(rc), lines.isEmpty() ? "" : lines.get(lines.size() - 1)};
    }

    @Test
    void downWithoutAStackIsCleanAndSaysSo() {
        Path dir = tmp.resolve("never-up");
        String[] r = run("down", "--state-dir", dir.toString());
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("\"down\":true").contains("swept by environment mark only");
    }

    @Test
    void upWithAMissingWorkloadJarFailsWithJsonNamingIt() {
        Path dir = tmp.resolve("s");
        String[] r = run("up", "--system", "rpc", "--workload", "socialnetwork", "--state-dir", dir.toString(),
            "--workload-jar", tmp.resolve("nope.jar").toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).startsWith("{").contains("\"error\"").contains("nope.jar");
    }

    @Test
    void frontendChoice() throws Exception {
        StackTool.UpOptions o = new StackTool.UpOptions();
        o.workload = "hotelreservation";
        o.system = "rpc";
        o.frontend = "auto";
        Path noJar = tmp.resolve("none.jar");
        assertThat(StackTool.chooseFrontend(o, noJar)).isEmpty(); // rpc and openfaas keep the FrontendMain process
        o.frontend = "functions";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StackTool.chooseFrontend(o, noJar))
            .hasMessageContaining("--system nightcore only");
        o.system = "nightcore";
        o.frontend = "process";
        assertThat(StackTool.chooseFrontend(o, noJar)).isEmpty();
        o.frontend = "lambda";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StackTool.chooseFrontend(o, noJar))
            .hasMessageContaining("auto|process|functions");
        Path hotelJar = StackTool.workloadJar(Path.of("..").toAbsolutePath().normalize(), "hotelreservation");
        if (Files.isRegularFile(hotelJar)) {
            // NC's four HTTP functions, named as the paths the load generator sends below <gateway>/function
            o.frontend = "auto";
            assertThat(StackTool.chooseFrontend(o, hotelJar)).containsExactly(java.util.Map.entry("hotels", "/hotels"),
                java.util.Map.entry("recommendations", "/recommendations"), java.util.Map.entry("user", "/user"),
                java.util.Map.entry("reservation", "/reservation"));
        }
    }

    @Test
    void upRejectsUnknownSystems() {
        String[] r = run("up", "--system", "lambda", "--workload", "socialnetwork", "--state-dir", tmp.toString());
        assertThat(r[0]).isNotEqualTo("0");
    }

    @Test
    void upRejectsAStorageHeapTheJvmWouldNotTakeBeforeStartingAnything() {
        String[] r = run("up", "--system", "rpc", "--workload", "socialnetwork", "--state-dir", tmp.toString(),
            "--storage-heap", "lots", "--workload-jar", tmp.resolve("nope.jar").toString());
        assertThat(r[0]).isNotEqualTo("0").isNotEqualTo("1");
        assertThat(r[1]).doesNotContain("nope.jar");
    }

    @Test
    void downFindsMarkedProcessesEvenWithoutStateFile() throws Exception {
        Path dir = tmp.resolve("crashed");
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("stack.json"), "{ this is not json");
        ProcessBuilder pb = new ProcessBuilder("setsid", "sh", "-c", "sleep 60 & sleep 60; wait");
        pb.environment().put(ProcessSweep.MARK, ProcessSweep.markValue(dir));
        Process p = pb.start();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (ProcessSweep.marked(dir).size() < 3 && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(ProcessSweep.marked(dir)).hasSize(3);
        String[] r = run("down", "--state-dir", dir.toString());
        assertThat(r[1]).contains("\"down\":true").contains("\"processes_found\":3");
        assertThat(ProcessSweep.marked(dir)).isEmpty();
        assertThat(p.isAlive()).isFalse();
        assertThat(dir).doesNotExist();
    }
}
