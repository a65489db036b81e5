package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.nightcorej.mediamicroservices.thrift.CastInfo;
import io.nightcorej.mediamicroservices.thrift.CastInfoService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bson.Document;

/**
 * {@code CastInfoService}: documents {@code media-cast-info {cast_info_id, name, gender, intro}} (unique index on the
 * id); cache {@code cast-info:<id>} → JSON. Reads are a multi-get, one {@code $in} for the misses, a SET per miss.
 * Writes are upserts by id (DSB inserts; an upsert makes re-running the loader harmless).
 */
public final class CastInfoHandler implements CastInfoService.Iface {

    private final DocumentStore documents;
    private final CacheStore cache;

    /** Creates the index. */
    public CastInfoHandler(final DocumentStore documents, final CacheStore cache) throws ServiceException {
        this.documents = documents;
        this.cache = cache;
        ERRORS.mongoDo(() -> documents.createIndex(Keys.CAST_INFO_COLLECTION, "cast_info_id", true));
    }

    @Override
    public void WriteCastInfo(final long reqId, final long castInfoId, final String name, final boolean gender,
            final String intro, final Map<String, String> carrier) throws ServiceException {
        ERRORS.mongoDo(() -> documents.updateOne(Keys.CAST_INFO_COLLECTION, Filters.eq("cast_info_id", castInfoId),
                Updates.combine(Updates.set("name", name), Updates.set("gender", gender), Updates.set("intro", intro)), true));
        ERRORS.memcachedDo(() -> cache.delete(Keys.castInfo(castInfoId)));
    }

    @Override
    public List<CastInfo> ReadCastInfo(final long reqId, final List<Long> castIds, final Map<String, String> carrier)
            throws ServiceException {
        if (castIds == null || castIds.isEmpty()) {
            return new ArrayList<>();
        }
        final Set<Long> unique = new LinkedHashSet<>(castIds);
        final Map<String, byte[]> cached = ERRORS.memcached(() -> cache.getMulti(unique.stream().map(Keys::castInfo).toList()));
        final Map<Long, CastInfo> found = new HashMap<>();
        final List<Long> misses = new ArrayList<>();
        for (final long id : unique) {
            final byte[] json = cached.get(Keys.castInfo(id));
            if (json != null) {
                found.put(id, fromDocument(Document.parse(new String(json, StandardCharsets.UTF_8))));
            } else {
                misses.add(id);
            }
        }
        if (!misses.isEmpty()) {
            for (final Document doc : ERRORS.mongo(() -> documents.find(Keys.CAST_INFO_COLLECTION,
                    Filters.in("cast_info_id", misses), null, 0))) {
                doc.remove("_id");
                final CastInfo info = fromDocument(doc);
                found.put(info.getCast_info_id(), info);
                ERRORS.memcachedDo(() -> cache.set(Keys.castInfo(info.getCast_info_id()),
                        doc.toJson().getBytes(StandardCharsets.UTF_8), 0));
            }
        }
        final List<CastInfo> result = new ArrayList<>(castIds.size());
        final List<Long> missing = new ArrayList<>();
        for (final long id : castIds) {
            final CastInfo info = found.get(id);
            if (info == null) {
                missing.add(id);
            } else {
                result.add(info);
            }
        }
        if (!missing.isEmpty()) {
            throw ERRORS.handler("Cast-info(s) " + missing + " not found in MongoDB");
        }
        return result;
    }

    private static CastInfo fromDocument(final Document d) {
        return new CastInfo()
                .setCast_info_id(d.get("cast_info_id", Number.class).longValue())
                .setName(d.getString("name"))
                .setGender(Boolean.TRUE.equals(d.getBoolean("gender")))
                .setIntro(d.getString("intro"));
    }
}
