package io.nightcorej.microservices.common.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import io.nightcorej.microservices.common.storage.embedded.EmbeddedMongoServer;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DocumentStore contract through the MongoDB driver against mongo-java-server (Debian has no mongod), including
 * the update shapes DeathStarBench's services use: $push with $position, $pull, $elemMatch guards, upserts.
 */
class DocumentStoreTest {

    private static EmbeddedMongoServer server;
    private static MongoDocumentStore store;

    @BeforeAll
    static void start() {
        server = EmbeddedMongoServer.start("127.0.0.1", 0);
        store = new MongoDocumentStore(server.uri(), 2000);
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
    }

    @Test
    void insertFindAndUniqueIndex() {
        store.createIndex("user", "username", true);
        store.insert("user", new Document("user_id", 1L).append("username", "alice"));
        store.insert("user", new Document("user_id", 2L).append("username", "bob"));
        assertThat(store.findOne("user", Filters.eq("username", "bob")).orElseThrow().getLong("user_id")).isEqualTo(2L);
        assertThat(store.findOne("user", Filters.eq("username", "carol"))).isEmpty();
        assertThatThrownBy(() -> store.insert("user", new Document("user_id", 3L).append("username", "alice")))
                .isInstanceOf(StorageException.class).hasMessageContaining("insert").hasMessageContaining("user");
    }

    @Test
    void insertAllIsOneOrderedBulkInsertThatStopsAtTheFirstDuplicate() {
        store.createIndex("url-shorten", "shortened_url", true);
        store.insertAll("url-shorten", List.of(new Document("shortened_url", "a").append("expanded_url", "x"),
                new Document("shortened_url", "b").append("expanded_url", "y")));
        assertThat(store.find("url-shorten", Filters.in("shortened_url", List.of("a", "b")), null, 0)).hasSize(2);
        assertThatThrownBy(() -> store.insertAll("url-shorten", List.of(new Document("shortened_url", "c"),
                new Document("shortened_url", "a"), new Document("shortened_url", "d"))))
                .isInstanceOf(StorageException.class).hasMessageContaining("insertAll(x3)").hasMessageContaining("url-shorten");
        assertThat(store.findOne("url-shorten", Filters.eq("shortened_url", "c"))).isPresent();
        assertThat(store.findOne("url-shorten", Filters.eq("shortened_url", "d"))).isEmpty();
        store.insertAll("url-shorten", List.of());
        store.insertAll("url-shorten", List.of(new Document("shortened_url", "e")));
        assertThat(store.findOne("url-shorten", Filters.eq("shortened_url", "e"))).isPresent();
    }

    @Test
    void findWithInSortAndLimit() {
        for (long id = 1; id <= 5; id++) {
            store.insert("post", new Document("post_id", id).append("timestamp", 100 * id));
        }
        final List<Document> found = store.find("post", Filters.in("post_id", List.of(2L, 4L, 5L, 9L)),
                Sorts.descending("timestamp"), 2);
        assertThat(found).extracting(d -> d.getLong("post_id")).containsExactly(5L, 4L);
        assertThat(store.find("post", Filters.eq("post_id", 1L), null, 0)).hasSize(1);
    }

    @Test
    void timelineUpsertPushesNewestFirstAndGuardedFollowIsIdempotent() {
        store.updateOne("user-timeline", Filters.eq("user_id", 7L), Updates.pushEach("posts",
                List.of(new Document("post_id", 1L).append("timestamp", 1L)),
                new com.mongodb.client.model.PushOptions().position(0)), true);
        store.updateOne("user-timeline", Filters.eq("user_id", 7L), Updates.pushEach("posts",
                List.of(new Document("post_id", 2L).append("timestamp", 2L)),
                new com.mongodb.client.model.PushOptions().position(0)), true);
        final List<Document> posts = store.findOne("user-timeline", Filters.eq("user_id", 7L)).orElseThrow()
                .getList("posts", Document.class);
        assertThat(posts).extracting(d -> d.getLong("post_id")).containsExactly(2L, 1L);

        store.insert("social-graph", new Document("user_id", 1L).append("followees", List.of()));
        final var notYetFollowing = Filters.and(Filters.eq("user_id", 1L),
                Filters.not(Filters.elemMatch("followees", Filters.eq("user_id", 2L))));
        final var follow = Updates.push("followees", new Document("user_id", 2L).append("timestamp", 5L));
        assertThat(store.updateOne("social-graph", notYetFollowing, follow, false)).isTrue();
        assertThat(store.updateOne("social-graph", notYetFollowing, follow, false)).isFalse();
        store.updateOne("social-graph", Filters.eq("user_id", 1L),
                Updates.pull("followees", new Document("user_id", 2L)), false);
        assertThat(store.findOne("social-graph", Filters.eq("user_id", 1L)).orElseThrow()
                .getList("followees", Document.class)).isEmpty();
    }

    /**
     * The follow guard {@code {user_id: u, "followees.user_id": {$ne: f}}} is served from the {@code user_id} index by
     * the embedded backend (it used to scan the collection); the results must be those of the full query.
     */
    @Test
    void guardedUpdatesThroughTheIndexPrefixMatchOnlyWhatTheWholeQueryMatches() {
        store.createIndex("graph", "user_id", true);
        for (long id = 1; id <= 50; id++) {
            store.insert("graph", new Document("user_id", id).append("followees", List.of()).append("n", id % 2));
        }
        final var follow2 = Updates.push("followees", new Document("user_id", 2L).append("timestamp", 5L));
        final var guard = new Document("user_id", 1L).append("followees.user_id", new Document("$ne", 2L));
        assertThat(store.updateEach("graph", List.of(
                new DocumentStore.Update(guard, follow2, false),
                new DocumentStore.Update(new Document("user_id", 3L).append("followees.user_id", new Document("$ne", 2L)),
                        follow2, false)))).isEqualTo(2);
        // the second time the guard rejects both; other documents were never touched
        assertThat(store.updateEach("graph", List.of(new DocumentStore.Update(guard, follow2, false)))).isZero();
        assertThat(store.updateOne("graph", guard, follow2, false)).isFalse();
        assertThat(store.find("graph", new Document("followees.user_id", 2L), Sorts.ascending("user_id"), 0))
                .extracting(d -> d.getLong("user_id")).containsExactly(1L, 3L);
        // an equality on the indexed key plus a non-matching equality elsewhere finds nothing
        assertThat(store.findOne("graph", new Document("user_id", 4L).append("n", 1L))).isEmpty();
        assertThat(store.findOne("graph", new Document("user_id", 4L).append("n", 0L))).isPresent();
        // sort, limit and an $in on the indexed key still behave
        assertThat(store.find("graph", new Document("user_id", new Document("$in", List.of(5L, 6L, 7L))).append("n", 1L),
                Sorts.descending("user_id"), 1)).extracting(d -> d.getLong("user_id")).containsExactly(7L);
        assertThat(store.updateEach("graph", List.of())).isZero();
    }
}
