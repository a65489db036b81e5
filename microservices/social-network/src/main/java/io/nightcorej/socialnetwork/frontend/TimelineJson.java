package io.nightcorej.socialnetwork.frontend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.nightcorej.socialnetwork.thrift.Media;
import io.nightcorej.socialnetwork.thrift.Post;
import io.nightcorej.socialnetwork.thrift.Url;
import io.nightcorej.socialnetwork.thrift.UserMention;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Upstream's {@code _LoadTimeline} in {@code wrk2-api/*-timeline/read.lua}: every i64 as a decimal string (Lua
 * numbers are doubles), {@code post_type} as a number, and upstream's {@code user_mentions}, {@code media} and
 * {@code urls} arrays. One deliberate difference: lua-cjson encodes an empty Lua table as {@code {}}; this always
 * writes {@code []} for a list.
 */
public final class TimelineJson {

    private static final JsonFactory JSON = new JsonFactory();

    private TimelineJson() {
    }

    /** @return the JSON array of posts. */
    public static String render(final List<Post> posts) {
        final StringWriter out = new StringWriter(256 * Math.max(1, posts.size()));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (final Post p : posts) {
                g.writeStartObject();
                g.writeStringField("post_id", Long.toString(p.getPost_id()));
                g.writeObjectFieldStart("creator");
                g.writeStringField("user_id", p.getCreator() != null ? Long.toString(p.getCreator().getUser_id()) : "0");
                g.writeStringField("username", p.getCreator() != null ? p.getCreator().getUsername() : null);
                g.writeEndObject();
                g.writeStringField("req_id", Long.toString(p.getReq_id()));
                g.writeStringField("text", p.getText());
                g.writeArrayFieldStart("user_mentions");
                if (p.getUser_mentions() != null) {
                    for (final UserMention m : p.getUser_mentions()) {
                        g.writeStartObject();
                        g.writeStringField("user_id", Long.toString(m.getUser_id()));
                        g.writeStringField("username", m.getUsername());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeArrayFieldStart("media");
                if (p.getMedia() != null) {
                    for (final Media m : p.getMedia()) {
                        g.writeStartObject();
                        g.writeStringField("media_id", Long.toString(m.getMedia_id()));
                        g.writeStringField("media_type", m.getMedia_type());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeArrayFieldStart("urls");
                if (p.getUrls() != null) {
                    for (final Url u : p.getUrls()) {
                        g.writeStartObject();
                        g.writeStringField("shortened_url", u.getShortened_url());
                        g.writeStringField("expanded_url", u.getExpanded_url());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeStringField("timestamp", Long.toString(p.getTimestamp()));
                g.writeNumberField("post_type", p.getPost_type() != null ? p.getPost_type().getValue() : 0);
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
