package io.nightcorej.socialnetwork.service;

import static io.nightcorej.microservices.common.auth.Credentials.jwtHs256;
import static io.nightcorej.microservices.common.auth.Credentials.salt;
import static io.nightcorej.microservices.common.auth.Credentials.sha256Hex;
import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.model.Filters;
import io.nightcorej.microservices.common.ids.SnowflakeIds;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.socialnetwork.thrift.Creator;
import io.nightcorej.socialnetwork.thrift.ErrorCode;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.SocialGraphService;
import io.nightcorej.socialnetwork.thrift.UserService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;

/**
 * {@code UserService}: registration (salted SHA-256), login (HS256 JWT), username to id, and the post creator.
 *
 * <p>Storage: the {@code user} collection ({@code {user_id, first_name, last_name, username, salt, password}}, unique
 * indexes on {@code user_id} and {@code username}) and the user cache, filled on read misses as upstream does:
 * {@code <username>:user_id} → decimal id, {@code <username>:login} → {@code {"password","salt","user_id"}}.
 */
public final class UserHandler implements UserService.Iface {

    static final String COLLECTION = "user";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DocumentStore documents;
    private final CacheStore cache;
    private final ServiceCaller<ServiceException> caller;
    private final SnowflakeIds ids;
    private final byte[] secret;

    /**
     * @param documents the document store; the indexes are created here.
     * @param cache     the user cache.
     * @param caller    how to reach SocialGraphService.
     * @param ids       user ids for {@code RegisterUser}.
     * @param secret    the JWT signing secret.
     */
    public UserHandler(final DocumentStore documents, final CacheStore cache, final ServiceCaller<ServiceException> caller,
            final SnowflakeIds ids, final String secret) throws ServiceException {
        this.documents = documents;
        this.cache = cache;
        this.caller = caller;
        this.ids = ids;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        ERRORS.mongoDo(() -> {
            documents.createIndex(COLLECTION, "user_id", true);
            documents.createIndex(COLLECTION, "username", true);
        });
    }

    /** @return the cache key of a username's id. */
    public static String userIdKey(final String username) {
        return username + ":user_id";
    }

    /** @return the cache key of a username's login record. */
    public static String loginKey(final String username) {
        return username + ":login";
    }

