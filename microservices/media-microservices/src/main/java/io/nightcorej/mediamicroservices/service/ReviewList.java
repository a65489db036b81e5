package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.nightcorej.mediamicroservices.thrift.Review;
import io.nightcorej.mediamicroservices.thrift.ReviewStorageService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bson.Document;

/**
 * The per-user and per-movie review lists (UserReviewService, MovieReviewService): DSB's legacy SocialNetwork
 * user-timeline logic with a different owner key.
 *
 * <p>Truth is a document {@code {<owner>, reviews:[{review_id, timestamp}]}} (unique index on the owner field); the
 * sorted set (member = review id, score = timestamp) is the read path. An upload {@code $push}es to the document
 * (upsert) and adds to the set <em>only if the set exists</em> (DSB: ZADD only when {@code ZCARD > 0}, so a cold list
 * stays cold until read). A read takes ranks {@code start..stop-1} from the set, newest first; when the set has fewer,
 * it reads the document, takes its newest {@code stop} entries, returns ranks {@code start..} of those and re-adds
 * them to the set.
 *
 * <p>Two small differences: DSB pushes with {@code $position: 0} (newest first in the array) and rebuilds the set with
 * DEL + ZADD; here the array is appended and sorted by timestamp on the rare read from MongoDB, and the rebuild is a
 * ZADD of the same members (re-scoring is a no-op; nothing else removes members).
 */
final class ReviewList<K> {

    private final DocumentStore documents;
    private final SortedSetStore sortedSets;
    private final ServiceCaller<ServiceException> caller;
    private final String collection;
    private final String ownerField;
    private final Function<K, String> key;

    ReviewList(final DocumentStore documents, final SortedSetStore sortedSets, final ServiceCaller<ServiceException> caller,
            final String collection, final String ownerField, final Function<K, String> key) throws ServiceException {
        this.documents = documents;
        this.sortedSets = sortedSets;
        this.caller = caller;
        this.collection = collection;
        this.ownerField = ownerField;
        this.key = key;
        ERRORS.mongoDo(() -> documents.createIndex(collection, ownerField, true));
    }

    void upload(final K owner, final long reviewId, final long timestamp) throws ServiceException {
        final Document entry = new Document("review_id", reviewId).append("timestamp", timestamp);
        try {
            ERRORS.mongoDo(() -> documents.updateOne(collection, Filters.eq(ownerField, owner), Updates.push("reviews", entry),
                    true));
        } catch (final ServiceException e) {
            // two first reviews of one owner raced to upsert: the unique index refused one; the document exists now
            ERRORS.mongoDo(() -> documents.updateOne(collection, Filters.eq(ownerField, owner), Updates.push("reviews", entry),
                    true));
        }
        final String k = key.apply(owner);
        if (ERRORS.redis(() -> sortedSets.size(k)) > 0) {
            ERRORS.redisDo(() -> sortedSets.add(k, List.of(new SortedSetStore.Entry(Long.toString(reviewId), timestamp))));
        }
    }

    List<Review> read(final long reqId, final K owner, final int start, final int stop) throws ServiceException {
        if (stop <= start || start < 0) {
            return new ArrayList<>();
        }
        final String k = key.apply(owner);
        final List<String> cached = ERRORS.redis(() -> sortedSets.rangeByRankDescending(k, start, stop - 1L));
        final List<Long> ids = new ArrayList<>(stop - start);
        for (final String member : cached) {
            ids.add(Long.parseLong(member));
        }
        if (ids.size() < stop - start) {
            final Document doc = ERRORS.mongo(() -> documents.findOne(collection, Filters.eq(ownerField, owner))).orElse(null);
            if (doc != null) {
                final List<Document> all = new ArrayList<>(doc.getList("reviews", Document.class, List.of()));
                all.sort(Comparator.comparingLong((Document d) -> d.get("timestamp", Number.class).longValue()).reversed());
                final List<Document> newest = all.subList(0, Math.min(stop, all.size()));
                for (int i = start + ids.size(); i < newest.size(); i++) {
                    ids.add(newest.get(i).get("review_id", Number.class).longValue());
                }
                if (!newest.isEmpty()) {
                    final List<SortedSetStore.Entry> entries = new ArrayList<>(newest.size());
                    for (final Document d : newest) {
                        entries.add(new SortedSetStore.Entry(Long.toString(d.get("review_id", Number.class).longValue()),
                                d.get("timestamp", Number.class).longValue()));
                    }
                    ERRORS.redisDo(() -> sortedSets.add(k, entries));
                }
            }
        }
        if (ids.isEmpty()) {
            return new ArrayList<>();
        }
        return caller.call(ServiceNames.REVIEW_STORAGE, new ReviewStorageService.Client.Factory(),
                c -> c.ReadReviews(reqId, ids, Map.of()));
    }
}
