package io.nightcorej.loadgen.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * The request builders of the DeathStarBench SocialNetwork wrk2 scripts, ported draw for draw.
 *
 * <p>Sources (see {@code /work/shared/reference/deathstarbench.md} §1.7): NC = {@code ut-osa/nightcore-benchmarks}
 * {@code workloads/DeathStarBench/socialNetwork/wrk2_scripts/{compose-post,read-home-timeline,read-user-timeline,
 * mixed}.lua}; upstream = {@code delimitrou/DeathStarBench socialNetwork/wrk2/scripts/social-network/
 * mixed-workload.lua}. What the scripts do, and what is kept here:
 * <ul>
 *   <li>Loops are {@code for i = 0, n}: they run <b>n+1</b> times, so {@code math.random(0,5)} mentions gives 1..6.</li>
 *   <li>A mention never names the posting user (the script redraws until {@code user_mention_id ~= user_index}).</li>
 *   <li>URLs are {@code " http://" .. stringRandom(64)}; media ids are {@code decRandom(18)} with type {@code "png"}.</li>
 *   <li>Bodies are not percent-encoded: the raw text with spaces, {@code @}, {@code :}, {@code /} and the JSON arrays
 *       {@code ["...","..."]} go into the form body as they are.</li>
 *   <li>The draws happen in the scripts' order (user, text, counts, mentions, urls, media).</li>
 * </ul>
 */
public final class SocialNetworkRequests {
    /** Path of compose-post. */
    public static final String COMPOSE_PATH = "/wrk2-api/post/compose";
    /** Path of read-home-timeline. */
    public static final String HOME_TIMELINE_PATH = "/wrk2-api/home-timeline/read";
    /** Path of read-user-timeline. */
    public static final String USER_TIMELINE_PATH = "/wrk2-api/user-timeline/read";
    /** Path of follow. */
    public static final String FOLLOW_PATH = "/wrk2-api/user/follow";

    /** Operation labels. */
    public static final String COMPOSE = "compose-post";
    /** Operation label. */
    public static final String HOME_TIMELINE = "read-home-timeline";
    /** Operation label. */
    public static final String USER_TIMELINE = "read-user-timeline";
    /** Operation label. */
    public static final String FOLLOW = "follow";

    /**
     * Shape of one compose-post variant.
     *
     * @param textLength characters of random text before mentions/urls (256 in compose-post.lua, 64 in NC mixed.lua).
     * @param maxMentionDraw mentions = random(0, maxMentionDraw) + 1.
     * @param maxUrlDraw urls = random(0, maxUrlDraw) + 1.
     * @param maxMediaDraw media = random(0, maxMediaDraw) + 1.
     * @param reqIdHeader whether a {@code Req-Id: <32 hex>} header is set (NC compose-post.lua with NC's wrk2).
     */
    public record ComposeShape(int textLength, int maxMentionDraw, int maxUrlDraw, int maxMediaDraw, boolean reqIdHeader) {
        /** NC compose-post.lua. */
        public static final ComposeShape NC_COMPOSE = new ComposeShape(256, 5, 5, 4, true);
        /** NC mixed.lua's composePost. */
        public static final ComposeShape NC_MIXED = new ComposeShape(64, 2, 2, 2, false);
        /** Upstream compose-post.lua / mixed-workload.lua. */
        public static final ComposeShape UPSTREAM = new ComposeShape(256, 5, 5, 4, false);
    }

    /**
     * Range of user ids: NC uses 1..962 (the .mtx is 1-based), upstream 0..max_user_index-1.
     *
     * @param lo first id.
     * @param hi last id, inclusive.
     */
    public record UserRange(int lo, int hi) {
        /** NC: 1..max. */
        public static UserRange nightcore(final int maxUserIndex) {
            return new UserRange(1, maxUserIndex);
        }

        /** Upstream: 0..max-1. */
        public static UserRange upstream(final int maxUserIndex) {
            return new UserRange(0, maxUserIndex - 1);
        }
    }

    private final LuaRandom random;
    private final UserRange users;

