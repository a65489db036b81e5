package io.nightcorej.baselines.stack;

import io.nightcorej.baselines.openfaas.WatchdogMain;
import io.nightcorej.microservices.common.deploy.Workload;
import io.nightcorej.microservices.common.deploy.WorkloadRegistry;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Loads a workload's data set through a running front end with the workload's own loader ({@link Workload#load}).
 * Runs on the workload's class path (started by {@code bin/stack load}); prints one JSON line last.
 */
@Command(name = "stack-load", mixinStandardHelpOptions = true)
public final class LoadMain implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--frontend", required = true)
    URI frontend;

    @Option(names = "--set")
    List<String> sets = List.of();

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadMain()).execute(args));
    }

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        try {
            Map<String, String> options = WatchdogMain.settings(sets);
            WorkloadRegistry.find(workload).load(frontend, options);
            System.out.printf("{\"loaded\":\"%s\",\"frontend_url\":\"%s\",\"seconds\":%.3f}%n", workload, frontend,
                (System.nanoTime() - t0) / 1e9);
            return 0;
        } catch (Exception e) {
            System.err.println("stack load: " + e.getMessage());
            System.out.println(StackTool.json(Map.of("error", String.valueOf(e.getMessage()), "workload", workload)));
            return 1;
        }
    }
}
