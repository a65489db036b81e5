package io.nightcorej.microservices.common.storage.embedded;

import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.MongoDatabase;

/**
 * mongo-java-server's in-memory backend with two changes that take work off every update without changing any result.
 *
 * <p><b>1. Index on a subset of the query.</b> {@code mongod}'s planner has a rule the library lacks: a query
 * whose top-level fields include plain equality on every key of an index is served from that index, and only the
 * documents the index returns are matched against the whole query.
 *
 * <p>Why: the library uses an index only when the query's fields are <em>exactly</em> the index's keys. A query like
 * DeathStarBench's follow guard {@code {user_id: 42, "followees.user_id": {$ne: 7}}} therefore scanned every document
 * of the collection (and walked every document's array) on every update, while {@code mongod} looks {@code user_id} up
 * in its index and filters the one document it finds. Results are unchanged: the index returns a superset of the
 * matches (every match has {@code user_id == 42}), and the full query is still applied to each candidate, so sort,
 * skip, limit and projection behave as before.
 *
 * <p>Only scalar equality values (numbers, strings, booleans, object ids) select an index here; operators, arrays,
 * sub-documents, regular expressions and nulls fall back to the library's own choice.
 *
 * <p><b>2. No data-size bookkeeping.</b> The library re-encodes the old and the new document to BSON on every update
 * (and every insert and delete) only to keep a running byte count for {@code collStats}/{@code dbStats}; for documents
 * with arrays of hundreds of entries that was a quarter of the update's cost. Here the count is not kept: those
 * statistics report a data size of 0. Nothing in the workloads reads them.
 */
public final class IndexPrefixMemoryBackend extends MemoryBackend {

    @Override
    public MemoryDatabase openOrCreateDatabase(final String databaseName) {
        return new Database(databaseName, getCursorRegistry());
    }

    private static final class Database extends MemoryDatabase {
        Database(final String name, final CursorRegistry cursors) {
            super(name, cursors);
        }

        @Override
        protected MemoryCollection openOrCreateCollection(final String collectionName, final CollectionOptions options) {
            return new Collection(this, collectionName, options, cursorRegistry);
        }
    }

    private static final class Collection extends MemoryCollection {
        Collection(final MongoDatabase database, final String name, final CollectionOptions options,
                final CursorRegistry cursors) {
            super(database, name, options, cursors);
        }

        @Override
        protected boolean tracksDataSize() {
            return false;
        }

        @Override
        protected QueryResult queryDocuments(final Document query, final Document orderBy, final int skip,
                final int limit, final int batchSize, final Document projection) {
            if (query != null && query.size() > 1) {
                for (final Index<Integer> index : getIndexes()) {
                    if (index.canHandle(query)) {
                        break; // the library's exact match is as good; let it choose as it always did
                    }
                    final Document equality = equalityOnKeysOf(index, query);
                    if (equality != null && index.canHandle(equality)) {
                        return matchDocuments(query, index.getPositions(equality), orderBy, skip, limit, batchSize,
                                projection);
                    }
                }
            }
            return super.queryDocuments(query, orderBy, skip, limit, batchSize, projection);
        }

        /** @return {@code {k: v}} for every key of the index if each is a scalar equality in the query, else null. */
        private static Document equalityOnKeysOf(final Index<Integer> index, final Document query) {
            final Document equality = new Document();
            for (final IndexKey key : index.getKeys()) {
                final Object value = query.get(key.getKey());
                if (!isScalar(value)) {
                    return null;
                }
                equality.put(key.getKey(), value);
            }
            return equality.isEmpty() ? null : equality;
        }

        private static boolean isScalar(final Object value) {
            return value instanceof Number || value instanceof String || value instanceof Boolean
                    || value instanceof ObjectId;
        }
    }
}
