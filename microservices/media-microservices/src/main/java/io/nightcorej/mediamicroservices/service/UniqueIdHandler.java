package io.nightcorej.mediamicroservices.service;

import io.nightcorej.mediamicroservices.thrift.ComposeReviewService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.mediamicroservices.thrift.UniqueIdService;
import io.nightcorej.microservices.common.ids.SnowflakeIds;
import io.nightcorej.microservices.common.service.ServiceCaller;
import java.util.Map;

/** {@code UniqueIdService}: a snowflake review id (DSB's scheme, per-JVM counter), uploaded to ComposeReview. */
public final class UniqueIdHandler implements UniqueIdService.Iface {

    private final SnowflakeIds ids;
    private final ServiceCaller<ServiceException> caller;

    /** @param ids the generator; @param caller how to reach ComposeReviewService. */
    public UniqueIdHandler(final SnowflakeIds ids, final ServiceCaller<ServiceException> caller) {
        this.ids = ids;
        this.caller = caller;
    }

    @Override
    public void UploadUniqueId(final long reqId, final Map<String, String> carrier) throws ServiceException {
        final long reviewId = ids.next();
        caller.run(ServiceNames.COMPOSE_REVIEW, new ComposeReviewService.Client.Factory(),
                c -> c.UploadUniqueId(reqId, reviewId, Map.of()));
    }
}
