package io.nightcorej.microservices.common.deploy;

import io.nightcorej.microservices.common.http.FrontendServer;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a workload's HTTP front end: {@code --workload W --port P [--bind 127.0.0.1] --set k=v ...}. The front end
 * calls services through the transport the settings select: {@code transport=gateway} with {@code gateway.url} (the
 * Nightcore and OpenFaaS-style deployments), or {@code transport=rpc} with {@code services.<Name>=host:port}.
 * When listening it prints {@code {"frontend_url":"http://127.0.0.1:P","workload":W,"transport":T}} as the last stdout
 * line, then serves until SIGTERM/SIGINT.
 */
@Command(name = "frontend", mixinStandardHelpOptions = true, description = "Runs a workload's HTTP front end.")
public final class FrontendMain implements Callable<Integer> {

    @Option(names = "--workload", required = true, description = "workload name, e.g. socialnetwork")
    String workload;

    @Option(names = "--port", defaultValue = "8080", description = "port, 0 = any free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--set", description = "setting key=value (repeatable), see microservices/README.md")
    List<String> sets = new ArrayList<>();

    @Option(names = "--workers", defaultValue = "64", description = "threads running endpoints (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--queue", defaultValue = "4096", description = "requests queued for a worker before 503")
    int queue;

    @Option(names = "--io-threads", defaultValue = "1", description = "Netty I/O threads (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--max-body", defaultValue = "1048576", description = "largest request body in bytes; larger gets 413")
    int maxBody;

    @Override
    public Integer call() throws Exception {
        final Settings settings;
        final Workload w;
        try {
            settings = Settings.parse(sets).with(Settings.WORKLOAD, workload);
            w = WorkloadRegistry.find(workload);
        } catch (final IllegalArgumentException e) {
            System.err.println("frontend: " + e.getMessage());
            return 2;
        }
        final DefaultServiceEnvironment env;
        final Map<String, HttpEndpoint> endpoints;
        final FrontendServer server;
        try {
            env = DefaultServiceEnvironment.fromSettings(settings);
            endpoints = w.frontend(env);
            server = new FrontendServer.Context().endpoints(endpoints).bind(bind).port(port).ioThreads(ioThreads)
                    .workers(workers).queue(queue).maxBodyBytes(maxBody).start();
        } catch (final IllegalArgumentException e) {
            System.err.println("frontend: " + e.getMessage());
            return 2;
        } catch (final Exception e) {
            System.err.println("frontend: cannot start: " + e);
            return 1;
        }
        final CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            env.close();
            stop.countDown();
        }, "frontend-shutdown"));
        System.out.println("{\"frontend_url\":\"" + server.url() + "\",\"workload\":\"" + workload
                + "\",\"transport\":\"" + DefaultServiceEnvironment.transportOf(settings) + "\",\"endpoints\":"
                + endpoints.size() + "}");
        System.out.flush();
        stop.await();
        return 0;
    }

    /** @param args see {@link FrontendMain}. */
    public static void main(final String[] args) {
        final int status = new CommandLine(new FrontendMain()).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
