package io.nightcorej.socialnetwork.frontend;

import static io.nightcorej.socialnetwork.support.InProcessSocialNetwork.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.socialnetwork.support.InProcessSocialNetwork;
import io.nightcorej.socialnetwork.support.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wrk2-api endpoints over in-process services: upstream's parameters, status codes, bodies and JSON. */
class FrontendApiTest {

    private static Storage storage;
    private static InProcessSocialNetwork sn;

    @BeforeAll
    static void start() throws Exception {
        storage = Storage.embedded();
        sn = new InProcessSocialNetwork(storage);
        for (int i = 1; i <= 3; i++) {
            final HttpResponse r = sn.request("POST", "/wrk2-api/user/register",
                    "first_name=f" + i + "&last_name=l" + i + "&username=username_" + i + "&password=p" + i + "&user_id=" + i);
            assertThat(r.status()).isEqualTo(200);
            assertThat(body(r)).isEqualTo("Success!\n");
        }
    }

    @AfterAll
    static void stop() {
        storage.close();
    }

    @Test
    void registerFollowComposeThenBothTimelinesShowThePostInUpstreamsJson() throws Exception {
        HttpResponse r = sn.request("POST", "/wrk2-api/user/follow", "user_name=username_2&followee_name=username_1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(body(r)).isEqualTo("Success!\n");
        r = sn.request("POST", "/wrk2-api/user/follow", "user_id=1&followee_id=2");
        assertThat(r.status()).isEqualTo(200);

        // the scripts send bodies without percent-encoding: @ : / [ ] " , appear raw
        r = sn.request("POST", "/wrk2-api/post/compose", "username=username_1&user_id=1&text=hi @username_3 look http://x.org/p"
                + "&media_ids=[\"123456789012345678\",\"223456789012345678\"]&media_types=[\"png\",\"png\"]&post_type=0");
        assertThat(body(r)).isEqualTo("Successfully upload post\n");
        assertThat(r.status()).isEqualTo(200);

        r = sn.request("GET", "/wrk2-api/home-timeline/read", "user_id=2&start=0&stop=10");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json; charset=utf-8");
        final JsonNode home = new ObjectMapper().readTree(r.body());
        assertThat(home.isArray()).isTrue();
        assertThat(home).hasSize(1);
        final JsonNode post = home.get(0);
        assertThat(post.get("post_id").isTextual()).isTrue();
        assertThat(post.get("creator").get("user_id").asText()).isEqualTo("1");
        assertThat(post.get("creator").get("username").asText()).isEqualTo("username_1");
        assertThat(post.get("req_id").isTextual()).isTrue();
        assertThat(post.get("text").asText()).matches("hi @username_3 look http://short-url/[a-zA-Z0-9]{10}/p");
        assertThat(post.get("timestamp").isTextual()).isTrue();
        assertThat(post.get("post_type").isInt()).isTrue();
        assertThat(post.get("user_mentions").get(0).get("user_id").asText()).isEqualTo("3");
        assertThat(post.get("user_mentions").get(0).get("username").asText()).isEqualTo("username_3");
        assertThat(post.get("media").get(1).get("media_id").asText()).isEqualTo("223456789012345678");
        assertThat(post.get("media").get(1).get("media_type").asText()).isEqualTo("png");
        assertThat(post.get("urls").get(0).get("expanded_url").asText()).isEqualTo("http://x.org");

        r = sn.request("GET", "/wrk2-api/user-timeline/read", "user_id=1&start=0&stop=1");
        final JsonNode own = new ObjectMapper().readTree(r.body());
        assertThat(own).hasSize(1);
        assertThat(own.get(0).get("post_id").asText()).isEqualTo(post.get("post_id").asText());

        r = sn.request("GET", "/wrk2-api/home-timeline/read", "user_id=3&start=0&stop=10"); // mentioned
        assertThat(new ObjectMapper().readTree(r.body()).get(0).get("post_id")).isEqualTo(post.get("post_id"));

        r = sn.request("POST", "/wrk2-api/user/unfollow", "user_id=2&followee_id=1");
        assertThat(body(r)).isEqualTo("Success!\n");
        r = sn.request("GET", "/wrk2-api/home-timeline/read", "user_id=1&start=0&stop=10");
        assertThat(body(r)).isEqualTo("[]\n");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "/wrk2-api/post/compose|username=u&user_id=1&text=hi|Incomplete arguments",
        "/wrk2-api/post/compose|username=u&user_id=&text=hi&post_type=0|Incomplete arguments",
        "/wrk2-api/post/compose|''|Incomplete arguments",
        "/wrk2-api/home-timeline/read|user_id=1&start=0|Incomplete arguments",
        "/wrk2-api/user-timeline/read|start=0&stop=1|Incomplete arguments",
        "/wrk2-api/user/register|first_name=a&last_name=b&username=c&password=d|Incomplete arguments",
        "/wrk2-api/user/follow|user_id=1&followee_name=x|Incomplete arguments",
        "/wrk2-api/user/unfollow|user_name=x|Incomplete arguments",
        "/wrk2-api/post/compose|username=u&user_id=abc&text=hi&post_type=0|Invalid arguments: user_id must be an integer, got 'abc'",
        "/wrk2-api/post/compose|username=u&user_id=1&text=hi&post_type=7|Invalid arguments: post_type must be 0, 1, 2 or 3",
        "/wrk2-api/post/compose|username=u&user_id=1&text=hi&post_type=0&media_ids=[1,&media_types=[\"png\"]"
            + "|Invalid arguments: media_ids is not valid JSON: '[1,'",
        "/wrk2-api/home-timeline/read|user_id=1&start=x&stop=1|Invalid arguments: start must be an integer, got 'x'",
    })
    void malformedFormsGet400WithTheOriginalsMessage(final String path, final String form, final String message)
            throws Exception {
        final HttpResponse r = sn.request(path.contains("read") ? "GET" : "POST", path, form);
        assertThat(r.status()).isEqualTo(400);
        assertThat(body(r)).isEqualTo(message + "\n");
    }

    @Test
    void serviceErrorsGet500WithUpstreamsPrefixAndTheServicesMessage() throws Exception {
        HttpResponse r = sn.request("POST", "/wrk2-api/user/register",
                "first_name=a&last_name=b&username=username_1&password=x&user_id=77");
        assertThat(r.status()).isEqualTo(500);
        assertThat(body(r)).isEqualTo("User registration failure: User username_1 already existed\n");

        r = sn.request("POST", "/wrk2-api/user/follow", "user_name=username_1&followee_name=ghost");
        assertThat(r.status()).isEqualTo(500);
        assertThat(body(r)).isEqualTo("Follow Failed: User: ghost is not registered\n");

        r = sn.request("POST", "/wrk2-api/post/compose",
                "username=u&user_id=1&text=t&post_type=0&media_ids=[\"1\",\"2\"]&media_types=[\"png\"]");
        assertThat(r.status()).isEqualTo(500);
        assertThat(body(r)).isEqualTo(
                "compost_post failure: The lengths of media_id list and media_type list are different\n");
    }
}
