package io.nightcorej.mediamicroservices.service;

import io.nightcorej.mediamicroservices.thrift.ComposeReviewService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.mediamicroservices.thrift.TextService;
import io.nightcorej.microservices.common.service.ServiceCaller;
import java.util.Map;

/** {@code TextService}: forwards the review text unchanged to ComposeReview (DSB does no text processing here). */
public final class TextHandler implements TextService.Iface {

    private final ServiceCaller<ServiceException> caller;

    /** @param caller how to reach ComposeReviewService. */
    public TextHandler(final ServiceCaller<ServiceException> caller) {
        this.caller = caller;
    }

    @Override
    public void UploadText(final long reqId, final String text, final Map<String, String> carrier) throws ServiceException {
        caller.run(ServiceNames.COMPOSE_REVIEW, new ComposeReviewService.Client.Factory(),
                c -> c.UploadText(reqId, text, Map.of()));
    }
}
