package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import io.nightcorej.microservices.common.auth.Credentials;
import io.nightcorej.microservices.common.ids.SnowflakeIds;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.transport.InProcessServiceClients;
import io.nightcorej.socialnetwork.support.InProcessSocialNetwork;
import io.nightcorej.socialnetwork.support.Storage;
import io.nightcorej.socialnetwork.thrift.ErrorCode;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.SocialGraphService;
import io.nightcorej.socialnetwork.thrift.UserService;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UserHandlerTest {

    private static Storage storage;
    private static InProcessSocialNetwork sn;

    @BeforeAll
    static void start() throws Exception {
        storage = Storage.embedded();
        sn = new InProcessSocialNetwork(storage);
    }

    @AfterAll
    static void stop() {
        storage.close();
    }

    private static <R> R user(final ServiceCaller.Call<UserService.Client, R> call) throws ServiceException {
        return new ServiceCaller<>(sn.services, ERRORS, 5000).call(ServiceNames.USER, new UserService.Client.Factory(), call);
    }

    @Test
    void registrationStoresASaltedSha256AndCreatesTheGraphNode() throws Exception {
        user(c -> {
            c.RegisterUserWithId(1, "Ada", "Lovelace", "ada", "pw", 42, Map.of());
            return null;
        });
        final Document doc = storage.documents.findOne("user", Filters.eq("username", "ada")).orElseThrow();
        assertThat(doc.getString("salt")).matches("[0-9A-Za-z]{32}");
        assertThat(doc.getString("password")).isEqualTo(Credentials.sha256Hex("pw" + doc.getString("salt")))
                .matches("[0-9a-f]{64}");
        assertThat(doc.get("user_id")).isEqualTo(42L);
        assertThat(storage.documents.findOne("social-graph", Filters.eq("user_id", 42L))).isPresent();
        assertThat(sn.services.calls()).contains(new InProcessServiceClients.Call(
                ServiceNames.USER, ServiceNames.SOCIAL_GRAPH));
        final List<Long> followers = new ServiceCaller<>(sn.services, ERRORS, 5000).call(ServiceNames.SOCIAL_GRAPH,
                new SocialGraphService.Client.Factory(), c -> c.GetFollowers(1, 42, Map.of()));
        assertThat(followers).isEmpty();
    }

    @Test
    void aSecondRegistrationOfTheSameNameIsRefusedWithUpstreamsMessage() throws Exception {
        user(c -> {
            c.RegisterUserWithId(1, "B", "B", "bob", "pw", 43, Map.of());
            return null;
        });
        assertThatThrownBy(() -> user(c -> {
            c.RegisterUserWithId(1, "B", "B", "bob", "other", 44, Map.of());
            return null;
        })).isInstanceOfSatisfying(ServiceException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo(ErrorCode.SE_THRIFT_HANDLER_ERROR);
            assertThat(e.getMessage()).isEqualTo("User bob already existed");
        });
    }

    @Test
    void loginReturnsAnHs256JwtWithUpstreamsStringPayloadAndRejectsBadPasswords() throws Exception {
        user(c -> {
            c.RegisterUserWithId(1, "C", "C", "carol", "s3cret", 45, Map.of());
            return null;
        });
        for (int attempt = 0; attempt < 2; attempt++) { // second time from the login cache
            final String jwt = user(c -> c.Login(1, "carol", "s3cret", Map.of()));
            final String[] parts = jwt.split("\\.");
            assertThat(parts).hasSize(3);
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            final String expected = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)));
            assertThat(parts[2]).isEqualTo(expected);
            final JsonNode header = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
            assertThat(header.get("alg").asText()).isEqualTo("HS256");
            final JsonNode payload = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            assertThat(payload.get("user_id").asText()).isEqualTo("45");
            assertThat(payload.get("username").asText()).isEqualTo("carol");
            assertThat(payload.get("ttl").asText()).isEqualTo("3600");
            assertThat(payload.get("timestamp").isTextual()).isTrue();
            assertThat(Long.parseLong(payload.get("timestamp").asText())).isCloseTo(System.currentTimeMillis() / 1000,
                    org.assertj.core.data.Offset.offset(60L));
        }
        assertThat(storage.cache.get(UserHandler.loginKey("carol"))).isNotNull();
        assertThatThrownBy(() -> user(c -> c.Login(1, "carol", "wrong", Map.of())))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(ErrorCode.SE_UNAUTHORIZED);
                    assertThat(e.getMessage()).isEqualTo("Incorrect username or password");
                });
        assertThatThrownBy(() -> user(c -> c.Login(1, "nobody", "x", Map.of())))
                .isInstanceOfSatisfying(ServiceException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("User: nobody is not registered"));
    }

    @Test
    void getUserIdFillsTheCacheThatUserMentionReads() throws Exception {
        user(c -> {
            c.RegisterUserWithId(1, "D", "D", "dave", "pw", 46, Map.of());
            return null;
        });
        assertThat(storage.cache.get("dave:user_id")).isNull();
        final long daveId = user(c -> c.GetUserId(1, "dave", Map.of()));
        assertThat(daveId).isEqualTo(46L);
        assertThat(new String(storage.cache.get("dave:user_id"), StandardCharsets.US_ASCII)).isEqualTo("46");
        final io.nightcorej.socialnetwork.thrift.Creator byName = user(c -> c.ComposeCreatorWithUsername(1, "dave", Map.of()));
        assertThat(byName.getUser_id()).isEqualTo(46L);
        final io.nightcorej.socialnetwork.thrift.Creator byId = user(c -> c.ComposeCreatorWithUserId(1, 7, "x", Map.of()));
        assertThat(byId.getUsername()).isEqualTo("x");
        assertThatThrownBy(() -> user(c -> c.GetUserId(1, "ghost", Map.of())))
                .hasMessage("User: ghost is not registered");
    }

    @Test
    void registerWithoutAnIdTakesASnowflakeId() throws Exception {
        user(c -> {
            c.RegisterUser(1, "E", "E", "eve", "pw", Map.of());
            return null;
        });
        final long id = user(c -> c.GetUserId(1, "eve", Map.of()));
        assertThat(id).isPositive();
        assertThat(SnowflakeIds.timestampOf(id)).isCloseTo(System.currentTimeMillis() - SnowflakeIds.CUSTOM_EPOCH_MS,
                org.assertj.core.data.Offset.offset(60_000L));
    }
}
