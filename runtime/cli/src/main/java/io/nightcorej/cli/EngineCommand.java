package io.nightcorej.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.nightcorej.engine.Engine;
import io.nightcorej.protocol.config.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightcore engine --config F}: runs the engine (and, through it, the function containers) until SIGTERM/SIGINT. */
@Command(name = "engine", mixinStandardHelpOptions = true,
    description = "Run the engine of the stack config; it connects to the gateway and starts one launcher per function.")
final class EngineCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "stack config JSON")
    private Path config;

    @Option(names = "--log-dir", description = "directory for the function containers' logs, one file per function "
        + "(default: <tmpdir>/nightcore-j-logs/<ipcRoot as a name>)")
    private Path logDir;

    @Mixin
    private SchedulingOption scheduling = new SchedulingOption();

    @Override
    public Integer call() throws Exception {
        final StackConfig stack = StackConfig.load(config);
        // Before the engine starts: its threads and the function containers it spawns inherit the policy.
        final String policy = scheduling.applyToThisProcess();
        final Path logs = logDir != null ? logDir : NightcoreStack.defaultLogDir(stack);
        final Engine engine = Engine.launch(Engine.Context.fromConfig(stack).logDir(logs).shutdownHook(false));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            stopped.countDown();
        }, "engine-shutdown"));
        System.out.println("{\"engine\":\"started\",\"node_id\":" + stack.engine().nodeId() + ",\"pid\":" + ProcessHandle.current().pid()
            + ",\"ipc_root\":\"" + stack.engine().ipcRoot() + "\",\"log_dir\":\"" + logs + "\",\"sched\":\"" + policy + "\"}");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
