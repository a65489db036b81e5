package io.nightcorej.mediamicroservices.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import io.nightcorej.mediamicroservices.MediaMicroservicesWorkload;
import io.nightcorej.mediamicroservices.data.SyntheticTmdb;
import io.nightcorej.mediamicroservices.service.Keys;
import io.nightcorej.mediamicroservices.support.InProcessMedia;
import io.nightcorej.microservices.common.deploy.DefaultServiceEnvironment;
import io.nightcorej.microservices.common.deploy.EmbeddedRpcDeployment;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedStorage;
import io.nightcorej.microservices.common.testsupport.RawHttp;
import io.nightcorej.microservices.common.testsupport.StoreServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The RPC-server deployment end to end in one JVM over real sockets ({@link EmbeddedRpcDeployment}): the twelve
 * processors on Thrift servers (framed binary on loopback), each with the environment a real deployment builds from
 * its settings ({@code transport=rpc}, {@code services.*}, {@code storage.*}), M1's front end in
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

    private final String storageKind;
    private EmbeddedStorage storage;
    private StoreServer memcached;
    private StoreServer redis;
    private EmbeddedRpcDeployment stack;
    private DefaultServiceEnvironment probe;

    /** @param storageKind the cache and sorted-set servers: "embedded" or "real" (see {@link StoreServer}). */
    RpcDeploymentContract(final String storageKind) {
        this.storageKind = storageKind;
    }

    @BeforeAll
    void start() throws Exception {
        memcached = StoreServer.memcached(storageKind);
        redis = StoreServer.redis(storageKind);
        storage = EmbeddedStorage.start("127.0.0.1", 0, 0, 0);
        stack = new EmbeddedRpcDeployment.Context().workload(new MediaMicroservicesWorkload())
                .settings(InProcessMedia.settings(storage))
                .settings(Map.of("rpc.timeout.ms", "5000", "storage.memcached", memcached.address(),
                        "storage.redis", redis.address(), "storage.timeout.ms", "1000"))
                .start();
        probe = DefaultServiceEnvironment.fromSettings(stack.settings());
        new MediaMicroservicesWorkload().load(URI.create(stack.url()),
                Map.of("users", "20", "movies", "40", "concurrency", "4"));
    }

    @AfterAll
    void stop() {
        closeQuietly(probe);
        closeQuietly(stack);
        closeQuietly(storage);
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
        return RawHttp.exchange(stack.url(), "POST " + stack.url() + "/wrk2-api/review/compose HTTP/1.1\r\nHost: 127.0.0.1\r\n"
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
        final String missing = RawHttp.exchange(stack.url(), "POST /wrk2-api/review/compose HTTP/1.1\r\nHost: x\r\nContent-Type: "
                + "application/x-www-form-urlencoded\r\nContent-Length: 35\r\nConnection: close\r\n\r\n",
                "username=username_1&password=p&t=x".concat(" ").getBytes(StandardCharsets.UTF_8));
        assertThat(missing).startsWith("HTTP/1.1 400").contains("Incomplete arguments");
        assertThat(RawHttp.exchange(stack.url(), "GET /wrk2-api/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]))
                .startsWith("HTTP/1.1 404");
        assertThatThrownBy(() -> new MediaMicroservicesWorkload().load(URI.create(stack.url()), Map.of("dataset", "x")))
                .hasMessageContaining("unknown mediamicroservices load option 'dataset'");
    }

    @Test
    void loadingAgainIsHarmless() throws Exception {
        final long users = probe.documents().find(Keys.USER_COLLECTION, Filters.exists("username"), null, 0).size();
        new MediaMicroservicesWorkload().load(URI.create(stack.url()), Map.of("users", "20", "movies", "10"));
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
        assertThat(down).startsWith("HTTP/1.1 500").contains("memcached " + memcached.address());
        assertThat((System.nanoTime() - t0) / 1_000_000).as("bounded by storage.timeout.ms").isLessThan(10_000);
        memcached.restart();
        final long deadline = System.nanoTime() + 15_000_000_000L;
        String back = compose(2, title, 4, TEXT);
        while (!back.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            back = compose(2, title, 4, TEXT);
        }
        assertThat(back).startsWith("HTTP/1.1 200");
    }
}
