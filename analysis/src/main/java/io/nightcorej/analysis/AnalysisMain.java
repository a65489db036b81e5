package io.nightcorej.analysis;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar analysis/target/analysis.jar run --experiment analysis/experiments/reproduce.yaml} runs the
 * matrix and writes the report; {@code ... report results/latest} (re)writes the report of an existing run.
 */
@Command(name = "analysis", mixinStandardHelpOptions = true,
    subcommands = {AnalysisMain.Run.class, AnalysisMain.ReportCommand.class},
    description = "Nightcore-J experiment runner and report.")
public final class AnalysisMain implements Callable<Integer> {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new AnalysisMain()).execute(args));
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment file, then write the report into the new run directory.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--experiment", required = true, description = "experiment file (.yaml or .json)")
        Path experimentFile;
        @Option(names = "--repo-root", defaultValue = ".", description = "repository root (holds bin/stack, bin/loadgen)")
        Path repoRoot;
        @Option(names = "--results", description = "results folder (default: <repo-root>/results)")
        Path results;
        @Option(names = "--state-root", defaultValue = "/tmp/nightcore-j-runs",
            description = "parent of the stack tool's per-session state dirs")
        Path stateRoot;

        @Override
        public Integer call() throws IOException {
            Experiment experiment = Experiment.read(experimentFile);
            Path root = repoRoot.toAbsolutePath().normalize();
            Path resultsRoot = (results == null ? root.resolve("results") : results).toAbsolutePath().normalize();
            for (String tool : List.of("bin/stack", "bin/loadgen")) {
                if (!Files.isExecutable(root.resolve(tool))) {
                    System.out.println("[runner] warning: " + root.resolve(tool) + " is missing or not executable;"
                        + " every point will fail");
                }
            }
            Map<String, Object> stamp = stamp(root, experimentFile);
            Instant now = Instant.now();
            Path runDir = ExperimentRunner.newRunDir(resultsRoot, now, (String) stamp.get("commit_short"));
            Files.createDirectories(runDir);
            Files.copy(experimentFile, runDir.resolve(experimentFile.getFileName()));
            ExperimentRunner.linkLatest(runDir);
            Path stateDirs = stateRoot.resolve(runDir.getFileName().toString());
            System.out.printf("[runner] %s: %d points; run directory %s%n", experiment.name,
                experiment.pointCount(), runDir);
            ExperimentRunner runner = new ExperimentRunner(experiment, root, runDir, stateDirs,
                new ProcessCommandRunner(), StatsFetcher.http(Duration.ofSeconds(10)), Clock.systemUTC(), System.out,
                d -> Thread.sleep(d.toMillis()));
            int ok = runner.run(stamp);
            Report.Outcome outcome = Report.write(runDir);
            System.out.println(outcome.headline());
            System.out.println("[report] " + runDir.resolve("report.md") + " and " + runDir.resolve("index.html"));
            // A run where nothing could be measured is a broken setup, not a result.
            return ok == 0 ? 1 : 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.md, index.html, summary.json and plots for an existing run directory.")
    static final class ReportCommand implements Callable<Integer> {
        @Parameters(index = "0", description = "run directory, e.g. results/latest")
        Path runDir;

        @Override
        public Integer call() throws IOException {
            Path dir = runDir.toRealPath();
            Report.Outcome outcome = Report.write(dir);
            System.out.println(outcome.headline());
            System.out.println("[report] " + dir.resolve("report.md") + " and " + dir.resolve("index.html"));
            return 0;
        }
    }

    /** Commit, machine and command line: what makes a result traceable. */
    static Map<String, Object> stamp(Path repoRoot, Path experimentFile) {
        Map<String, Object> m = new LinkedHashMap<>();
        String commit = git(repoRoot, "rev-parse", "HEAD");
        m.put("commit", commit == null ? "unknown" : commit);
        m.put("commit_short", commit == null ? "nogit" : commit.substring(0, Math.min(7, commit.length())));
        String status = git(repoRoot, "status", "--porcelain", "--untracked-files=no");
        m.put("dirty", status != null && !status.isBlank());
        m.put("machine", MachineInfo.describe());
        m.put("experiment_file", experimentFile.toString());
        m.put("java_opts", System.getenv().getOrDefault("JAVA_OPTS", ""));
        return m;
    }

    /** Read-only git query; null when git or the repository is unavailable. */
    private static String git(Path repoRoot, String... args) {
        try {
            List<String> argv = new java.util.ArrayList<>(List.of("git", "-C", repoRoot.toString()));
            argv.addAll(List.of(args));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
