package io.nightcorej.socialnetwork.service;

import io.nightcorej.microservices.common.ids.SnowflakeIds;
import io.nightcorej.socialnetwork.thrift.PostType;
import io.nightcorej.socialnetwork.thrift.UniqueIdService;
import java.util.Map;

/** {@code UniqueIdService}: snowflake post ids (see {@link SnowflakeIds}); no storage, no calls. */
public final class UniqueIdHandler implements UniqueIdService.Iface {

    private final SnowflakeIds ids;

    /** @param ids the generator (normally {@link SnowflakeIds#process()}). */
    public UniqueIdHandler(final SnowflakeIds ids) {
        this.ids = ids;
    }

    @Override
    public long ComposeUniqueId(final long reqId, final PostType postType, final Map<String, String> carrier) {
        return ids.next();
    }
}
