package io.nightcorej.mediamicroservices.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import io.nightcorej.mediamicroservices.MediaMicroservicesWorkload;
import io.nightcorej.mediamicroservices.data.SyntheticTmdb;
import io.nightcorej.mediamicroservices.service.Keys;
import io.nightcorej.mediamicroservices.support.InProcessMedia;
import io.nightcorej.microservices.common.deploy.DefaultServiceEnvironment;
import io.nightcorej.microservices.common.http.FrontendServer;
import io.nightcorej.microservices.common.net.LocalPorts;
import io.nightcorej.microservices.common.storage.LocalServerProcess;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedStorage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The RPC-server deployment end to end in one JVM over real sockets: the twelve processors on
 * {@link TThreadPoolServer}s (framed binary Thrift on loopback), each with the environment a real deployment builds
 * from its settings ({@code transport=rpc}, {@code services.*}, {@code storage.*}), M1's {@link FrontendServer} in
 * front, {@link MediaMicroservicesWorkload#load} through it, and compose-review requests byte for byte as
 * {@code moviereview-compose} sends them. Documents are on the embedded mongo-java-server; cache and sorted sets are
 * the embedded servers ({@link RpcDeploymentEmbeddedTest}) or Debian's {@code memcached} and {@code redis-server}
 * ({@link RpcDeploymentRealTest}: skipped with the reason when missing, a failure when
 * {@code NIGHTCORE_REQUIRE_REAL_STORAGE=1}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class RpcDeploymentContract {

    private static final String TEXT = "Abc123".repeat(42) + "XYZa"; // 256 alphanumerics, as the script draws them

    private EmbeddedStorage storage;
    private final List<Integer> ports = LocalPorts.outsideEphemeralRange(2);
    private AutoCloseable memcached;
    private AutoCloseable redis;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<TServer> servers = new ArrayList<>();
    private FrontendServer frontend;
    private DefaultServiceEnvironment probe;

    /** @return a memcached-protocol server on 127.0.0.1:port. */
    abstract AutoCloseable startMemcached(int port) throws Exception;

    /** @return a RESP server on 127.0.0.1:port. */
    abstract AutoCloseable startRedis(int port) throws Exception;

    @BeforeAll
    void start() throws Exception {
        memcached = startMemcached(ports.get(0));
        redis = startRedis(ports.get(1));
        storage = EmbeddedStorage.start("127.0.0.1", 0, 0, 0);
        final MediaMicroservicesWorkload workload = new MediaMicroservicesWorkload();
        final Map<String, String> settings = new LinkedHashMap<>(InProcessMedia.settings(storage));
        settings.put("transport", "rpc");
        settings.put("rpc.timeout.ms", "5000");
        settings.put("storage.memcached", "127.0.0.1:" + ports.get(0));
        settings.put("storage.redis", "127.0.0.1:" + ports.get(1));
        settings.put("storage.timeout.ms", "1000");
        final Map<String, Integer> servicePorts = new LinkedHashMap<>();
        for (final String service : workload.services()) {
            servicePorts.put(service, LocalServerProcess.freePort());
            settings.put("services." + service, "127.0.0.1:" + servicePorts.get(service));
        }
        for (final String service : workload.services()) {
            final Map<String, String> own = new LinkedHashMap<>(settings);
            own.put("service", service);
            final DefaultServiceEnvironment env = DefaultServiceEnvironment.fromSettings(own);
            resources.add(env);
            final TServer server = new TThreadPoolServer(new TThreadPoolServer.Args(
                    new TServerSocket(new InetSocketAddress("127.0.0.1", servicePorts.get(service))))
                    .processor(workload.processor(service, env))
                    .transportFactory(new TFramedTransport.Factory())
                    .protocolFactory(new TBinaryProtocol.Factory())
                    .minWorkerThreads(2).maxWorkerThreads(64));
            final Thread t = new Thread(server::serve, "rpc-" + service);
            t.setDaemon(true);
            t.start();
            servers.add(server);
        }
        final DefaultServiceEnvironment frontendEnv = DefaultServiceEnvironment.fromSettings(settings);
        resources.add(frontendEnv);
        frontend = new FrontendServer.Context().endpoints(workload.frontend(frontendEnv)).bind("127.0.0.1").port(0)
                .workers(16).start();
        probe = DefaultServiceEnvironment.fromSettings(settings);
        resources.add(probe);
        final long deadline = System.nanoTime() + 5_000_000_000L;
        for (final TServer server : servers) {
            while (!server.isServing() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
        workload.load(URI.create(frontend.url()), Map.of("users", "20", "movies", "40", "concurrency", "4"));
    }

    @AfterAll
    void stop() {
        if (frontend != null) {
            frontend.close();
        }
        servers.forEach(TServer::stop);
        for (final AutoCloseable r : resources) {
            closeQuietly(r);
        }
        if (storage != null) {
            storage.close();
        }
        closeQuietly(memcached);
        closeQuietly(redis);
    }

    private static void closeQuietly(final AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (final Exception ignored) {
            // best effort
        }
    }

    /** A compose-review exactly as the load generator writes it: absolute-form, form body, raw title, & as %26. */
    private String compose(final int user, final String bodyTitle, final int rating, final String text) throws Exception {
        final String body = "username=username_" + user + "&password=password_" + user + "&title=" + bodyTitle
                + "&rating=" + rating + "&text=" + text;
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return raw("POST " + frontend.url() + "/wrk2-api/review/compose HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n", bytes);
    }

    @Test
    void composeReviewsAsTheLoadGeneratorSendsThemAreStoredEverywhere() throws Exception {
        final int[] movies = {3, 5, 8, 0}; // '&', UTF-8 'é', apostrophes and parentheses, plain
        for (int k = 0; k < movies.length; k++) {
            final SyntheticTmdb.Movie movie = SyntheticTmdb.movie(movies[k]);
            final String text = ("Load" + k + TEXT).substring(0, 256);
            final String response = compose(7 + k, movie.title().replace("&", "%26"), k, text);
            assertThat(response).as(movie.title()).startsWith("HTTP/1.1 200");
            final List<org.bson.Document> stored = probe.documents().find(Keys.REVIEW_COLLECTION, Filters.eq("text", text),
                    null, 0);
            assertThat(stored).as(movie.title()).singleElement()
                    .satisfies(d -> assertThat(d.getString("movie_id")).isEqualTo(Long.toString(movie.id())));
            assertThat(probe.sortedSets().all(Keys.uncommittedRatings(Long.toString(movie.id()))))
                    .extracting(SortedSetStore.Entry::score).contains((double) k);
        }
    }

    @Test
    void badInputGetsTheDocumentedAnswers() throws Exception {
        assertThat(compose(1, "No Such Movie", 3, TEXT)).startsWith("HTTP/1.1 500")
                .contains("Movie No Such Movie is not found in MongoDB");
        final String missing = raw("POST /wrk2-api/review/compose HTTP/1.1\r\nHost: x\r\nContent-Type: "
                + "application/x-www-form-urlencoded\r\nContent-Length: 35\r\nConnection: close\r\n\r\n",
                "username=username_1&password=p&t=x".concat(" ").getBytes(StandardCharsets.UTF_8));
        assertThat(missing).startsWith("HTTP/1.1 400").contains("Incomplete arguments");
        assertThat(raw("GET /wrk2-api/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]))
                .startsWith("HTTP/1.1 404");
        assertThatThrownBy(() -> new MediaMicroservicesWorkload().load(URI.create(frontend.url()), Map.of("dataset", "x")))
                .hasMessageContaining("unknown mediamicroservices load option 'dataset'");
    }

    @Test
    void loadingAgainIsHarmless() throws Exception {
        final long users = probe.documents().find(Keys.USER_COLLECTION, Filters.exists("username"), null, 0).size();
        new MediaMicroservicesWorkload().load(URI.create(frontend.url()), Map.of("users", "20", "movies", "10"));
        assertThat(probe.documents().find(Keys.USER_COLLECTION, Filters.exists("username"), null, 0)).hasSize((int) users);
        assertThat(probe.documents().find(Keys.MOVIE_ID_COLLECTION, Filters.exists("title"), null, 0)).hasSize(40);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: the other services' cache clients reconnect in the background afterwards
    void aCacheOutageIsA500NamingTheStoreUntilTheCacheIsBack() throws Exception {
        final String title = SyntheticTmdb.title(11);
        assertThat(compose(2, title, 4, TEXT)).startsWith("HTTP/1.1 200");
        memcached.close();
        final long t0 = System.nanoTime();
        final String down = compose(2, title, 4, TEXT);
        assertThat(down).startsWith("HTTP/1.1 500").contains("memcached 127.0.0.1:" + ports.get(0));
        assertThat((System.nanoTime() - t0) / 1_000_000).as("bounded by storage.timeout.ms").isLessThan(10_000);
        memcached = startMemcached(ports.get(0));
        final long deadline = System.nanoTime() + 15_000_000_000L;
        String back = compose(2, title, 4, TEXT);
        while (!back.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            back = compose(2, title, 4, TEXT);
        }
        assertThat(back).startsWith("HTTP/1.1 200");
    }

    private String raw(final String head, final byte[] body) throws Exception {
        final URI base = URI.create(frontend.url());
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            final OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            final InputStream in = s.getInputStream();
            final ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
