package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import io.nightcorej.microservices.common.storage.DocumentStore;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.Url;
import io.nightcorej.socialnetwork.thrift.UrlShortenService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.Document;

/**
 * {@code UrlShortenService}: each URL becomes {@code http://short-url/} plus 10 characters from {@code [a-zA-Z0-9]};
 * the pairs are written to the {@code url-shorten} collection and never read back (upstream's
 * {@code GetExtendedUrls} is an empty TODO; here it answers from the collection, see the README).
 */
public final class UrlShortenHandler implements UrlShortenService.Iface {

    /** Upstream's prefix. */
    public static final String PREFIX = "http://short-url/";
    static final String COLLECTION = "url-shorten";
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private final DocumentStore documents;

    /** @param documents the document store; the unique index on {@code shortened_url} is created here. */
    public UrlShortenHandler(final DocumentStore documents) throws ServiceException {
        this.documents = documents;
        ERRORS.mongoDo(() -> documents.createIndex(COLLECTION, "shortened_url", true));
    }

    @Override
    public List<Url> ComposeUrls(final long reqId, final List<String> urls, final Map<String, String> carrier)
            throws ServiceException {
        final List<Url> result = new ArrayList<>();
        if (urls == null || urls.isEmpty()) {
            return result;
        }
        final List<Document> docs = new ArrayList<>(urls.size());
        for (final String url : urls) {
            final Url u = new Url().setShortened_url(PREFIX + randomSuffix()).setExpanded_url(url);
            result.add(u);
            docs.add(new Document("shortened_url", u.getShortened_url()).append("expanded_url", u.getExpanded_url()));
        }
        // one bulk insert, as upstream (mongoc_bulk_operation_insert per URL, then one execute)
        ERRORS.mongoDo(() -> documents.insertAll(COLLECTION, docs));
        return result;
    }

    @Override
    public List<String> GetExtendedUrls(final long reqId, final List<String> shortenedUrls,
            final Map<String, String> carrier) throws ServiceException {
        final List<String> expanded = new ArrayList<>();
        if (shortenedUrls == null) {
            return expanded;
        }
        for (final String shortened : shortenedUrls) {
            final var doc = ERRORS.mongo(() -> documents.findOne(COLLECTION, Filters.eq("shortened_url", shortened)));
            expanded.add(doc.map(d -> d.getString("expanded_url")).orElse(""));
        }
        return expanded;
    }

    static String randomSuffix() {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        final char[] chars = new char[10];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
