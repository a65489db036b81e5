package io.nightcorej.mediamicroservices.service;

import io.nightcorej.mediamicroservices.thrift.Cast;
import io.nightcorej.mediamicroservices.thrift.CastInfoService;
import io.nightcorej.mediamicroservices.thrift.MovieInfo;
import io.nightcorej.mediamicroservices.thrift.MovieInfoService;
import io.nightcorej.mediamicroservices.thrift.MovieReviewService;
import io.nightcorej.mediamicroservices.thrift.Page;
import io.nightcorej.mediamicroservices.thrift.PageService;
import io.nightcorej.mediamicroservices.thrift.PlotService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.service.ServiceCaller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code PageService.ReadPage}: movie info, its reviews, its cast infos and its plot. Upstream makes the calls in two
 * parallel pairs (info ∥ reviews, then casts ∥ plot); here one after the other, as every call inside NC's functions.
 * Not a Nightcore function in NC (no HTTP endpoint reaches it): deployments serve it only when asked for by name.
 */
public final class PageHandler implements PageService.Iface {

    private final ServiceCaller<ServiceException> caller;

    /** @param caller how to reach the read services. */
    public PageHandler(final ServiceCaller<ServiceException> caller) {
        this.caller = caller;
    }

    @Override
    public Page ReadPage(final long reqId, final String movieId, final int reviewStart, final int reviewStop,
            final Map<String, String> carrier) throws ServiceException {
        final MovieInfo info = caller.call(ServiceNames.MOVIE_INFO, new MovieInfoService.Client.Factory(),
                c -> c.ReadMovieInfo(reqId, movieId, Map.of()));
        final Page page = new Page().setMovie_info(info);
        page.setReviews(caller.call(ServiceNames.MOVIE_REVIEW, new MovieReviewService.Client.Factory(),
                c -> c.ReadMovieReviews(reqId, movieId, reviewStart, reviewStop, Map.of())));
        final List<Long> castInfoIds = new ArrayList<>();
        for (final Cast cast : info.getCasts()) {
            castInfoIds.add(cast.getCast_info_id());
        }
        page.setCast_infos(caller.call(ServiceNames.CAST_INFO, new CastInfoService.Client.Factory(),
                c -> c.ReadCastInfo(reqId, castInfoIds, Map.of())));
        page.setPlot(caller.call(ServiceNames.PLOT, new PlotService.Client.Factory(),
                c -> c.ReadPlot(reqId, info.getPlot_id(), Map.of())));
        return page;
    }
}
