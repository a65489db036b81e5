package io.nightcorej.socialnetwork.service;

import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.socialnetwork.thrift.ComposePostService;
import io.nightcorej.socialnetwork.thrift.Creator;
import io.nightcorej.socialnetwork.thrift.HomeTimelineService;
import io.nightcorej.socialnetwork.thrift.Media;
import io.nightcorej.socialnetwork.thrift.MediaService;
import io.nightcorej.socialnetwork.thrift.Post;
import io.nightcorej.socialnetwork.thrift.PostStorageService;
import io.nightcorej.socialnetwork.thrift.PostType;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.TextService;
import io.nightcorej.socialnetwork.thrift.TextServiceReturn;
import io.nightcorej.socialnetwork.thrift.UniqueIdService;
import io.nightcorej.socialnetwork.thrift.UserMention;
import io.nightcorej.socialnetwork.thrift.UserService;
import io.nightcorej.socialnetwork.thrift.UserTimelineService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/**
 * {@code ComposePostService}: the synchronous orchestrator of current upstream.
 *
 * <pre>
 * ComposePost ─┬─ TextService.ComposeText ──┬─ UrlShortenService.ComposeUrls        ┐
 *              │                            └─ UserMentionService.ComposeUserMentions ┘ parallel
 *              ├─ UserService.ComposeCreatorWithUserId                                 ┐
 *              ├─ MediaService.ComposeMedia                                            │ parallel
 *              └─ UniqueIdService.ComposeUniqueId                                      ┘
 *              then PostStorageService.StorePost (must finish before the timelines see the id)
 *              then UserTimelineService.WriteUserTimeline ┐ parallel
 *                   HomeTimelineService.WriteHomeTimeline ┘ (→ SocialGraphService.GetFollowers)
 * </pre>
 *
 * The post's timestamp is taken before the first fan-out, as upstream does. One of each parallel group runs on the
 * request thread, so a compose costs two pool hand-offs fewer than it has calls.
 */
public final class ComposePostHandler implements ComposePostService.Iface {

    private final ServiceCaller<ServiceException> caller;

    /** @param caller how to reach the other services. */
    public ComposePostHandler(final ServiceCaller<ServiceException> caller) {
        this.caller = caller;
    }

    @Override
    public void ComposePost(final long reqId, final String username, final long userId, final String text,
            final List<Long> mediaIds, final List<String> mediaTypes, final PostType postType,
            final Map<String, String> carrier) throws ServiceException {
        final long timestamp = System.currentTimeMillis();

        final Future<Creator> creatorF = caller.fork(ServiceNames.USER, new UserService.Client.Factory(),
                c -> c.ComposeCreatorWithUserId(reqId, userId, username, Map.of()));
        Future<List<Media>> mediaF = null;
        Future<Long> idF = null;
        final TextServiceReturn textResult;
        try {
            mediaF = caller.fork(ServiceNames.MEDIA, new MediaService.Client.Factory(),
                    c -> c.ComposeMedia(reqId, mediaTypes != null ? mediaTypes : List.of(),
                            mediaIds != null ? mediaIds : List.of(), Map.of()));
            idF = caller.fork(ServiceNames.UNIQUE_ID, new UniqueIdService.Client.Factory(),
                    c -> c.ComposeUniqueId(reqId, postType != null ? postType : PostType.POST, Map.of()));
            textResult = caller.call(ServiceNames.TEXT, new TextService.Client.Factory(),
                    c -> c.ComposeText(reqId, text, Map.of()));
        } catch (final ServiceException e) {
            caller.drain(creatorF, mediaF, idF);
            throw e;
        }
        final Post post;
        try {
            post = new Post()
                    .setReq_id(reqId)
                    .setTimestamp(timestamp)
                    .setPost_type(postType != null ? postType : PostType.POST)
                    .setText(textResult.getText())
                    .setUser_mentions(textResult.getUser_mentions() != null ? textResult.getUser_mentions() : List.of())
                    .setUrls(textResult.getUrls() != null ? textResult.getUrls() : List.of())
                    .setCreator(caller.join(creatorF, ServiceNames.USER))
                    .setMedia(caller.join(mediaF, ServiceNames.MEDIA))
                    .setPost_id(caller.join(idF, ServiceNames.UNIQUE_ID));
        } catch (final ServiceException e) {
            caller.drain(creatorF, mediaF, idF);
            throw e;
        }

        caller.call(ServiceNames.POST_STORAGE, new PostStorageService.Client.Factory(), c -> {
            c.StorePost(reqId, post, Map.of());
            return null;
        });

        final List<Long> mentionIds = new ArrayList<>(post.getUser_mentionsSize());
        for (final UserMention m : post.getUser_mentions()) {
            mentionIds.add(m.getUser_id());
        }
        final Future<Void> userTimeline = caller.fork(ServiceNames.USER_TIMELINE, new UserTimelineService.Client.Factory(),
                c -> {
                    c.WriteUserTimeline(reqId, post.getPost_id(), userId, timestamp, Map.of());
                    return null;
                });
        try {
            caller.call(ServiceNames.HOME_TIMELINE, new HomeTimelineService.Client.Factory(), c -> {
                c.WriteHomeTimeline(reqId, post.getPost_id(), userId, timestamp, mentionIds, Map.of());
                return null;
            });
        } catch (final ServiceException e) {
            caller.drain(userTimeline);
            throw e;
        }
        caller.join(userTimeline, ServiceNames.USER_TIMELINE);
    }
}
