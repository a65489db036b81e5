package io.nightcorej.baselines.openfaas;

import io.nightcorej.sdk.Function;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs one function behind an OpenFaaS-style watchdog. Prints {@code {"watchdog_url":...,"function":...}} last once the
 * handler is initialised and the port listens; stops on SIGTERM.
 */
@Command(name = "watchdog", mixinStandardHelpOptions = true, description = "hosts one Function over HTTP (OpenFaaS-style)")
public final class WatchdogMain implements Callable<Integer> {
    /** The function class every workload service uses (CONTRACTS.md). */
    public static final String SERVICE_FUNCTION = "io.nightcorej.microservices.common.deploy.ServiceFunction";

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1")
    String bind;

    @Option(names = "--function", required = true, description = "the function's name (routed by the gateway)")
    String name;

    @Option(names = "--handler", defaultValue = SERVICE_FUNCTION, description = "Function class (no-arg constructor)")
    String handler;

    @Option(names = "--gateway", required = true, description = "gateway URL internal calls go through")
    URI gateway;

    @Option(names = "--workers", defaultValue = "8", description = "threads running calls")
    int workers;

    @Option(names = "--timeout-ms", defaultValue = "10000")
    long timeoutMs;

    @Option(names = "--max-payload", defaultValue = "16777216")
    int maxPayload;

    @Option(names = "--set", description = "k=v passed to Function.init (repeatable)")
    List<String> sets = List.of();

    public static void main(String[] args) {
        System.exit(new CommandLine(new WatchdogMain()).execute(args));
    }

    /** Parses repeated {@code k=v} options. */
    public static Map<String, String> settings(List<String> sets) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected --set key=value, got '" + s + "'");
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> settings = settings(sets);
        settings.putIfAbsent("service", name);
        Function function = WatchdogServer.load(handler, settings);
        WatchdogServer server = new WatchdogServer(new InetSocketAddress(bind, port), name, function,
            new InetSocketAddress(gateway.getHost(), gateway.getPort()), workers, timeoutMs, maxPayload);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (function instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }
            stopped.countDown();
        }));
        System.out.println("{\"watchdog_url\":\"http://" + bind + ":" + server.port() + "\",\"function\":\"" + name + "\"}");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
