package io.nightcorej.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.netty.util.ResourceLeakDetector;
import io.nightcorej.gateway.GatewayServer;
import io.nightcorej.protocol.config.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code nightcore gateway --config F}: runs the gateway until SIGTERM/SIGINT. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Run the gateway of the stack config; prints {\"http_port\":..,\"engine_port\":..,\"pid\":..} when listening.")
final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "stack config JSON")
    private Path config;

    @Mixin
    private SchedulingOption scheduling = new SchedulingOption();

    @Override
    public Integer call() throws Exception {
        final StackConfig stack = StackConfig.load(config);
        final String policy = scheduling.applyToThisProcess();
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // The default SIMPLE level records a stack trace for every 128th buffer (visible in profiles at 30k calls/s);
            // the gateway's buffer handling is covered by tests run with the detector on. -Dio.netty.leakDetection.level=...
            // turns it back on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        final GatewayServer gateway = GatewayServer.launch(GatewayServer.Context.fromStackConfig(stack));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("{\"http_port\":" + gateway.httpPort() + ",\"engine_port\":" + gateway.enginePort()
            + ",\"pid\":" + ProcessHandle.current().pid() + ",\"sched\":\"" + policy + "\"}");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
