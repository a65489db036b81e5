package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.microservices.common.storage.StorageException;
import io.nightcorej.socialnetwork.thrift.Post;
import io.nightcorej.socialnetwork.thrift.PostStorageService;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * {@code PostStorageService}: posts in the {@code post} collection (unique index on {@code post_id}) behind a
 * write-through cache keyed by the decimal post id. Posts are immutable, so the cache never needs invalidating.
 *
 * <p>A cache write that fails after the document was stored is not an error (the post is safely stored and the next
 * read refills the cache); a cache read that fails is, as upstream's {@code SE_MEMCACHED_ERROR}.
 */
public final class PostStorageHandler implements PostStorageService.Iface {

    static final String COLLECTION = "post";
    private static final System.Logger LOG = System.getLogger(PostStorageHandler.class.getName());

    private final DocumentStore documents;
    private final CacheStore cache;

    /**
     * @param documents the document store; the index is created here.
     * @param cache     the post cache.
     */
    public PostStorageHandler(final DocumentStore documents, final CacheStore cache) throws ServiceException {
        this.documents = documents;
        this.cache = cache;
        ERRORS.mongoDo(() -> documents.createIndex(COLLECTION, "post_id", true));
    }

    @Override
    public void StorePost(final long reqId, final Post post, final Map<String, String> carrier) throws ServiceException {
        if (post == null) {
            throw ERRORS.handler("StorePost: no post");
        }
        ERRORS.mongoDo(() -> documents.insert(COLLECTION, PostCodec.toDocument(post)));
        cacheQuietly(post);
    }

    @Override
    public Post ReadPost(final long reqId, final long postId, final Map<String, String> carrier) throws ServiceException {
        final byte[] cached = ERRORS.memcached(() -> cache.get(Long.toString(postId)));
        if (cached != null) {
            return PostCodec.fromBytes(cached);
        }
        final Post post = ERRORS.mongo(() -> documents.findOne(COLLECTION, Filters.eq("post_id", postId)))
                .map(PostCodec::fromDocument)
                .orElseThrow(() -> ERRORS.handler("Post_id: " + postId + " doesn't exist in MongoDB"));
        cacheQuietly(post);
        return post;
    }

    @Override
    public List<Post> ReadPosts(final long reqId, final List<Long> postIds, final Map<String, String> carrier)
            throws ServiceException {
        if (postIds == null || postIds.isEmpty()) {
            return new ArrayList<>();
        }
        final Set<String> keys = new LinkedHashSet<>();
        for (final Long id : postIds) {
            keys.add(Long.toString(id));
        }
        final Map<String, byte[]> cached = ERRORS.memcached(() -> cache.getMulti(keys));
        final Map<Long, Post> byId = new HashMap<>();
        final List<Long> misses = new ArrayList<>();
        for (final Long id : new LinkedHashSet<>(postIds)) {
            final byte[] value = cached.get(Long.toString(id));
            if (value != null) {
                byId.put(id, PostCodec.fromBytes(value));
            } else {
                misses.add(id);
            }
        }
        if (!misses.isEmpty()) {
            final List<Document> docs = ERRORS.mongo(() -> documents.find(COLLECTION, Filters.in("post_id", misses), null, 0));
            for (final Document doc : docs) {
                final Post post = PostCodec.fromDocument(doc);
                byId.put(post.getPost_id(), post);
                cacheQuietly(post);
            }
        }
        final List<Post> posts = new ArrayList<>(postIds.size());
        for (final Long id : postIds) {
            final Post post = byId.get(id);
            if (post == null) {
                throw ERRORS.handler("Return set incomplete");
            }
            posts.add(post);
        }
        return posts;
    }

    private void cacheQuietly(final Post post) {
        try {
            cache.set(Long.toString(post.getPost_id()), PostCodec.toBytes(post), 0);
        } catch (final StorageException e) {
            LOG.log(System.Logger.Level.WARNING, "post " + post.getPost_id() + " stored but not cached: " + e.getMessage());
        }
    }
}
