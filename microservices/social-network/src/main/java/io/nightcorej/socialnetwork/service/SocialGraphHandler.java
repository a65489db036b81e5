package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.SocialGraphService;
import io.nightcorej.socialnetwork.thrift.UserService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * {@code SocialGraphService}: the follow graph.
 *
 * <p>Truth is the {@code social-graph} collection, one document per user:
 * {@code {user_id, followers:[{user_id,timestamp}], followees:[{user_id,timestamp}]}}. The sorted sets
 * {@code <id>:followers} and {@code <id>:followees} (member = user id, score = follow time in ms) are a read cache:
 * a read that finds the set empty rebuilds it from the document. A follow adds to a set only if the set already
 * exists (NC/legacy behaviour): adding to a cold set would make a partial set look complete.
 */
public final class SocialGraphHandler implements SocialGraphService.Iface {

    static final String COLLECTION = "social-graph";

    private final DocumentStore documents;
    private final SortedSetStore sortedSets;
    private final ServiceCaller<ServiceException> caller;

    /**
     * @param documents the document store; the unique index on {@code user_id} is created here.
     * @param sortedSets the graph cache.
     * @param caller    how to reach UserService (for the *WithUsername methods).
     */
    public SocialGraphHandler(final DocumentStore documents, final SortedSetStore sortedSets, final ServiceCaller<ServiceException> caller)
            throws ServiceException {
        this.documents = documents;
        this.sortedSets = sortedSets;
        this.caller = caller;
        ERRORS.mongoDo(() -> documents.createIndex(COLLECTION, "user_id", true));
    }

    static String followersKey(final long userId) {
        return userId + ":followers";
    }

    static String followeesKey(final long userId) {
        return userId + ":followees";
    }

    @Override
    public List<Long> GetFollowers(final long reqId, final long userId, final Map<String, String> carrier)
            throws ServiceException {
        return read(userId, followersKey(userId), "followers");
    }

    @Override
    public List<Long> GetFollowees(final long reqId, final long userId, final Map<String, String> carrier)
            throws ServiceException {
        return read(userId, followeesKey(userId), "followees");
    }

    private List<Long> read(final long userId, final String key, final String field) throws ServiceException {
        final List<SortedSetStore.Entry> cached = ERRORS.redis(() -> sortedSets.all(key));
        final List<Long> ids = new ArrayList<>();
        if (!cached.isEmpty()) {
            for (final SortedSetStore.Entry e : cached) {
                ids.add(Long.parseLong(e.member()));
            }
            return ids;
        }
        final Document doc = ERRORS.mongo(() -> documents.findOne(COLLECTION, Filters.eq("user_id", userId))).orElse(null);
        if (doc == null) {
            return ids;
        }
        final List<SortedSetStore.Entry> entries = new ArrayList<>();
        for (final Document edge : doc.getList(field, Document.class, List.of())) {
            final long id = PostCodec.longOf(edge, "user_id");
            ids.add(id);
            entries.add(new SortedSetStore.Entry(Long.toString(id), PostCodec.longOf(edge, "timestamp")));
        }
        if (!entries.isEmpty()) {
            ERRORS.redisDo(() -> sortedSets.add(key, entries));
        }
        return ids;
    }

    @Override
    public void Follow(final long reqId, final long userId, final long followeeId, final Map<String, String> carrier)
            throws ServiceException {
        final long now = System.currentTimeMillis();
        // upstream runs the two guarded $push updates (and the Redis writes) as parallel requests; here both updates go
        // to the document store in one unordered bulk write: the same two operations, one round trip
        ERRORS.mongoDo(() -> documents.updateEach(COLLECTION, List.of(
                new DocumentStore.Update(notYetIn(userId, "followees", followeeId),
                        Updates.push("followees", new Document("user_id", followeeId).append("timestamp", now)), false),
                new DocumentStore.Update(notYetIn(followeeId, "followers", userId),
                        Updates.push("followers", new Document("user_id", userId).append("timestamp", now)), false))));
        ERRORS.redisDo(() -> addIfCached(List.of(followeesKey(userId), followersKey(followeeId)),
                List.of(new SortedSetStore.Entry(Long.toString(followeeId), now),
                        new SortedSetStore.Entry(Long.toString(userId), now))));
    }

    /**
     * {@code {user_id: owner, "<field>.user_id": {$ne: other}}}: upstream's {@code $not/$elemMatch} guard, written as
     * one flat document so that the document store can serve it from the {@code user_id} index.
     */
    private static Bson notYetIn(final long owner, final String field, final long other) {
        return new Document("user_id", owner).append(field + ".user_id", new Document("$ne", other));
    }

    /** Adds {@code entries[i]} to {@code keys[i]} for each set that already exists (one pipelined EXISTS first). */
    private void addIfCached(final List<String> keys, final List<SortedSetStore.Entry> entries) {
        final List<Boolean> cached = sortedSets.existsEach(keys);
        for (int i = 0; i < keys.size(); i++) {
            if (cached.get(i)) {
                sortedSets.add(keys.get(i), List.of(entries.get(i)));
            }
        }
    }

    @Override
    public void Unfollow(final long reqId, final long userId, final long followeeId, final Map<String, String> carrier)
            throws ServiceException {
        ERRORS.mongoDo(() -> documents.updateEach(COLLECTION, List.of(
                new DocumentStore.Update(Filters.eq("user_id", userId),
                        Updates.pull("followees", new Document("user_id", followeeId)), false),
                new DocumentStore.Update(Filters.eq("user_id", followeeId),
                        Updates.pull("followers", new Document("user_id", userId)), false))));
        ERRORS.redisDo(() -> {
            sortedSets.remove(followeesKey(userId), List.of(Long.toString(followeeId)));
            sortedSets.remove(followersKey(followeeId), List.of(Long.toString(userId)));
        });
    }

    @Override
    public void FollowWithUsername(final long reqId, final String userUsername, final String followeeUsername,
            final Map<String, String> carrier) throws ServiceException {
        final long[] ids = userIds(reqId, userUsername, followeeUsername);
        Follow(reqId, ids[0], ids[1], carrier);
    }

    @Override
    public void UnfollowWithUsername(final long reqId, final String userUsername, final String followeeUsername,
            final Map<String, String> carrier) throws ServiceException {
        final long[] ids = userIds(reqId, userUsername, followeeUsername);
        Unfollow(reqId, ids[0], ids[1], carrier);
    }

    /** Upstream looks both names up in parallel. */
    private long[] userIds(final long reqId, final String user, final String followee) throws ServiceException {
        final Future<Long> followeeId = caller.fork(ServiceNames.USER, new UserService.Client.Factory(),
                c -> c.GetUserId(reqId, followee, Map.of()));
        final long userId;
        try {
            userId = caller.call(ServiceNames.USER, new UserService.Client.Factory(), c -> c.GetUserId(reqId, user, Map.of()));
        } catch (final ServiceException e) {
            caller.drain(followeeId);
            throw e;
        }
        return new long[] {userId, caller.join(followeeId, ServiceNames.USER)};
    }

    @Override
    public void InsertUser(final long reqId, final long userId, final Map<String, String> carrier) throws ServiceException {
        ERRORS.mongoDo(() -> documents.insert(COLLECTION,
                new Document("user_id", userId).append("followers", new ArrayList<>()).append("followees", new ArrayList<>())));
    }
}
