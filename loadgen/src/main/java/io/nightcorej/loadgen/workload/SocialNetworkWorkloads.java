package io.nightcorej.loadgen.workload;

import java.util.List;

import io.nightcorej.loadgen.workload.SocialNetworkRequests.ComposeShape;
import io.nightcorej.loadgen.workload.SocialNetworkRequests.UserRange;

/**
 * The SocialNetwork workloads, one per script (see {@link SocialNetworkRequests} for the ported details).
 *
 * <table>
 *   <caption>workloads</caption>
 *   <tr><th>name</th><th>script</th><th>users</th><th>mix</th></tr>
 *   <tr><td>socialnetwork-compose</td><td>NC compose-post.lua</td><td>1..962</td><td>100 % compose (256 chars,
 *       1..6 mentions, 1..6 urls, 1..5 media, Req-Id header)</td></tr>
 *   <tr><td>socialnetwork-home-timeline</td><td>NC read-home-timeline.lua</td><td>1..962</td><td>stop = start+10</td></tr>
 *   <tr><td>socialnetwork-user-timeline</td><td>NC read-user-timeline.lua</td><td>1..962</td><td>stop = start+1</td></tr>
 *   <tr><td>socialnetwork-follow</td><td>NC mixed.lua userFollow</td><td>1..962</td><td>100 % follow</td></tr>
 *   <tr><td>socialnetwork-mixed</td><td>NC mixed.lua</td><td>1..962</td><td>40 % user-timeline, 25 % home-timeline
 *       (both stop = start+1), 30 % compose (64 chars, 1..3 of each), 5 % follow</td></tr>
 *   <tr><td>socialnetwork-upstream</td><td>upstream mixed-workload.lua</td><td>0..961</td><td>60 % home-timeline,
 *       30 % user-timeline (stop = start+10), 10 % compose (256 chars, 1..6, 1..6, 1..5)</td></tr>
 * </table>
 */
public final class SocialNetworkWorkloads {
    private SocialNetworkWorkloads() {
    }

    /** Ratios of NC mixed.lua. */
    public static final double NC_USER_TIMELINE = 0.40;
    /** Ratio. */
    public static final double NC_HOME_TIMELINE = 0.25;
    /** Ratio. */
    public static final double NC_COMPOSE = 0.30;
    /** Ratios of upstream mixed-workload.lua. */
    public static final double UP_HOME_TIMELINE = 0.60;
    /** Ratio. */
    public static final double UP_USER_TIMELINE = 0.30;

    /**
     * @return all SocialNetwork workloads.
     */
    public static List<Workload> all() {
        return List.of(
            Workload.of("socialnetwork-compose", "NC wrk2_scripts/compose-post.lua",
                o -> nc(o)::composeNc),
            Workload.of("socialnetwork-home-timeline", "NC wrk2_scripts/read-home-timeline.lua (stop = start+10)",
                o -> nc(o)::homeNc),
            Workload.of("socialnetwork-user-timeline", "NC wrk2_scripts/read-user-timeline.lua (stop = start+1)",
                o -> nc(o)::userNc),
            Workload.of("socialnetwork-follow", "NC wrk2_scripts/mixed.lua userFollow()",
                o -> nc(o)::followNc),
            Workload.of("socialnetwork-mixed", "NC wrk2_scripts/mixed.lua: 40/25/30/5 user-tl/home-tl/compose/follow",
                o -> nc(o)::mixedNc),
            Workload.of("socialnetwork-upstream", "DSB mixed-workload.lua: 60/30/10 home-tl/user-tl/compose, ids 0-based",
                o -> upstream(o)::mixedUpstream));
    }

    private static Generators nc(final WorkloadOptions o) {
        return new Generators(new SocialNetworkRequests(new LuaRandom(o.seed()), UserRange.nightcore(o.maxUserIndex())));
    }

    private static Generators upstream(final WorkloadOptions o) {
        return new Generators(new SocialNetworkRequests(new LuaRandom(o.seed()), UserRange.upstream(o.maxUserIndex())));
    }

    /** Method references for each script's {@code request()} function. */
    private record Generators(SocialNetworkRequests r) {
        RequestSpec composeNc() {
            return r.composePost(ComposeShape.NC_COMPOSE);
        }

        RequestSpec homeNc() {
            return r.readTimeline(true, 10, true, false);
        }

        RequestSpec userNc() {
            return r.readTimeline(false, 1, true, true);
        }

        RequestSpec followNc() {
            return r.follow();
        }

        RequestSpec mixedNc() {
            final double coin = r.coin();
            if (coin < NC_USER_TIMELINE) {
                return r.readTimeline(false, 1, false, false);
            } else if (coin < NC_USER_TIMELINE + NC_HOME_TIMELINE) {
                return r.readTimeline(true, 1, false, false);
            } else if (coin < NC_USER_TIMELINE + NC_HOME_TIMELINE + NC_COMPOSE) {
                return r.composePost(ComposeShape.NC_MIXED);
            }
            return r.follow();
        }

        RequestSpec mixedUpstream() {
            final double coin = r.coin();
            if (coin < UP_HOME_TIMELINE) {
                return r.readTimeline(true, 10, true, false);
            } else if (coin < UP_HOME_TIMELINE + UP_USER_TIMELINE) {
                return r.readTimeline(false, 10, true, false);
            }
            return r.composePost(ComposeShape.UPSTREAM);
        }
    }
}
