package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.UserMention;
import io.nightcorej.socialnetwork.thrift.UserMentionService;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * {@code UserMentionService}: username to user id, from the cache ({@code <username>:user_id}, filled by
 * UserService) and, for the misses, one {@code $in} query on the {@code user} collection. Unknown usernames are
 * dropped silently, as upstream does. Like upstream it only reads the cache, never fills it.
 */
public final class UserMentionHandler implements UserMentionService.Iface {

    private final DocumentStore documents;
    private final CacheStore cache;

    /**
     * @param documents the document store ({@code user} collection).
     * @param cache     the user cache.
     */
    public UserMentionHandler(final DocumentStore documents, final CacheStore cache) {
        this.documents = documents;
        this.cache = cache;
    }

    @Override
    public List<UserMention> ComposeUserMentions(final long reqId, final List<String> usernames,
            final Map<String, String> carrier) throws ServiceException {
        final List<UserMention> result = new ArrayList<>();
        if (usernames == null || usernames.isEmpty()) {
            return result;
        }
        final Set<String> keys = new LinkedHashSet<>();
        for (final String name : usernames) {
            keys.add(UserHandler.userIdKey(name));
        }
        final Map<String, byte[]> cached = ERRORS.memcached(() -> cache.getMulti(keys));
        final Map<String, Long> idByName = new HashMap<>();
        final List<String> misses = new ArrayList<>();
        for (final String name : new LinkedHashSet<>(usernames)) {
            final byte[] value = cached.get(UserHandler.userIdKey(name));
            if (value != null) {
                idByName.put(name, Long.parseLong(new String(value, StandardCharsets.US_ASCII).trim()));
            } else {
                misses.add(name);
            }
        }
        if (!misses.isEmpty()) {
            final List<Document> docs = ERRORS.mongo(
                    () -> documents.find(UserHandler.COLLECTION, Filters.in("username", misses), null, 0));
            for (final Document doc : docs) {
                idByName.put(doc.getString("username"), PostCodec.longOf(doc, "user_id"));
            }
        }
        for (final String name : usernames) {
            final Long id = idByName.get(name);
            if (id != null) {
                result.add(new UserMention().setUser_id(id).setUsername(name));
            }
        }
        return result;
    }
}
