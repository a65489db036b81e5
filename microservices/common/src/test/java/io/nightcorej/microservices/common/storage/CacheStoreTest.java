package io.nightcorej.microservices.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.microservices.common.testsupport.StoreServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CacheStore contract, through spymemcached, against our memcached server and Debian's memcached alike. */
class CacheStoreTest {

    private static final Map<String, StoreServer> BACKENDS = new ConcurrentHashMap<>();
    private static final Map<String, SpyCacheStore> STORES = new ConcurrentHashMap<>();

    private static SpyCacheStore store(final String kind) {
        final StoreServer backend = BACKENDS.computeIfAbsent(kind, StoreServer::memcached);
        final SpyCacheStore store = STORES.computeIfAbsent(kind, k -> new SpyCacheStore(backend.address(), 2000));
        store.flushAll();
        return store;
    }

    @AfterAll
    static void stop() {
        STORES.values().forEach(SpyCacheStore::close);
        BACKENDS.values().forEach(StoreServer::close);
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void setThenGetReturnsTheSameBytesAndMissesAreNull(final String kind) {
        final CacheStore cache = store(kind);
        cache.set("alice:user_id", bytes("1234"), 0);
        assertThat(cache.get("alice:user_id")).isEqualTo(bytes("1234"));
        assertThat(cache.get("bob:user_id")).isNull();
        final byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        cache.set("binary", binary, 0);
        assertThat(cache.get("binary")).isEqualTo(binary);
        cache.set("empty", new byte[0], 0);
        assertThat(cache.get("empty")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void getMultiReturnsOnlyTheHits(final String kind) {
        final CacheStore cache = store(kind);
        cache.set("1", bytes("{\"post_id\":1}"), 0);
        cache.set("3", bytes("{\"post_id\":3}"), 0);
        final Map<String, byte[]> found = cache.getMulti(List.of("1", "2", "3"));
        assertThat(found).containsOnlyKeys("1", "3");
        assertThat(found.get("3")).isEqualTo(bytes("{\"post_id\":3}"));
        assertThat(cache.getMulti(List.of())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void overwriteAndDelete(final String kind) {
        final CacheStore cache = store(kind);
        cache.set("k", bytes("v1"), 0);
        cache.set("k", bytes("v2"), 0);
        assertThat(cache.get("k")).isEqualTo(bytes("v2"));
        cache.delete("k");
        assertThat(cache.get("k")).isNull();
        cache.delete("k"); // deleting a missing key is not an error
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void ttlExpires(final String kind) throws InterruptedException {
        final CacheStore cache = store(kind);
        cache.set("short", bytes("x"), 1);
        assertThat(cache.get("short")).isNotNull();
        Thread.sleep(2100); // memcached's clock has one-second resolution
        assertThat(cache.get("short")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void aValueOverTheItemLimitIsAClearErrorAndTheConnectionStaysUsable(final String kind) {
        final CacheStore cache = store(kind);
        assertThatThrownBy(() -> cache.set("big", new byte[2 * 1024 * 1024], 0))
                .isInstanceOf(StorageException.class).hasMessageContaining("memcached").hasMessageContaining("big");
        cache.set("after", bytes("ok"), 0);
        assertThat(cache.get("after")).isEqualTo(bytes("ok"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"embedded", "real"})
    void badKeysAreStorageExceptions(final String kind) {
        final CacheStore cache = store(kind);
        assertThatThrownBy(() -> cache.get("has space")).isInstanceOf(StorageException.class)
                .hasMessageContaining("has space");
    }
}
