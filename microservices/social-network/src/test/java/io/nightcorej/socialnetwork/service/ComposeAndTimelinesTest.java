package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.microservices.common.ids.SnowflakeIds;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.JedisSortedSetStore;
import io.nightcorej.microservices.common.storage.embedded.RespServer;
import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import io.nightcorej.socialnetwork.support.InProcessSocialNetwork;
import io.nightcorej.socialnetwork.support.Storage;
import io.nightcorej.socialnetwork.thrift.ComposePostService;
import io.nightcorej.socialnetwork.thrift.HomeTimelineService;
import io.nightcorej.socialnetwork.thrift.Post;
import io.nightcorej.socialnetwork.thrift.PostType;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.SocialGraphService;
import io.nightcorej.socialnetwork.thrift.UserService;
import io.nightcorej.socialnetwork.thrift.UserTimelineService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ComposePost's orchestration, the fan-out, and both timelines, with all services in-process on embedded stores. */
class ComposeAndTimelinesTest {

    private static Storage storage;
    private static InProcessSocialNetwork sn;
    private static ServiceCaller<ServiceException> caller;

    @BeforeAll
    static void start() throws Exception {
        storage = Storage.embedded();
        sn = new InProcessSocialNetwork(storage);
        caller = new ServiceCaller<>(sn.services, ERRORS, 5000);
        for (long id = 1; id <= 4; id++) {
            final long uid = id;
            caller.call(ServiceNames.USER, new UserService.Client.Factory(), c -> {
                c.RegisterUserWithId(0, "f", "l", "user" + uid, "p", uid, Map.of());
                return null;
            });
        }
        // 2 and 3 follow 1; 4 follows nobody
        for (final long follower : new long[] {2, 3}) {
            caller.call(ServiceNames.SOCIAL_GRAPH, new SocialGraphService.Client.Factory(), c -> {
                c.Follow(0, follower, 1, Map.of());
                return null;
            });
        }
    }

    @AfterAll
    static void stop() {
        storage.close();
    }

    private static void compose(final long userId, final String text, final List<Long> mediaIds, final List<String> types)
            throws Exception {
        caller.call(ServiceNames.COMPOSE_POST, new ComposePostService.Client.Factory(), c -> {
            c.ComposePost(99, "user" + userId, userId, text, mediaIds, types, PostType.POST, Map.of());
            return null;
        });
    }

    private static List<Post> home(final long userId, final int start, final int stop) throws Exception {
        return caller.call(ServiceNames.HOME_TIMELINE, new HomeTimelineService.Client.Factory(),
                c -> c.ReadHomeTimeline(0, userId, start, stop, Map.of()));
    }

    private static List<Post> userTimeline(final UserTimelineService.Iface handler, final long userId, final int start,
            final int stop) throws Exception {
        return handler.ReadUserTimeline(0, userId, start, stop, Map.of());
    }

