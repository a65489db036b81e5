package io.nightcorej.hotelreservation.data;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a service's generated data into its collection, the way NC's {@code db.go} does at service start, but safe
 * when several processes or threads of the same service start at once (NC avoids the race by letting only Swarm task
 * slot 1 initialise; here every worker may).
 *
 * <ul>
 *   <li>Every document has a deterministic {@code _id} and is written as an upsert with {@code $setOnInsert}: writing
 *       it twice, or from two processes at once, leaves exactly one copy and never overwrites later changes.</li>
 *   <li>A marker document in {@link Collections#SEEDED} ({@code _id = <collection>:<count>}) is written only after all
 *       of a collection's documents; a start that finds it does one lookup and nothing else.</li>
 *   <li>Writes go in bulk batches of {@value #BATCH} (each batch is one round trip bounded by the store's timeout).
 *       Two upserts of the same new {@code _id} racing on a real {@code mongod} may fail one of them with a duplicate
 *       key error; the whole seeding is then retried, which is harmless because it is idempotent.</li>
 * </ul>
 */
public final class Seeder {

    static final int BATCH = 500;
    private static final int ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);

    private Seeder() {
    }

    /**
     * Ensures the collection holds the documents (and an ascending index on {@code indexField}, if given; unique if
     * {@code uniqueIndex}: the embedded mongo-java-server only uses unique secondary indexes, it ignores others).
     *
     * @return true if anything had to be written, false if the marker said it was already done.
     * @throws StorageException when the store fails on every attempt.
     */
    public static boolean seed(final DocumentStore store, final String collection, final List<Document> documents,
            final String indexField, final boolean uniqueIndex) {
        final String marker = collection + ":" + documents.size();
        StorageException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                if (store.findOne(Collections.SEEDED, Filters.eq("_id", marker)).isPresent()) {
                    return false;
                }
                final long t0 = System.nanoTime();
                if (indexField != null) {
                    store.createIndex(collection, indexField, uniqueIndex);
                }
                for (int from = 0; from < documents.size(); from += BATCH) {
                    final List<DocumentStore.Update> batch = new ArrayList<>(BATCH);
                    for (final Document d : documents.subList(from, Math.min(documents.size(), from + BATCH))) {
                        final Document fields = new Document(d);
                        final Object id = fields.remove("_id");
                        batch.add(new DocumentStore.Update(Filters.eq("_id", id), Updates.setOnInsert(fields), true));
                    }
                    store.updateEach(collection, batch);
                }
                store.updateOne(Collections.SEEDED, Filters.eq("_id", marker),
                        Updates.setOnInsert(new Document("documents", documents.size())), true);
                LOG.info("seeded {} documents into '{}' in {} ms", documents.size(), collection,
                        (System.nanoTime() - t0) / 1_000_000);
                return true;
            } catch (final StorageException e) {
                last = e;
                LOG.warn("seeding '{}' failed (attempt {} of {}): {}", collection, attempt, ATTEMPTS, e.getMessage());
            }
        }
        throw last;
    }
}
