package io.nightcorej.microservices.common.storage;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.result.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * {@link DocumentStore} over the MongoDB Java driver, against a real {@code mongod} or the embedded mongo-java-server.
 *
 * <p>Like DeathStarBench, every collection lives in a database of the same name ({@code post.post},
 * {@code user.user}...), unless the connection string names a database, in which case all collections share it.
 *
 * <p>Every wait is bounded by {@code timeoutMs}: server selection (the driver's wait for a reachable server), connect,
 * socket reads and the pool's wait for a connection. An unreachable server therefore costs one timeout and a
 * {@link StorageException} naming the server and the operation, never a hang; once the server is back, the driver's
 * monitor finds it again and the next operation succeeds.
 */
public final class MongoDocumentStore implements DocumentStore {

    private final String uri;
    private final MongoClient client;
    private final String fixedDatabase;
    private final ConcurrentHashMap<String, MongoCollection<Document>> collections = new ConcurrentHashMap<>();

    /**
     * @param uri       a connection string, e.g. {@code mongodb://127.0.0.1:27017}.
     * @param timeoutMs the bound on every wait (server selection, connect, read, pool checkout).
     */
    @SuppressWarnings("deprecation") // socket readTimeout: the non-alpha way to bound a read on a half-dead server
    public MongoDocumentStore(final String uri, final long timeoutMs) {
        this.uri = uri;
        final ConnectionString connectionString;
        try {
            connectionString = new ConnectionString(uri);
        } catch (final IllegalArgumentException e) {
            throw new StorageException("mongo: bad connection string '" + uri + "': " + e.getMessage(), e);
        }
        this.fixedDatabase = connectionString.getDatabase();
        final int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMs);
        final MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(connectionString)
                .applyToClusterSettings(b -> b.serverSelectionTimeout(timeout, TimeUnit.MILLISECONDS))
                .applyToSocketSettings(b -> b.connectTimeout(timeout, TimeUnit.MILLISECONDS)
                        .readTimeout(timeout, TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(b -> b.maxWaitTime(timeout, TimeUnit.MILLISECONDS))
                .applyToServerSettings(b -> b.minHeartbeatFrequency(100, TimeUnit.MILLISECONDS)
                        .heartbeatFrequency(Math.max(500, timeout), TimeUnit.MILLISECONDS))
                .retryWrites(false)
                .retryReads(false)
                .build();
        this.client = MongoClients.create(settings);
    }

    private MongoCollection<Document> collection(final String name) {
        return collections.computeIfAbsent(name,
                n -> client.getDatabase(fixedDatabase != null ? fixedDatabase : n).getCollection(n));
    }

    private <T> T run(final String operation, final String collection, final Supplier<T> body) {
        try {
            return body.get();
        } catch (final MongoException | IllegalStateException e) {
            throw new StorageException("mongo " + uri + ": " + operation + " on collection '" + collection + "' failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void insert(final String collection, final Document document) {
        run("insert", collection, () -> collection(collection).insertOne(document));
    }

    @Override
    public void insertAll(final String collection, final List<Document> documents) {
        if (documents.isEmpty()) {
            return;
        }
        if (documents.size() == 1) {
            insert(collection, documents.get(0));
            return;
        }
        run("insertAll(x" + documents.size() + ")", collection, () -> collection(collection).insertMany(documents));
    }

    @Override
    public Optional<Document> findOne(final String collection, final Bson filter) {
        return run("findOne", collection, () -> Optional.ofNullable(collection(collection).find(filter).first()));
    }

    @Override
    public List<Document> find(final String collection, final Bson filter, final Bson sort, final int limit) {
        return run("find", collection, () -> {
            FindIterable<Document> it = collection(collection).find(filter);
            if (sort != null) {
                it = it.sort(sort);
            }
            if (limit > 0) {
                it = it.limit(limit);
            }
            return it.into(new ArrayList<>());
        });
    }

    @Override
    public boolean updateOne(final String collection, final Bson filter, final Bson update, final boolean upsert) {
        return run("updateOne", collection, () -> {
            final UpdateResult result = collection(collection).updateOne(filter, update, new UpdateOptions().upsert(upsert));
            return result.getMatchedCount() > 0 || result.getUpsertedId() != null;
        });
    }

    @Override
    public long updateEach(final String collection, final List<Update> updates) {
        if (updates.isEmpty()) {
            return 0;
        }
        return run("updateEach(x" + updates.size() + ")", collection, () -> {
            final List<UpdateOneModel<Document>> models = new ArrayList<>(updates.size());
            for (final Update u : updates) {
                models.add(new UpdateOneModel<>(u.filter(), u.update(), new UpdateOptions().upsert(u.upsert())));
            }
            final BulkWriteResult result = collection(collection).bulkWrite(models, new BulkWriteOptions().ordered(false));
            return (long) result.getMatchedCount() + result.getUpserts().size();
        });
    }

    @Override
    public void createIndex(final String collection, final String field, final boolean unique) {
        run("createIndex(" + field + ")", collection,
                () -> collection(collection).createIndex(Indexes.ascending(field), new IndexOptions().unique(unique)));
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "MongoDocumentStore[" + uri + "]";
    }
}
