package io.nightcorej.cli;

import io.nightcorej.launcher.LauncherMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/nightcore}: run the pieces of a Nightcore-J stack, a whole single-host stack, or its microbenchmarks.
 *
 * <pre>
 *   nightcore gateway  --config stack.json      the HTTP gateway (and the port engines connect to)
 *   nightcore engine   --config stack.json      the engine, which starts one launcher per function
 *   nightcore launcher ...                      a function container (started by the engine)
 *   nightcore up       stack.json               gateway + engine as child processes; JSON line when ready
 *   nightcore bench    internal|external        the nop-function microbenchmarks; JSON line last
 * </pre>
 */
@Command(name = "nightcore", mixinStandardHelpOptions = true, version = "nightcore-j 0.1.0",
    description = "Nightcore-J: a serverless function runtime with microsecond-scale overheads.",
    subcommands = {GatewayCommand.class, EngineCommand.class, LauncherCommand.class, UpCommand.class, BenchCommand.class})
public final class NightcoreMain implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /**
     * @param args command-line arguments.
     */
    public static void main(final String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("launcher")) {
            // The launcher owns its argument syntax; hand it everything after the subcommand name untouched.
            LauncherMain.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        final int code = new CommandLine(new NightcoreMain())
            .setExecutionExceptionHandler((e, cmd, parsed) -> {
                // A clear one-line reason (config errors, busy ports, a stack that did not come up), not a stack trace.
                cmd.getErr().println("nightcore " + cmd.getCommandName() + ": " + (e.getMessage() != null ? e.getMessage() : e));
                if (System.getenv("NIGHTCORE_DEBUG") != null) {
                    e.printStackTrace(cmd.getErr());
                }
                return 1;
            })
            .execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
