package io.nightcorej.socialnetwork.service;

import io.nightcorej.socialnetwork.thrift.Creator;
import io.nightcorej.socialnetwork.thrift.Media;
import io.nightcorej.socialnetwork.thrift.Post;
import io.nightcorej.socialnetwork.thrift.PostType;
import io.nightcorej.socialnetwork.thrift.Url;
import io.nightcorej.socialnetwork.thrift.UserMention;
import java.util.ArrayList;
import java.util.List;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.bson.Document;

/**
 * A post in its two stored forms: upstream's MongoDB document ({@code post.post}) and the cached value.
 *
 * <p>Upstream caches {@code bson_as_json} of the document; this port caches the Thrift binary encoding of the
 * {@link Post} instead, which round-trips i64 fields exactly and needs no JSON parse on a hit.
 */
public final class PostCodec {

    private PostCodec() {
    }

    /** @return the MongoDB document, with upstream's field names. */
    public static Document toDocument(final Post post) {
        final List<Document> mentions = new ArrayList<>();
        if (post.getUser_mentions() != null) {
            for (final UserMention m : post.getUser_mentions()) {
                mentions.add(new Document("user_id", m.getUser_id()).append("username", m.getUsername()));
            }
        }
        final List<Document> media = new ArrayList<>();
        if (post.getMedia() != null) {
            for (final Media m : post.getMedia()) {
                media.add(new Document("media_id", m.getMedia_id()).append("media_type", m.getMedia_type()));
            }
        }
        final List<Document> urls = new ArrayList<>();
        if (post.getUrls() != null) {
            for (final Url u : post.getUrls()) {
                urls.add(new Document("shortened_url", u.getShortened_url()).append("expanded_url", u.getExpanded_url()));
            }
        }
        final Creator creator = post.getCreator() != null ? post.getCreator() : new Creator();
        return new Document("post_id", post.getPost_id())
                .append("timestamp", post.getTimestamp())
                .append("text", post.getText())
                .append("req_id", post.getReq_id())
                .append("post_type", post.getPost_type() != null ? post.getPost_type().getValue() : 0)
                .append("creator", new Document("user_id", creator.getUser_id()).append("username", creator.getUsername()))
                .append("urls", urls)
                .append("user_mentions", mentions)
                .append("media", media);
    }

    /** @return the post stored in a document. */
    public static Post fromDocument(final Document doc) {
        final Post post = new Post()
                .setPost_id(longOf(doc, "post_id"))
                .setTimestamp(longOf(doc, "timestamp"))
                .setText(doc.getString("text"))
                .setReq_id(longOf(doc, "req_id"))
                .setPost_type(PostType.findByValue((int) longOf(doc, "post_type")));
        final Document creator = doc.get("creator", Document.class);
        post.setCreator(creator == null ? new Creator()
                : new Creator().setUser_id(longOf(creator, "user_id")).setUsername(creator.getString("username")));
        final List<UserMention> mentions = new ArrayList<>();
        for (final Document m : docs(doc, "user_mentions")) {
            mentions.add(new UserMention().setUser_id(longOf(m, "user_id")).setUsername(m.getString("username")));
        }
        final List<Media> media = new ArrayList<>();
        for (final Document m : docs(doc, "media")) {
            media.add(new Media().setMedia_id(longOf(m, "media_id")).setMedia_type(m.getString("media_type")));
        }
        final List<Url> urls = new ArrayList<>();
        for (final Document u : docs(doc, "urls")) {
            urls.add(new Url().setShortened_url(u.getString("shortened_url")).setExpanded_url(u.getString("expanded_url")));
        }
        return post.setUser_mentions(mentions).setMedia(media).setUrls(urls);
    }

    /** @return the cached form. */
    public static byte[] toBytes(final Post post) {
        try {
            return new TSerializer(new TBinaryProtocol.Factory()).serialize(post);
        } catch (final TException e) {
            throw new IllegalStateException("cannot encode post " + post.getPost_id(), e);
        }
    }

    /** @return the post in a cached value. */
    public static Post fromBytes(final byte[] bytes) {
        try {
            final Post post = new Post();
            new TDeserializer(new TBinaryProtocol.Factory()).deserialize(post, bytes);
            return post;
        } catch (final TException e) {
            throw new IllegalArgumentException("corrupt cached post: " + e.getMessage(), e);
        }
    }

    /** @return a numeric field as a long, whether MongoDB returned it as int32 or int64; 0 when absent. */
    public static long longOf(final Document doc, final String field) {
        final Object value = doc.get(field);
        return value instanceof Number n ? n.longValue() : 0L;
    }

    @SuppressWarnings("unchecked")
    private static List<Document> docs(final Document doc, final String field) {
        final Object value = doc.get(field);
        return value instanceof List<?> list ? (List<Document>) list : List.of();
    }
}
