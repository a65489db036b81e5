package io.nightcorej.microservices.common.storage;

import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The document store (MongoDB's role in DeathStarBench), always spoken to through the MongoDB Java driver: against a
 * real {@code mongod} or the embedded mongo-java-server, the code path is the same.
 *
 * <p>Filters and updates are the driver's own {@code Filters} and {@code Updates} builders. Every method throws
 * {@link StorageException} when the server cannot be reached within the configured timeout.
 */
public interface DocumentStore extends AutoCloseable {

    /** Inserts one document. */
    void insert(String collection, Document document);

    /**
     * Inserts several documents in one round trip (an ordered bulk insert, like mongoc's bulk operation that
     * DeathStarBench's UrlShortenService uses: the documents are inserted in order and the first failure stops the rest).
     */
    default void insertAll(final String collection, final List<Document> documents) {
        for (final Document d : documents) {
            insert(collection, d);
        }
    }

    /** @return the first document matching the filter. */
    Optional<Document> findOne(String collection, Bson filter);

    /** @return every document matching the filter, optionally sorted (sort may be null) and limited (0 = no limit). */
    List<Document> find(String collection, Bson filter, Bson sort, int limit);

    /**
     * Applies an update to the first matching document.
     *
     * @return true if a document matched (or was inserted with {@code upsert}).
     */
    boolean updateOne(String collection, Bson filter, Bson update, boolean upsert);

    /** One single-document update of {@link #updateEach}. */
    record Update(Bson filter, Bson update, boolean upsert) {
    }

    /**
     * Applies several single-document updates in one round trip (an unordered bulk write: each update applies on its
     * own, exactly as if it had been sent alone with {@link #updateOne}; a failure of one does not stop the others
     * and is reported after all were tried).
     *
     * @return how many of the updates matched a document (or inserted one with {@code upsert}).
     */
    default long updateEach(final String collection, final List<Update> updates) {
        long matched = 0;
        for (final Update u : updates) {
            matched += updateOne(collection, u.filter(), u.update(), u.upsert()) ? 1 : 0;
        }
        return matched;
    }

    /** Creates an ascending index on a field, if it does not exist. */
    void createIndex(String collection, String field, boolean unique);

    @Override
    void close();
}
