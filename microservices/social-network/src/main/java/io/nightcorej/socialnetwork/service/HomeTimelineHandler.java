package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.SortedSetStore;
import io.nightcorej.socialnetwork.thrift.HomeTimelineService;
import io.nightcorej.socialnetwork.thrift.Post;
import io.nightcorej.socialnetwork.thrift.PostStorageService;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.SocialGraphService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code HomeTimelineService}: home timelines live only in sorted sets {@code home-timeline:<user_id>} (member = post
 * id, score = timestamp). A write fans the post out to every follower of the author and every mentioned user (a set:
 * each once; the author only if self-mentioned), in one round trip to the store.
 */
public final class HomeTimelineHandler implements HomeTimelineService.Iface {

    private final SortedSetStore sortedSets;
    private final ServiceCaller<ServiceException> caller;

    /**
     * @param sortedSets the timeline store.
     * @param caller    how to reach SocialGraphService and PostStorageService.
     */
    public HomeTimelineHandler(final SortedSetStore sortedSets, final ServiceCaller<ServiceException> caller) {
        this.sortedSets = sortedSets;
        this.caller = caller;
    }

    /** Prefixed: upstream's bare user id collides with user timelines when one store serves both. */
    static String key(final long userId) {
        return "home-timeline:" + userId;
    }

    @Override
    public void WriteHomeTimeline(final long reqId, final long postId, final long userId, final long timestamp,
            final List<Long> userMentionsId, final Map<String, String> carrier) throws ServiceException {
        final List<Long> followers = caller.call(ServiceNames.SOCIAL_GRAPH, new SocialGraphService.Client.Factory(),
                c -> c.GetFollowers(reqId, userId, Map.of()));
        final Set<Long> targets = new LinkedHashSet<>(followers);
        if (userMentionsId != null) {
            targets.addAll(userMentionsId);
        }
        if (targets.isEmpty()) {
            return;
        }
        final SortedSetStore.Entry entry = new SortedSetStore.Entry(Long.toString(postId), timestamp);
        final Map<String, SortedSetStore.Entry> byKey = new LinkedHashMap<>();
        for (final Long id : targets) {
            byKey.put(key(id), entry);
        }
        ERRORS.redisDo(() -> sortedSets.addToMany(byKey));
    }

    @Override
    public List<Post> ReadHomeTimeline(final long reqId, final long userId, final int start, final int stop,
            final Map<String, String> carrier) throws ServiceException {
        if (stop <= start || start < 0) {
            return new ArrayList<>();
        }
        final List<String> members = ERRORS.redis(() -> sortedSets.rangeByRankDescending(key(userId), start, stop - 1L));
        if (members.isEmpty()) {
            return new ArrayList<>();
        }
        final List<Long> postIds = new ArrayList<>(members.size());
        for (final String m : members) {
            postIds.add(Long.parseLong(m));
        }
        return caller.call(ServiceNames.POST_STORAGE, new PostStorageService.Client.Factory(),
                c -> c.ReadPosts(reqId, postIds, Map.of()));
    }
}
