package io.nightcorej.socialnetwork.frontend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.microservices.common.http.HttpEndpoint;
import io.nightcorej.microservices.common.http.HttpRequest;
import io.nightcorej.microservices.common.http.HttpResponse;
import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.socialnetwork.service.ServiceNames;
import io.nightcorej.socialnetwork.thrift.ComposePostService;
import io.nightcorej.socialnetwork.thrift.HomeTimelineService;
import io.nightcorej.socialnetwork.thrift.Post;
import io.nightcorej.socialnetwork.thrift.PostType;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.SocialGraphService;
import io.nightcorej.socialnetwork.thrift.UserService;
import io.nightcorej.socialnetwork.thrift.UserTimelineService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * DeathStarBench's benchmark API ({@code nginx-web-server/lua-scripts/wrk2-api/**}), one endpoint per Lua script,
 * with the same parameters, status codes and bodies (Lua's {@code ngx.say} appends a newline, so do we):
 *
 * <table>
 *   <caption>endpoints</caption>
 *   <tr><th>path</th><th>params</th><th>200</th><th>500 prefix</th></tr>
 *   <tr><td>POST /wrk2-api/post/compose</td><td>username, user_id, text, post_type [, media_ids, media_types]</td>
 *       <td>{@code Successfully upload post}</td><td>{@code compost_post failure: } (sic)</td></tr>
 *   <tr><td>GET /wrk2-api/home-timeline/read</td><td>user_id, start, stop</td><td>JSON array</td>
 *       <td>{@code Get home-timeline failure: }</td></tr>
 *   <tr><td>GET /wrk2-api/user-timeline/read</td><td>user_id, start, stop</td><td>JSON array</td>
 *       <td>{@code Get user-timeline failure: }</td></tr>
 *   <tr><td>POST /wrk2-api/user/register</td><td>first_name, last_name, username, password, user_id</td>
 *       <td>{@code Success!}</td><td>{@code User registration failure: }</td></tr>
 *   <tr><td>POST /wrk2-api/user/follow, /unfollow</td><td>user_id &amp; followee_id, or user_name &amp;
 *       followee_name</td><td>{@code Success!}</td><td>{@code Follow Failed: } / {@code Unfollow Failed: }</td></tr>
 * </table>
 *
 * A missing or empty required parameter is 400 {@code Incomplete arguments}, as upstream. Where upstream's Lua would
 * crash on a malformed value (a non-numeric id, unparsable {@code media_ids}) this answers 400 with
 * {@code Invalid arguments: <why>} instead of nginx's 500 page.
 */
public final class SocialNetworkFrontend {

    static final String INCOMPLETE = "Incomplete arguments\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceCaller<ServiceException> caller;

    /** @param caller how to reach the services. */
    public SocialNetworkFrontend(final ServiceCaller<ServiceException> caller) {
        this.caller = caller;
    }

    /** @return the endpoints by path. */
    public Map<String, HttpEndpoint> endpoints() {
        final Map<String, HttpEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put("/wrk2-api/post/compose", this::compose);
        endpoints.put("/wrk2-api/home-timeline/read", this::readHomeTimeline);
        endpoints.put("/wrk2-api/user-timeline/read", this::readUserTimeline);
        endpoints.put("/wrk2-api/user/register", this::register);
        endpoints.put("/wrk2-api/user/follow", r -> follow(r, true));
        endpoints.put("/wrk2-api/user/unfollow", r -> follow(r, false));
        return endpoints;
    }

    /** A value the Lua front end would have choked on. */
    static final class InvalidArgument extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidArgument(final String message) {
            super(message);
        }
    }

    /** nginx's 60-bit {@code $request_id} prefix; any random non-negative i64 serves (deathstarbench.md §1.5). */
    static long newRequestId() {
        return ThreadLocalRandom.current().nextLong() >>> 4;
    }

    HttpResponse compose(final HttpRequest r) {
        final String userId = r.param("user_id");
        final String username = r.param("username");
        final String postType = r.param("post_type");
        final String text = r.param("text");
        if (empty(userId) || empty(username) || empty(postType) || empty(text)) {
            return HttpResponse.text(400, INCOMPLETE);
        }
        final long uid;
        final PostType type;
        final List<Long> mediaIds;
        final List<String> mediaTypes;
        try {
            uid = parseLong("user_id", userId);
            type = PostType.findByValue((int) parseLong("post_type", postType));
            if (type == null) {
                throw new InvalidArgument("post_type must be 0, 1, 2 or 3");
            }
            final String ids = r.param("media_ids");
            final String types = r.param("media_types");
            if (!empty(ids) && !empty(types)) {
                mediaIds = mediaIds(ids);
                mediaTypes = mediaTypes(types);
            } else {
                mediaIds = List.of();
                mediaTypes = List.of();
            }
        } catch (final InvalidArgument e) {
            return invalid(e);
        }
        final long reqId = newRequestId();
        try {
            caller.call(ServiceNames.COMPOSE_POST, new ComposePostService.Client.Factory(), c -> {
                c.ComposePost(reqId, username, uid, text, mediaIds, mediaTypes, type, Map.of());
                return null;
            });
        } catch (final ServiceException e) {
            return failure("compost_post failure: ", e);
        }
        return HttpResponse.text(200, "Successfully upload post\n");
    }

    HttpResponse readHomeTimeline(final HttpRequest r) {
        return readTimeline(r, true);
    }

    HttpResponse readUserTimeline(final HttpRequest r) {
        return readTimeline(r, false);
    }

    private HttpResponse readTimeline(final HttpRequest r, final boolean home) {
        final String userId = r.param("user_id");
        final String start = r.param("start");
        final String stop = r.param("stop");
        if (empty(userId) || empty(start) || empty(stop)) {
            return HttpResponse.text(400, INCOMPLETE);
        }
        final long uid;
        final int from;
        final int to;
        try {
            uid = parseLong("user_id", userId);
            from = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parseLong("start", start)));
            to = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, parseLong("stop", stop)));
        } catch (final InvalidArgument e) {
            return invalid(e);
        }
        final long reqId = newRequestId();
        final List<Post> posts;
        try {
            posts = home
                    ? caller.call(ServiceNames.HOME_TIMELINE, new HomeTimelineService.Client.Factory(),
                            c -> c.ReadHomeTimeline(reqId, uid, from, to, Map.of()))
                    : caller.call(ServiceNames.USER_TIMELINE, new UserTimelineService.Client.Factory(),
                            c -> c.ReadUserTimeline(reqId, uid, from, to, Map.of()));
        } catch (final ServiceException e) {
            return failure(home ? "Get home-timeline failure: " : "Get user-timeline failure: ", e);
        }
        return new HttpResponse(200, "application/json; charset=utf-8",
                (TimelineJson.render(posts) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse register(final HttpRequest r) {
        final String first = r.param("first_name");
        final String last = r.param("last_name");
        final String username = r.param("username");
        final String password = r.param("password");
        final String userId = r.param("user_id");
        if (empty(first) || empty(last) || empty(username) || empty(password) || empty(userId)) {
            return HttpResponse.text(400, INCOMPLETE);
        }
        final long uid;
        try {
            uid = parseLong("user_id", userId);
        } catch (final InvalidArgument e) {
            return invalid(e);
        }
        final long reqId = newRequestId();
        try {
            caller.call(ServiceNames.USER, new UserService.Client.Factory(), c -> {
                c.RegisterUserWithId(reqId, first, last, username, password, uid, Map.of());
                return null;
            });
        } catch (final ServiceException e) {
            return failure("User registration failure: ", e);
        }
        return HttpResponse.text(200, "Success!\n");
    }

    HttpResponse follow(final HttpRequest r, final boolean follow) {
        final String userId = r.param("user_id");
        final String followeeId = r.param("followee_id");
        final String userName = r.param("user_name");
        final String followeeName = r.param("followee_name");
        final long reqId = newRequestId();
        final String failurePrefix = follow ? "Follow Failed: " : "Unfollow Failed: ";
        try {
            if (!empty(userId) && !empty(followeeId)) {
                final long uid;
                final long fid;
                try {
                    uid = parseLong("user_id", userId);
                    fid = parseLong("followee_id", followeeId);
                } catch (final InvalidArgument e) {
                    return invalid(e);
                }
                caller.call(ServiceNames.SOCIAL_GRAPH, new SocialGraphService.Client.Factory(), c -> {
                    if (follow) {
                        c.Follow(reqId, uid, fid, Map.of());
                    } else {
                        c.Unfollow(reqId, uid, fid, Map.of());
                    }
                    return null;
                });
            } else if (!empty(userName) && !empty(followeeName)) {
                caller.call(ServiceNames.SOCIAL_GRAPH, new SocialGraphService.Client.Factory(), c -> {
                    if (follow) {
                        c.FollowWithUsername(reqId, userName, followeeName, Map.of());
                    } else {
                        c.UnfollowWithUsername(reqId, userName, followeeName, Map.of());
                    }
                    return null;
                });
            } else {
                return HttpResponse.text(400, INCOMPLETE);
            }
        } catch (final ServiceException e) {
            return failure(failurePrefix, e);
        }
        return HttpResponse.text(200, "Success!\n");
    }

    private static HttpResponse failure(final String prefix, final ServiceException e) {
        return HttpResponse.text(500, prefix + e.getMessage() + "\n");
    }

    private static HttpResponse invalid(final InvalidArgument e) {
        return HttpResponse.text(400, "Invalid arguments: " + e.getMessage() + "\n");
    }

    private static boolean empty(final String s) {
        return s == null || s.isEmpty();
    }

    private static long parseLong(final String name, final String value) throws InvalidArgument {
        try {
            return Long.parseLong(value.trim());
        } catch (final NumberFormatException e) {
            throw new InvalidArgument(name + " must be an integer, got '" + abbreviate(value) + "'");
        }
    }

    /** {@code media_ids} is a JSON array of decimal strings (the scripts' 18-digit ids) or numbers. */
    static List<Long> mediaIds(final String json) throws InvalidArgument {
        final JsonNode node = parseArray("media_ids", json);
        final List<Long> ids = new ArrayList<>(node.size());
        for (final JsonNode e : node) {
            if (e.isIntegralNumber() && e.canConvertToLong()) {
                ids.add(e.asLong());
            } else if (e.isTextual()) {
                ids.add(parseLong("media_ids element", e.asText()));
            } else {
                throw new InvalidArgument("media_ids must be a JSON array of integers or decimal strings");
            }
        }
        return ids;
    }

    static List<String> mediaTypes(final String json) throws InvalidArgument {
        final JsonNode node = parseArray("media_types", json);
        final List<String> types = new ArrayList<>(node.size());
        for (final JsonNode e : node) {
            if (!e.isTextual()) {
                throw new InvalidArgument("media_types must be a JSON array of strings");
            }
            types.add(e.asText());
        }
        return types;
    }

    private static JsonNode parseArray(final String name, final String json) throws InvalidArgument {
        try {
            final JsonNode node = JSON.readTree(json);
            if (node == null || !node.isArray()) {
                throw new InvalidArgument(name + " must be a JSON array, got '" + abbreviate(json) + "'");
            }
            return node;
        } catch (final IOException e) {
            throw new InvalidArgument(name + " is not valid JSON: '" + abbreviate(json) + "'");
        }
    }

    private static String abbreviate(final String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
