package io.nightcorej.microservices.common.storage;

import io.nightcorej.microservices.common.storage.embedded.EmbeddedMongoServer;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a deployment's storage in one process and prints where it listens as the last stdout line:
 * {@code {"mongo":"mongodb://127.0.0.1:p","redis":"127.0.0.1:p","memcached":"127.0.0.1:p","mode":"real"}}.
 *
 * <ul>
 *   <li>{@code --mode embedded}: mongo-java-server, our RESP server and our memcached-protocol server, in this JVM;</li>
 *   <li>{@code --mode real}: Debian's {@code redis-server} and {@code memcached} as child processes (in-memory, loopback
 *       only), plus mongo-java-server for documents (Debian has no MongoDB).</li>
 * </ul>
 * It runs until SIGTERM/SIGINT, then stops its children (shutdown hook). If a child server dies, it says so on stderr,
 * stops the rest and exits with status 1, so a supervisor never keeps a half-dead storage tier.
 *
 * <pre>
 *   java -cp social-network.jar io.nightcorej.microservices.common.storage.StorageServerMain --mode real
 * </pre>
 */
@Command(name = "storage-server", mixinStandardHelpOptions = true,
        description = "Runs MongoDB-, Redis- and memcached-role servers for a deployment.")
public final class StorageServerMain implements Callable<Integer> {

    @Option(names = "--mode", defaultValue = "embedded", description = "embedded | real (default ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to bind (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--mongo-port", defaultValue = "0", description = "0 = any free port")
    int mongoPort;

    @Option(names = "--redis-port", defaultValue = "0", description = "0 = any free port")
    int redisPort;

    @Option(names = "--memcached-port", defaultValue = "0", description = "0 = any free port")
    int memcachedPort;

    private final List<AutoCloseable> running = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (!"embedded".equals(mode) && !"real".equals(mode)) {
            System.err.println("storage-server: --mode must be embedded or real, not '" + mode + "'");
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "storage-server-shutdown"));
        final String mongo;
        final String redis;
        final String memcached;
        try {
            if ("embedded".equals(mode)) {
                final EmbeddedStorage storage = EmbeddedStorage.start(bind, mongoPort, redisPort, memcachedPort);
                register(storage);
                mongo = storage.mongoUri();
                redis = storage.redisAddress();
                memcached = storage.memcachedAddress();
            } else {
                if (!"127.0.0.1".equals(bind)) {
                    System.err.println("storage-server: --mode real binds redis-server and memcached to 127.0.0.1 only");
                    return 2;
                }
                final EmbeddedMongoServer mongoServer = EmbeddedMongoServer.start(bind, mongoPort);
                register(mongoServer);
                mongo = mongoServer.uri();
                final LocalServerProcess redisProcess = LocalServerProcess.redis(
                        redisPort == 0 ? LocalServerProcess.freePort() : redisPort);
                register(redisProcess);
                final LocalServerProcess memcachedProcess = LocalServerProcess.memcached(
                        memcachedPort == 0 ? LocalServerProcess.freePort() : memcachedPort);
                register(memcachedProcess);
                redis = redisProcess.address();
                memcached = memcachedProcess.address();
                for (final LocalServerProcess child : List.of(redisProcess, memcachedProcess)) {
                    child.onExit().thenRun(() -> {
                        if (stopped.getCount() > 0) {
                            System.err.println("storage-server: " + child + " exited unexpectedly; stopping");
                            System.exit(1);
                        }
                    });
                }
            }
        } catch (final RuntimeException e) {
            System.err.println("storage-server: " + e.getMessage());
            stopAll();
            return 1;
        }
        System.out.println("{\"mongo\":\"" + mongo + "\",\"redis\":\"" + redis + "\",\"memcached\":\"" + memcached
                + "\",\"mode\":\"" + mode + "\"}");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private synchronized void register(final AutoCloseable server) {
        running.add(server);
    }

    private synchronized void stopAll() {
        stopped.countDown();
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (final Exception e) {
                System.err.println("storage-server: stopping " + running.get(i) + ": " + e.getMessage());
            }
        }
        running.clear();
    }

    /** @param args see {@link StorageServerMain}. */
    public static void main(final String[] args) {
        final int status = new CommandLine(new StorageServerMain()).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }
}