    /** memcached's text protocol forbids whitespace and control characters in keys, and keys over 250 bytes. */
    static boolean cacheable(final String username) {
        if (username.length() > 200) {
            return false;
        }
        for (int i = 0; i < username.length(); i++) {
            final char c = username.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void RegisterUser(final long reqId, final String firstName, final String lastName, final String username,
            final String password, final Map<String, String> carrier) throws ServiceException {
        register(reqId, firstName, lastName, username, password, ids.next());
    }

    @Override
    public void RegisterUserWithId(final long reqId, final String firstName, final String lastName, final String username,
            final String password, final long userId, final Map<String, String> carrier) throws ServiceException {
        register(reqId, firstName, lastName, username, password, userId);
    }

    private void register(final long reqId, final String firstName, final String lastName, final String username,
            final String password, final long userId) throws ServiceException {
        if (username == null || username.isEmpty()) {
            throw ERRORS.handler("username must not be empty");
        }
        final Optional<Document> existing = ERRORS.mongo(() -> documents.findOne(COLLECTION, Filters.eq("username", username)));
        if (existing.isPresent()) {
            throw ERRORS.handler("User " + username + " already existed");
        }
        final String salt = salt();
        final Document doc = new Document("user_id", userId)
                .append("first_name", firstName)
                .append("last_name", lastName)
                .append("username", username)
                .append("salt", salt)
                .append("password", sha256Hex(password + salt));
        try {
            ERRORS.mongoDo(() -> documents.insert(COLLECTION, doc));
        } catch (final ServiceException e) {
            // two registrations of one name raced past the find: the unique index refused the second
            final boolean raced = ERRORS.mongo(() -> documents.findOne(COLLECTION, Filters.eq("username", username)))
                    .filter(d -> PostCodec.longOf(d, "user_id") != userId || !salt.equals(d.getString("salt")))
                    .isPresent();
            throw raced ? ERRORS.handler("User " + username + " already existed") : e;
        }
        caller.call(ServiceNames.SOCIAL_GRAPH, new SocialGraphService.Client.Factory(), c -> {
            c.InsertUser(reqId, userId, Map.of());
            return null;
        });
    }

    @Override
    public String Login(final long reqId, final String username, final String password, final Map<String, String> carrier)
            throws ServiceException {
        final boolean cacheable = username != null && cacheable(username);
        String hash = null;
        String salt = null;
        long userId = -1;
        final byte[] cached = cacheable ? ERRORS.memcached(() -> cache.get(loginKey(username))) : null;
        if (cached != null) {
            try {
                final JsonNode login = JSON.readTree(cached);
                hash = login.path("password").asText(null);
                salt = login.path("salt").asText(null);
                userId = login.path("user_id").asLong(-1);
            } catch (final IOException e) {
                hash = null; // a corrupt entry is a miss
            }
        }
        if (hash == null) {
            final Document doc = ERRORS.mongo(() -> documents.findOne(COLLECTION, Filters.eq("username", username)))
                    .orElseThrow(() -> ERRORS.of(ErrorCode.SE_UNAUTHORIZED, "User: " + username + " is not registered"));
            hash = doc.getString("password");
            salt = doc.getString("salt");
            userId = PostCodec.longOf(doc, "user_id");
            if (hash == null || salt == null) {
                throw ERRORS.handler("Username: " + username + " incomplete login information.");
            }
            if (cacheable) {
                final ObjectNode login = JSON.createObjectNode().put("password", hash).put("salt", salt).put("user_id", userId);
                final byte[] value = login.toString().getBytes(StandardCharsets.UTF_8);
                ERRORS.memcachedDo(() -> cache.set(loginKey(username), value, 0));
            }
        }
        if (!sha256Hex((password != null ? password : "") + salt).equals(hash)) {
            throw ERRORS.of(ErrorCode.SE_UNAUTHORIZED, "Incorrect username or password");
        }
        final Map<String, String> payload = new LinkedHashMap<>();
        payload.put("user_id", Long.toString(userId));
        payload.put("username", username);
        payload.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
        payload.put("ttl", "3600");
        return jwtHs256(payload, secret);
    }

    @Override
    public Creator ComposeCreatorWithUserId(final long reqId, final long userId, final String username,
            final Map<String, String> carrier) {
        return new Creator().setUser_id(userId).setUsername(username);
    }

    @Override
    public Creator ComposeCreatorWithUsername(final long reqId, final String username, final Map<String, String> carrier)
            throws ServiceException {
        return new Creator().setUser_id(GetUserId(reqId, username, carrier)).setUsername(username);
    }

    @Override
    public long GetUserId(final long reqId, final String username, final Map<String, String> carrier)
            throws ServiceException {
        if (username == null) {
            throw ERRORS.handler("User: null is not registered");
        }
        final boolean cacheable = cacheable(username);
        if (cacheable) {
            final byte[] cached = ERRORS.memcached(() -> cache.get(userIdKey(username)));
            if (cached != null) {
                return Long.parseLong(new String(cached, StandardCharsets.US_ASCII).trim());
            }
        }
        final Document doc = ERRORS.mongo(() -> documents.findOne(COLLECTION, Filters.eq("username", username)))
                .orElseThrow(() -> ERRORS.handler("User: " + username + " is not registered"));
        final long userId = PostCodec.longOf(doc, "user_id");
        if (cacheable) {
            ERRORS.memcachedDo(() -> cache.set(userIdKey(username), Long.toString(userId).getBytes(StandardCharsets.US_ASCII), 0));
        }
        return userId;
    }
}
