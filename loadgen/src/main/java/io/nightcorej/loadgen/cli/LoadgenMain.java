package io.nightcorej.loadgen.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.util.ResourceLeakDetector;
import io.nightcorej.loadgen.report.LoadResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/loadgen}: {@code run} (our open-loop engine), {@code wrk} (wrk2/wrk wrapper), {@code calibrate}
 * (what rate this machine's generator holds). Every command prints its JSON result as the last stdout line; errors
 * print {@code {"error": "..."}} last and exit non-zero.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, version = "nightcore-j loadgen 0.1.0",
    description = "Open-loop HTTP load generator (wrk2 discipline), DeathStarBench workloads, wrk2/wrk wrapper.",
    subcommands = {RunCommand.class, WrkCommand.class, CalibrateCommand.class})
public final class LoadgenMain implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * @param args CLI arguments.
     */
    public static void main(final String[] args) {
        // Netty's leak detector samples 1 in 128 buffers with a stack trace: measurable on a generator's hot path, and
        // this process's buffers are few and fixed in shape.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        final CommandLine cli = new CommandLine(new LoadgenMain());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            final String message = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            System.err.println("loadgen: " + message);
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", message);
            System.out.println(LoadResult.toJson(m));
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            final CommandLine cmd = ex.getCommandLine();
            System.err.println("loadgen: " + ex.getMessage());
            cmd.usage(System.err);
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", ex.getMessage());
            System.out.println(LoadResult.toJson(m));
            return 2;
        });
        System.exit(cli.execute(args));
    }
}
