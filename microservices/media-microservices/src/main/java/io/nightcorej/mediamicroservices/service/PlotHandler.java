package io.nightcorej.mediamicroservices.service;

import static io.nightcorej.mediamicroservices.service.Errors.ERRORS;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.nightcorej.mediamicroservices.thrift.PlotService;
import io.nightcorej.mediamicroservices.thrift.ServiceException;
import io.nightcorej.microservices.common.storage.CacheStore;
import io.nightcorej.microservices.common.storage.DocumentStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code PlotService}: documents {@code media-plot {plot_id, plot}} (unique index on plot_id); cache
 * {@code plot:<plot_id>} → the plot text, read-through. Writes are upserts (re-running the loader is harmless).
 */
public final class PlotHandler implements PlotService.Iface {

    private final DocumentStore documents;
    private final CacheStore cache;

    /** Creates the index. */
    public PlotHandler(final DocumentStore documents, final CacheStore cache) throws ServiceException {
        this.documents = documents;
        this.cache = cache;
        ERRORS.mongoDo(() -> documents.createIndex(Keys.PLOT_COLLECTION, "plot_id", true));
    }

    @Override
    public void WritePlot(final long reqId, final long plotId, final String plot, final Map<String, String> carrier)
            throws ServiceException {
        ERRORS.mongoDo(() -> documents.updateOne(Keys.PLOT_COLLECTION, Filters.eq("plot_id", plotId),
                Updates.set("plot", plot), true));
        ERRORS.memcachedDo(() -> cache.delete(Keys.plot(plotId)));
    }

    @Override
    public String ReadPlot(final long reqId, final long plotId, final Map<String, String> carrier) throws ServiceException {
        final byte[] cached = ERRORS.memcached(() -> cache.get(Keys.plot(plotId)));
        if (cached != null) {
            return new String(cached, StandardCharsets.UTF_8);
        }
        final String plot = ERRORS.mongo(() -> documents.findOne(Keys.PLOT_COLLECTION, Filters.eq("plot_id", plotId)))
                .map(d -> d.getString("plot"))
                .orElseThrow(() -> ERRORS.handler("Plot_id " + plotId + " is not found in MongoDB"));
        ERRORS.memcachedDo(() -> cache.set(Keys.plot(plotId), plot.getBytes(StandardCharsets.UTF_8), 0));
        return plot;
    }
}