    SocialNetworkRequests(final LuaRandom random, final UserRange users) {
        this.random = random;
        this.users = users;
    }

    private static List<String[]> headers(final String... nameValues) {
        final List<String[]> list = new ArrayList<>(nameValues.length / 2);
        for (int i = 0; i < nameValues.length; i += 2) {
            list.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        return list;
    }

    RequestSpec composePost(final ComposeShape shape) {
        final int userIndex = random.random(users.lo(), users.hi());
        final StringBuilder text = new StringBuilder(shape.textLength() + 512);
        random.appendStringRandom(text, shape.textLength());
        final int numUserMentions = random.random(0, shape.maxMentionDraw());
        final int numUrls = random.random(0, shape.maxUrlDraw());
        final int numMedia = random.random(0, shape.maxMediaDraw());
        for (int i = 0; i <= numUserMentions; i++) {
            int mention;
            do {
                mention = random.random(users.lo(), users.hi());
            } while (mention == userIndex);
            text.append(" @username_").append(mention);
        }
        for (int i = 0; i <= numUrls; i++) {
            text.append(" http://");
            random.appendStringRandom(text, 64);
        }
        final StringBuilder mediaIds = new StringBuilder(24 * (numMedia + 1)).append('[');
        final StringBuilder mediaTypes = new StringBuilder(8 * (numMedia + 1)).append('[');
        for (int i = 0; i <= numMedia; i++) {
            if (i > 0) {
                mediaIds.append(',');
                mediaTypes.append(',');
            }
            mediaIds.append('"');
            random.appendDecRandom(mediaIds, 18);
            mediaIds.append('"');
            mediaTypes.append("\"png\"");
        }
        mediaIds.append(']');
        mediaTypes.append(']');
        final String body = "username=username_" + userIndex + "&user_id=" + userIndex + "&text=" + text
            + "&media_ids=" + mediaIds + "&media_types=" + mediaTypes + "&post_type=0";
        final List<String[]> h = shape.reqIdHeader()
            ? headers("Content-Type", RequestSpec.FORM, "Req-Id", random.reqId())
            : headers("Content-Type", RequestSpec.FORM);
        return new RequestSpec(COMPOSE, "POST", COMPOSE_PATH, h, body);
    }

    /**
     * read-home-timeline / read-user-timeline: user uniform in the range, start in 0..100, stop = start + span.
     *
     * @param home home (true) or user (false) timeline.
     * @param span 10 in the standalone NC home script and upstream, 1 in NC's user script and NC's mixed.lua.
     * @param contentType whether the script sets a form Content-Type on the GET (all but NC mixed.lua do).
     * @param reqIdHeader whether a Req-Id header is set (NC read-user-timeline.lua).
     */
    RequestSpec readTimeline(final boolean home, final int span, final boolean contentType, final boolean reqIdHeader) {
        final int userId = random.random(users.lo(), users.hi());
        final int start = random.random(0, 100);
        final int stop = start + span;
        final String path = (home ? HOME_TIMELINE_PATH : USER_TIMELINE_PATH)
            + "?user_id=" + userId + "&start=" + start + "&stop=" + stop;
        final List<String[]> h;
        if (contentType && reqIdHeader) {
            h = headers("Content-Type", RequestSpec.FORM, "Req-Id", random.reqId());
        } else if (contentType) {
            h = headers("Content-Type", RequestSpec.FORM);
        } else {
            h = List.of();
        }
        return new RequestSpec(home ? HOME_TIMELINE : USER_TIMELINE, "GET", path, h, null);
    }

    /** NC mixed.lua's userFollow: both ids uniform, independent (may be equal or already followed). */
    RequestSpec follow() {
        final int userId = random.random(users.lo(), users.hi());
        final int followeeId = random.random(users.lo(), users.hi());
        return new RequestSpec(FOLLOW, "POST", FOLLOW_PATH, headers("Content-Type", RequestSpec.FORM),
            "user_id=" + userId + "&followee_id=" + followeeId);
    }

    double coin() {
        return random.random();
    }
}
