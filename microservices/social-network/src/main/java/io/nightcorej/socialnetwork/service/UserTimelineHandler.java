package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.socialnetwork.thrift.Post;
import io.nightcorej.socialnetwork.thrift.PostStorageService;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.UserTimelineService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * {@code UserTimelineService}: a user's own posts.
 *
 * <p>Truth is the {@code user-timeline} collection ({@code {user_id, posts:[{post_id, timestamp}]}}, unique index on
 * {@code user_id}); the sorted set {@code user-timeline:<user_id>} (member = post id, score = timestamp) is the read
 * path. A read that gets fewer than {@code stop - start} ids from the set fills the rest from the document and
 * re-adds the document's first {@code stop} entries to the set, as upstream does.
 */
public final class UserTimelineHandler implements UserTimelineService.Iface {

    static final String COLLECTION = "user-timeline";

    private final DocumentStore documents;
    private final SortedSetStore sortedSets;
    private final ServiceCaller<ServiceException> caller;

    /**
     * @param documents the document store; the index is created here.
     * @param sortedSets the timeline cache.
     * @param caller    how to reach PostStorageService.
     */
    public UserTimelineHandler(final DocumentStore documents, final SortedSetStore sortedSets, final ServiceCaller<ServiceException> caller)
            throws ServiceException {
        this.documents = documents;
        this.sortedSets = sortedSets;
        this.caller = caller;
        ERRORS.mongoDo(() -> documents.createIndex(COLLECTION, "user_id", true));
    }

    /** Upstream's key is the bare user id; home timelines used the same key space, so both are prefixed here. */
    static String key(final long userId) {
        return "user-timeline:" + userId;
    }

    @Override
    public void WriteUserTimeline(final long reqId, final long postId, final long userId, final long timestamp,
            final Map<String, String> carrier) throws ServiceException {
        final Document entry = new Document("post_id", postId).append("timestamp", timestamp);
        try {
            ERRORS.mongoDo(() -> documents.updateOne(COLLECTION, Filters.eq("user_id", userId),
                    Updates.push("posts", entry), true));
        } catch (final ServiceException e) {
            // two first posts of one user raced to upsert: the unique index refused one; the document exists now
            ERRORS.mongoDo(() -> documents.updateOne(COLLECTION, Filters.eq("user_id", userId),
                    Updates.push("posts", entry), true));
        }
        ERRORS.redisDo(() -> sortedSets.add(key(userId), List.of(new SortedSetStore.Entry(Long.toString(postId), timestamp))));
    }

    @Override
    public List<Post> ReadUserTimeline(final long reqId, final long userId, final int start, final int stop,
            final Map<String, String> carrier) throws ServiceException {
        if (stop <= start || start < 0) {
            return new ArrayList<>();
        }
        final List<String> cached = ERRORS.redis(() -> sortedSets.rangeByRankDescending(key(userId), start, stop - 1L));
        final List<Long> postIds = new ArrayList<>(stop - start);
        for (final String member : cached) {
            postIds.add(Long.parseLong(member));
        }
        if (postIds.size() < stop - start) {
            final Document doc = ERRORS.mongo(() -> documents.findOne(COLLECTION, Filters.eq("user_id", userId))).orElse(null);
            if (doc != null) {
                final List<Document> posts = new ArrayList<>(doc.getList("posts", Document.class, List.of()));
                posts.sort(Comparator.comparingLong((Document d) -> PostCodec.longOf(d, "timestamp")).reversed());
                final List<Document> slice = posts.subList(0, Math.min(stop, posts.size()));
                for (int i = start + postIds.size(); i < slice.size(); i++) {
                    postIds.add(PostCodec.longOf(slice.get(i), "post_id"));
                }
                if (!slice.isEmpty()) {
                    final List<SortedSetStore.Entry> entries = new ArrayList<>(slice.size());
                    for (final Document p : slice) {
                        entries.add(new SortedSetStore.Entry(Long.toString(PostCodec.longOf(p, "post_id")),
                                PostCodec.longOf(p, "timestamp")));
                    }
                    ERRORS.redisDo(() -> sortedSets.add(key(userId), entries));
                }
            }
        }
        if (postIds.isEmpty()) {
            return new ArrayList<>();
        }
        return caller.call(ServiceNames.POST_STORAGE, new PostStorageService.Client.Factory(),
                c -> c.ReadPosts(reqId, postIds, Map.of()));
    }
}
