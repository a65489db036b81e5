package io.nightcorej.microservices.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedMongoServer;
import io.nightcorej.microservices.common.testsupport.StoreServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store whose server is down answers with a StorageException naming the store and the operation within its timeout
 * (never a hang), and works again once the server is back on the same address.
 */
class StoreOutageTest {

    private static final long TIMEOUT_MS = 500;
    /** The failure must come within the store's timeout plus scheduling slack on a loaded 2-core machine. */
    private static final long BOUND_MS = TIMEOUT_MS + 1500;

    private static long elapsedMs(final long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void eventually(final Runnable action) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                action.run();
                return;
            } catch (final StorageException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    @Timeout(30)
    void redisDownThenBack(final String kind) throws InterruptedException {
        try (StoreServer backend = StoreServer.redis(kind);
             JedisSortedSetStore store = new JedisSortedSetStore(backend.address(), TIMEOUT_MS)) {
            store.add("k", List.of(new SortedSetStore.Entry("m", 1)));
            backend.close();
            final long start = System.nanoTime();
            assertThatThrownBy(() -> store.size("k")).isInstanceOf(StorageException.class)
                    .hasMessageContaining("redis " + backend.address()).hasMessageContaining("ZCARD 'k'");
            assertThat(elapsedMs(start)).isLessThan(BOUND_MS);
            backend.restart();
            eventually(() -> store.add("k", List.of(new SortedSetStore.Entry("m2", 2))));
            assertThat(store.size("k")).isEqualTo(1); // the restarted server is empty: in-memory only
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    @Timeout(30)
    void memcachedDownThenBack(final String kind) throws InterruptedException {
        try (StoreServer backend = StoreServer.memcached(kind);
             SpyCacheStore store = new SpyCacheStore(backend.address(), TIMEOUT_MS)) {
            store.set("k", "v".getBytes(StandardCharsets.UTF_8), 0);
            backend.close();
            for (int i = 0; i < 20; i++) { // spymemcached would queue these for the reconnecting node: must not
                final long start = System.nanoTime();
                assertThatThrownBy(() -> store.get("k")).isInstanceOf(StorageException.class)
                        .hasMessageContaining("memcached " + backend.address()).hasMessageContaining("get 'k'");
                assertThat(elapsedMs(start)).isLessThan(BOUND_MS);
            }
            backend.restart();
            eventually(() -> store.set("k", "v2".getBytes(StandardCharsets.UTF_8), 0));
            assertThat(store.get("k")).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    @Timeout(30)
    void mongoDownThenBack() throws InterruptedException {
        final int port = LocalServerProcess.freePort();
        EmbeddedMongoServer server = EmbeddedMongoServer.start("127.0.0.1", port);
        try (MongoDocumentStore store = new MongoDocumentStore(server.uri(), TIMEOUT_MS)) {
            store.insert("post", new Document("post_id", 1L));
            server.close();
            final long start = System.nanoTime();
            assertThatThrownBy(() -> store.findOne("post", Filters.eq("post_id", 1L)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("mongo mongodb://127.0.0.1:" + port).hasMessageContaining("findOne");
            assertThat(elapsedMs(start)).isLessThan(BOUND_MS);
            server = EmbeddedMongoServer.start("127.0.0.1", port);
            eventually(() -> store.insert("post", new Document("post_id", 2L)));
            assertThat(store.findOne("post", Filters.eq("post_id", 2L))).isPresent();
        } finally {
            server.close();
        }
    }

    @Test
    @Timeout(10)
    void aServerThatAcceptsButNeverAnswersCostsOneTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             JedisSortedSetStore redis = new JedisSortedSetStore("127.0.0.1:" + silent.getLocalPort(), TIMEOUT_MS);
             SpyCacheStore cache = new SpyCacheStore("127.0.0.1:" + silent.getLocalPort(), TIMEOUT_MS)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> redis.size("k")).isInstanceOf(StorageException.class);
            assertThat(Duration.ofMillis(elapsedMs(start))).isLessThan(Duration.ofMillis(BOUND_MS));
            start = System.nanoTime();
            assertThatThrownBy(() -> cache.get("k")).isInstanceOf(StorageException.class)
                    .hasMessageContaining("timed out");
            assertThat(Duration.ofMillis(elapsedMs(start))).isLessThan(Duration.ofMillis(BOUND_MS));
        }
    }
}
