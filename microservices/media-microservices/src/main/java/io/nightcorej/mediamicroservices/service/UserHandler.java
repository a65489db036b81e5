package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.mediamicroservices.thrift.ComposeReviewService;
import io.nightcorej.mediamicroservices.thrift.ErrorCode;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.mediamicroservices.thrift.UserService;
import io.nightcorej.microservices.common.auth.Credentials;
import io.nightcorej.microservices.common.ids.SnowflakeIds;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * {@code UserService}: registration (snowflake user id, salted SHA-256 as SocialNetwork), login (HS256 JWT with
 * payload {@code {"user_id","timestamp" (ms),"TTL":"60000"}}), and username → user_id for ComposeReview.
 *
 * <p>Documents {@code media-user {user_id, first_name, last_name, username, salt, password}} (unique indexes on
 * user_id and username); cache, cache-aside: {@code user:<username>:user_id}, {@code :password}, {@code :salt}.
 */
public final class UserHandler implements UserService.Iface {

    private final DocumentStore documents;
    private final CacheStore cache;
    private final ServiceCaller<ServiceException> caller;
    private final SnowflakeIds ids;
    private final byte[] secret;

    /** Creates the indexes. */
    public UserHandler(final DocumentStore documents, final CacheStore cache, final ServiceCaller<ServiceException> caller,
            final SnowflakeIds ids, final String secret) throws ServiceException {
        this.documents = documents;
        this.cache = cache;
        this.caller = caller;
        this.ids = ids;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        ERRORS.mongoDo(() -> {
            documents.createIndex(Keys.USER_COLLECTION, "user_id", true);
            documents.createIndex(Keys.USER_COLLECTION, "username", true);
        });
    }

    @Override
    public void RegisterUser(final long reqId, final String firstName, final String lastName, final String username,
            final String password, final Map<String, String> carrier) throws ServiceException {
        register(firstName, lastName, username, password, ids.next());
    }

    @Override
    public void RegisterUserWithId(final long reqId, final String firstName, final String lastName, final String username,
            final String password, final long userId, final Map<String, String> carrier) throws ServiceException {
        register(firstName, lastName, username, password, userId);
    }

    private void register(final String firstName, final String lastName, final String username, final String password,
            final long userId) throws ServiceException {
        if (username == null || username.isEmpty()) {
            throw ERRORS.handler("username must not be empty");
        }
        if (ERRORS.mongo(() -> documents.findOne(Keys.USER_COLLECTION, Filters.eq("username", username))).isPresent()) {
            throw ERRORS.handler("User " + username + " already existed");
        }
        final String salt = Credentials.salt();
        final Document doc = new Document("user_id", userId)
                .append("first_name", firstName)
                .append("last_name", lastName)
                .append("username", username)
                .append("salt", salt)
                .append("password", Credentials.sha256Hex(password + salt));
        try {
            ERRORS.mongoDo(() -> documents.insert(Keys.USER_COLLECTION, doc));
        } catch (final ServiceException e) {
            // two registrations of one name raced past the find: the unique index refused this one
            final boolean raced = ERRORS.mongo(() -> documents.findOne(Keys.USER_COLLECTION, Filters.eq("username", username)))
                    .filter(d -> !salt.equals(d.getString("salt"))).isPresent();
            throw raced ? ERRORS.handler("User " + username + " already existed") : e;
        }
    }

    @Override
    public String Login(final long reqId, final String username, final String password, final Map<String, String> carrier)
            throws ServiceException {
        final String idKey = Keys.user(username, "user_id");
        final String passwordKey = Keys.user(username, "password");
        final String saltKey = Keys.user(username, "salt");
        final Map<String, byte[]> cached = ERRORS.memcached(() -> cache.getMulti(List.of(idKey, passwordKey, saltKey)));
        String userId = text(cached.get(idKey));
        String hash = text(cached.get(passwordKey));
        String salt = text(cached.get(saltKey));
        if (userId == null || hash == null || salt == null) {
            final Document doc = ERRORS.mongo(() -> documents.findOne(Keys.USER_COLLECTION, Filters.eq("username", username)))
                    .orElseThrow(() -> ERRORS.of(ErrorCode.SE_UNAUTHORIZED, "Incorrect username or password"));
            userId = Long.toString(doc.get("user_id", Number.class).longValue());
            hash = doc.getString("password");
            salt = doc.getString("salt");
            final Map<String, String> fill = Map.of(idKey, userId, passwordKey, hash, saltKey, salt);
            for (final Map.Entry<String, String> e : fill.entrySet()) {
                ERRORS.memcachedDo(() -> cache.set(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8), 0));
            }
        }
        if (!Credentials.sha256Hex((password == null ? "" : password) + salt).equals(hash)) {
            throw ERRORS.of(ErrorCode.SE_UNAUTHORIZED, "Incorrect username or password");
        }
        final Map<String, String> payload = new LinkedHashMap<>();
        payload.put("user_id", userId);
        payload.put("timestamp", Long.toString(System.currentTimeMillis()));
        payload.put("TTL", "60000");
        return Credentials.jwtHs256(payload, secret);
    }

    @Override
    public void UploadUserWithUserId(final long reqId, final long userId, final Map<String, String> carrier)
            throws ServiceException {
        caller.run(ServiceNames.COMPOSE_REVIEW, new ComposeReviewService.Client.Factory(),
                c -> c.UploadUserId(reqId, userId, Map.of()));
    }

    /** memcached, else MongoDB; then ComposeReview.UploadUserId; then fill the cache if it was a miss (NC's order). */
    @Override
    public void UploadUserWithUsername(final long reqId, final String username, final Map<String, String> carrier)
            throws ServiceException {
        final String key = Keys.user(username, "user_id");
        final String cached = text(ERRORS.memcached(() -> cache.get(key)));
        final long userId;
        if (cached != null) {
            userId = Long.parseLong(cached);
        } else {
            final Optional<Document> doc = ERRORS.mongo(() -> documents.findOne(Keys.USER_COLLECTION,
                    Filters.eq("username", username)));
            userId = doc.map(d -> d.get("user_id", Number.class).longValue())
                    .orElseThrow(() -> ERRORS.handler("User: " + username + " is not registered"));
        }
        caller.run(ServiceNames.COMPOSE_REVIEW, new ComposeReviewService.Client.Factory(),
                c -> c.UploadUserId(reqId, userId, Map.of()));
        if (cached == null) {
            ERRORS.memcachedDo(() -> cache.set(key, Long.toString(userId).getBytes(StandardCharsets.UTF_8), 0));
        }
    }

    private static String text(final byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
