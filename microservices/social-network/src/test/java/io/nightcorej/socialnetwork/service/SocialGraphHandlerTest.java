package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;
import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.socialnetwork.support.InProcessSocialNetwork;
import io.nightcorej.socialnetwork.support.Storage;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.SocialGraphService;
import io.nightcorej.socialnetwork.thrift.UserService;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SocialGraphHandlerTest {

    private static Storage storage;
    private static InProcessSocialNetwork sn;
    private static ServiceCaller<ServiceException> caller;

    @BeforeAll
    static void start() throws Exception {
        storage = Storage.embedded();
        sn = new InProcessSocialNetwork(storage);
        caller = new ServiceCaller<>(sn.services, ERRORS, 5000);
        for (long id = 1; id <= 5; id++) {
            final long uid = id;
            caller.call(ServiceNames.USER, new UserService.Client.Factory(), c -> {
                c.RegisterUserWithId(0, "f", "l", "u" + uid, "p", uid, Map.of());
                return null;
            });
        }
    }

    @AfterAll
    static void stop() {
        storage.close();
    }

    private static <R> R graph(final ServiceCaller.Call<SocialGraphService.Client, R> call) throws ServiceException {
        return caller.call(ServiceNames.SOCIAL_GRAPH, new SocialGraphService.Client.Factory(), call);
    }

    private static List<Long> followers(final long userId) throws ServiceException {
        return graph(c -> c.GetFollowers(0, userId, Map.of()));
    }

    private static List<Long> followees(final long userId) throws ServiceException {
        return graph(c -> c.GetFollowees(0, userId, Map.of()));
    }

    @Test
    void followIsRecordedBothWaysInFollowOrderAndIsIdempotent() throws Exception {
        graph(c -> {
            c.Follow(0, 2, 1, Map.of());
            return null;
        });
        Thread.sleep(2);
        graph(c -> {
            c.FollowWithUsername(0, "u3", "u1", Map.of());
            return null;
        });
        graph(c -> {
            c.Follow(0, 2, 1, Map.of()); // repeated: a no-op, as upstream
            return null;
        });
        final List<Long> fromDocuments = followers(1);
        assertThat(fromDocuments).containsExactly(2L, 3L);
        assertThat(storage.sortedSets.size("1:followers")).isEqualTo(2); // the read filled the cache
        final List<Long> fromCache = followers(1);
        assertThat(fromCache).containsExactly(2L, 3L);
        assertThat(followees(2)).containsExactly(1L);
        assertThat(followees(3)).containsExactly(1L);

        // a follow after the cache is warm goes into the cache too
        graph(c -> {
            c.Follow(0, 4, 1, Map.of());
            return null;
        });
        assertThat(followers(1)).containsExactly(2L, 3L, 4L);

        graph(c -> {
            c.UnfollowWithUsername(0, "u3", "u1", Map.of());
            return null;
        });
        assertThat(followers(1)).containsExactly(2L, 4L);
        assertThat(followees(3)).isEmpty();
    }

    @Test
    void aColdCacheIsNotMadeToLookCompleteByAFollow() throws Exception {
        graph(c -> {
            c.Follow(0, 5, 4, Map.of());
            return null;
        });
        graph(c -> {
            c.Follow(0, 3, 4, Map.of());
            return null;
        });
        assertThat(storage.sortedSets.exists("4:followers")).isFalse();
        assertThat(followers(4)).containsExactly(5L, 3L);
    }

    @Test
    void followingAnUnknownUsernameFailsWithUpstreamsMessage() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> graph(c -> {
            c.FollowWithUsername(0, "u1", "nobody", Map.of());
            return null;
        })).isInstanceOf(ServiceException.class).hasMessage("User: nobody is not registered");
    }
}
