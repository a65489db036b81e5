package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import io.nightcorej.socialnetwork.thrift.Media;
import io.nightcorej.socialnetwork.thrift.MediaService;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code MediaService}: zips media ids with media types; no storage. */
public final class MediaHandler implements MediaService.Iface {

    @Override
    public List<Media> ComposeMedia(final long reqId, final List<String> mediaTypes, final List<Long> mediaIds,
            final Map<String, String> carrier) throws ServiceException {
        final List<String> types = mediaTypes != null ? mediaTypes : List.of();
        final List<Long> ids = mediaIds != null ? mediaIds : List.of();
        if (types.size() != ids.size()) {
            throw ERRORS.handler("The lengths of media_id list and media_type list are different");
        }
        final List<Media> media = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            media.add(new Media().setMedia_id(ids.get(i)).setMedia_type(types.get(i)));
        }
        return media;
    }
}
