package io.nightcorej.baselines.rpc;

import io.nightcorej.baselines.openfaas.WatchdogMain;
import io.nightcorej.microservices.common.deploy.DefaultServiceEnvironment;
import io.nightcorej.microservices.common.deploy.Workload;
import io.nightcorej.microservices.common.deploy.WorkloadRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.thrift.TProcessor;
import org.apache.thrift.server.TServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One service of a workload as its own Thrift RPC server (the paper's "RPC servers" baseline): framed transport,
 * binary protocol, the workload's processor over an environment with {@code transport=rpc} (pooled framed/binary
 * connections to the other services at {@code services.<Name>=host:port}). Prints
 * {@code {"service":...,"port":...,"server":...}} last once serving; stops on SIGTERM.
 */
@Command(name = "rpc-server", mixinStandardHelpOptions = true, description = "serves one workload service over Thrift RPC")
public final class RpcServerMain implements Callable<Integer> {
    @Option(names = "--workload", required = true)
    String workload;

    @Option(names = "--service", required = true)
    String service;

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--server", defaultValue = "threadpool", description = "threadpool (default) | selector")
    String server;

    @Option(names = "--workers", defaultValue = "1024",
        description = "selector: request threads; threadpool: max threads = max concurrent connections")
    int workers;

    @Option(names = "--set", description = "k=v setting (repeatable): storage.*, services.<Name>=host:port, ...")
    List<String> sets = List.of();

    public static void main(String[] args) {
        System.exit(new CommandLine(new RpcServerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = WatchdogMain.settings(sets);
        settings.put("workload", workload);
        settings.put("service", service);
        settings.putIfAbsent("transport", "rpc");
        Workload w = WorkloadRegistry.find(workload);
        if (!w.services().contains(service)) {
            throw new IllegalArgumentException("workload " + workload + " has no service " + service + "; it has " + w.services());
        }
        DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(settings);
        TProcessor processor = w.processor(service, env);
        TServer s = RpcServers.create(server, processor, new InetSocketAddress(bind, port), workers);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread serving = new Thread(() -> {
            s.serve();
            stopped.countDown();
        }, "rpc-server-" + service);
        serving.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            s.stop();
            env.close();
        }));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!s.isServing() && serving.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (!s.isServing()) {
            System.err.println("rpc-server " + service + ": server did not start serving on " + bind + ":" + port);
            return 1;
        }
        System.out.println("{\"service\":\"" + service + "\",\"port\":" + port + ",\"server\":\"" + server + "\"}");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
