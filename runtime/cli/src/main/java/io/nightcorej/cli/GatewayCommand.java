package io.nightcorej.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.nightcorej.gateway.GatewayServer;
import io.nightcorej.protocol.config.StackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nightcore gateway --config F}: runs the gateway until SIGTERM/SIGINT. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Run the gateway of the stack config; prints {\"http_port\":..,\"engine_port\":..,\"pid\":..} when listening.")
final class GatewayCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "stack config JSON")
    private Path config;

    @Override
    public Integer call() throws Exception {
        final StackConfig stack = StackConfig.load(config);
        final GatewayServer gateway = GatewayServer.launch(GatewayServer.Context.fromStackConfig(stack));
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        System.out.println("{\"http_port\":" + gateway.httpPort() + ",\"engine_port\":" + gateway.enginePort()
            + ",\"pid\":" + ProcessHandle.current().pid() + "}");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
