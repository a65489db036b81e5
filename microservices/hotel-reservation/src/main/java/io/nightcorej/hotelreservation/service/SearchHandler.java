package io.nightcorej.hotelreservation.service;

import io.nightcorej.hotelreservation.thrift.Geo;
import io.nightcorej.hotelreservation.thrift.GeoRequest;
import io.nightcorej.hotelreservation.thrift.GeoResult;
import io.nightcorej.hotelreservation.thrift.NearbyRequest;
import io.nightcorej.hotelreservation.thrift.Rate;
import io.nightcorej.hotelreservation.thrift.RatePlan;
import io.nightcorej.hotelreservation.thrift.RateRequest;
import io.nightcorej.hotelreservation.thrift.RateResult;
import io.nightcorej.hotelreservation.thrift.Search;
import io.nightcorej.hotelreservation.thrift.SearchResult;
import io.nightcorej.hotelreservation.thrift.ServiceException;
import io.nightcorej.microservices.common.service.ServiceCaller;
import java.util.ArrayList;
import java.util.List;

/**
 * search.Search: {@code Geo.Nearby(lat, lon)}, then {@code Rate.GetRates(those ids, inDate, outDate)}, sequentially;
 * the result is the hotel ids of the rate plans, in the rate plans' order (highest total rate first). So only hotels
 * that have a rate plan are ever found (hotels 1-3 and every third hotel), as upstream.
 */
public final class SearchHandler implements Search.Iface {

    private final ServiceCaller<ServiceException> caller;

    /** @param caller reaches Geo and Rate. */
    public SearchHandler(final ServiceCaller<ServiceException> caller) {
        this.caller = caller;
    }

    @Override
    public SearchResult Nearby(final NearbyRequest req) throws ServiceException {
        final GeoResult nearby = caller.call(ServiceNames.GEO, new Geo.Client.Factory(),
                c -> c.Nearby(new GeoRequest().setLat(req.getLat()).setLon(req.getLon())));
        final RateResult rates = caller.call(ServiceNames.RATE, new Rate.Client.Factory(),
                c -> c.GetRates(new RateRequest().setHotelIds(nearby.getHotelIds() == null ? List.of() : nearby.getHotelIds())
                        .setInDate(req.getInDate()).setOutDate(req.getOutDate())));
        final List<String> ids = new ArrayList<>();
        if (rates.getRatePlans() != null) {
            for (final RatePlan plan : rates.getRatePlans()) {
                ids.add(plan.getHotelId());
            }
        }
        return new SearchResult().setHotelIds(ids);
    }
}