    @Test
    void aComposedPostCarriesEveryPieceAndReachesFollowersMentionsAndTheAuthorsTimeline() throws Exception {
        final long before = System.currentTimeMillis();
        compose(1, "hello @user4 see http://example.com/a and @nobody!", List.of(123456789012345678L), List.of("png"));

        final List<Post> ofFollower = home(2, 0, 10);
        assertThat(ofFollower).hasSize(1);
        final Post post = ofFollower.get(0);
        assertThat(post.getCreator().getUser_id()).isEqualTo(1);
        assertThat(post.getCreator().getUsername()).isEqualTo("user1");
        assertThat(post.getReq_id()).isEqualTo(99);
        assertThat(post.getPost_type()).isEqualTo(PostType.POST);
        assertThat(post.getTimestamp()).isBetween(before, System.currentTimeMillis());
        assertThat(post.getText()).matches("hello @user4 see http://short-url/[a-zA-Z0-9]{10}/a and @nobody!");
        assertThat(post.getUrls()).hasSize(1);
        assertThat(post.getUrls().get(0).getExpanded_url()).isEqualTo("http://example.com");
        assertThat(post.getUser_mentions()).hasSize(1); // unknown names are dropped
        assertThat(post.getUser_mentions().get(0).getUser_id()).isEqualTo(4);
        assertThat(post.getMedia()).hasSize(1);
        assertThat(post.getMedia().get(0).getMedia_id()).isEqualTo(123456789012345678L);
        assertThat(post.getMedia().get(0).getMedia_type()).isEqualTo("png");
        assertThat(SnowflakeIds.timestampOf(post.getPost_id()) + SnowflakeIds.CUSTOM_EPOCH_MS)
                .isBetween(before - 1, System.currentTimeMillis() + 1);

        assertThat(home(3, 0, 10)).extracting(Post::getPost_id).containsExactly(post.getPost_id());
        assertThat(home(4, 0, 10)).extracting(Post::getPost_id).containsExactly(post.getPost_id()); // mentioned
        assertThat(home(1, 0, 10)).isEmpty(); // the author is not a follower of themself

        final List<Post> own = caller.call(ServiceNames.USER_TIMELINE, new UserTimelineService.Client.Factory(),
                c -> c.ReadUserTimeline(0, 1, 0, 10, Map.of()));
        assertThat(own).containsExactly(post);

        // The parallel calls ran on pool threads but on behalf of the right parent call.
        assertThat(sn.services.calls()).contains(
                new InProcessServiceClients.Call(ServiceNames.TEXT, ServiceNames.URL_SHORTEN),
                new InProcessServiceClients.Call(ServiceNames.TEXT, ServiceNames.USER_MENTION),
                new InProcessServiceClients.Call(ServiceNames.COMPOSE_POST, ServiceNames.USER),
                new InProcessServiceClients.Call(ServiceNames.COMPOSE_POST, ServiceNames.MEDIA),
                new InProcessServiceClients.Call(ServiceNames.COMPOSE_POST, ServiceNames.UNIQUE_ID),
                new InProcessServiceClients.Call(ServiceNames.COMPOSE_POST, ServiceNames.USER_TIMELINE),
                new InProcessServiceClients.Call(ServiceNames.HOME_TIMELINE, ServiceNames.SOCIAL_GRAPH));
    }

    @Test
    void timelinesAreNewestFirstWindowedAndTheUserTimelineIsRebuiltFromDocuments() throws Exception {
        for (int i = 0; i < 5; i++) {
            compose(3, "post " + i, List.of(), List.of());
            Thread.sleep(2);
        }
        final List<Post> all = userTimeline(timelineHandler(storage.sortedSets), 3, 0, 5);
        assertThat(all).extracting(Post::getText).containsExactly("post 4", "post 3", "post 2", "post 1", "post 0");
        assertThat(userTimeline(timelineHandler(storage.sortedSets), 3, 1, 3)).extracting(Post::getText)
                .containsExactly("post 3", "post 2");
        assertThat(userTimeline(timelineHandler(storage.sortedSets), 3, 3, 3)).isEmpty();
        assertThat(userTimeline(timelineHandler(storage.sortedSets), 3, -1, 3)).isEmpty();

        // Redis lost everything: the timeline comes back from the documents, and the set is refilled.
        try (RespServer empty = RespServer.start("127.0.0.1", 0);
             JedisSortedSetStore fresh = new JedisSortedSetStore(empty.address(), 1000)) {
            final UserTimelineHandler handler = timelineHandler(fresh);
            assertThat(userTimeline(handler, 3, 1, 4)).extracting(Post::getText)
                    .containsExactly("post 3", "post 2", "post 1");
            assertThat(fresh.rangeByRankDescending(UserTimelineHandler.key(3), 0, -1)).hasSize(4);
            assertThat(userTimeline(handler, 3, 0, 2)).extracting(Post::getText).containsExactly("post 4", "post 3");
        }
    }

    private static UserTimelineHandler timelineHandler(
            final io.nightcorej.microservices.common.storage.SortedSetStore sortedSets) throws Exception {
        return new UserTimelineHandler(storage.documents, sortedSets, new ServiceCaller<>(sn.services, ERRORS, 5000));
    }
}
