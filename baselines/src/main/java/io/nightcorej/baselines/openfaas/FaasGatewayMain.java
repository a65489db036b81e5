package io.nightcorej.baselines.openfaas;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the OpenFaaS-style gateway; prints {@code {"gateway_url":...}} last when listening; stops on SIGTERM. */
@Command(name = "faas-gateway", mixinStandardHelpOptions = true,
    description = "OpenFaaS-style gateway: POST /function/<name> forwarded over HTTP to the function's watchdog")
public final class FaasGatewayMain implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "HTTP port (0: any)")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--route", description = "Name=host:port of a function's watchdog (repeatable)")
    List<String> routes = List.of();

    @Option(names = "--io-threads", defaultValue = "1", description = "event-loop threads (Nightcore gateway default: 1)")
    int ioThreads;

    @Option(names = "--timeout-ms", defaultValue = "10000", description = "deadline of one forwarded call")
    long timeoutMs;

    @Option(names = "--max-payload", defaultValue = "16777216")
    int maxPayload;

    @Option(names = "--connections-per-watchdog", defaultValue = "64")
    int connectionsPerWatchdog;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FaasGatewayMain()).execute(args));
    }

    /** Parses {@code host:port}. */
    public static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, InetSocketAddress> table = new LinkedHashMap<>();
        for (String r : routes) {
            int eq = r.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected --route Name=host:port, got '" + r + "'");
            table.put(r.substring(0, eq), address(r.substring(eq + 1)));
        }
        FaasGatewayServer server = new FaasGatewayServer(new InetSocketAddress(bind, port), table, ioThreads, timeoutMs,
            maxPayload, connectionsPerWatchdog);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("{\"gateway_url\":\"http://" + bind + ":" + server.port() + "\",\"functions\":" + table.size() + "}");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
