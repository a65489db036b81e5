package io.nightcorej.baselines.stack;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One request at a time through the front end — compose, home-timeline read, user-timeline read in turn — and the
 * median / p90 latency of each, measured at the client. A latency probe at negligible load (the NOTE the lead asked
 * for), not a throughput benchmark: that is loadgen's job. SocialNetwork only (the request shapes are the wrk2 API's).
 */
final class SmokeBench {
    static final int USERS = 962; // socfb-Reed98, ids 1..962 (the loader's default id_base=1)

    private SmokeBench() {
    }

    static Map<String, Object> run(StackState s, int warmup, int requests) throws Exception {
        if (!"socialnetwork".equals(s.workload)) {
            throw new IllegalArgumentException("bench-smoke knows the socialnetwork request shapes only, not " + s.workload);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();
        SplittableRandom random = new SplittableRandom(42);
        String[] kinds = {"compose", "home_timeline", "user_timeline"};
        long[][] lat = new long[3][requests];
        int errors = 0;
        String firstError = null;
        for (int i = -warmup; i < requests; i++) {
            for (int k = 0; k < 3; k++) {
                int user = 1 + random.nextInt(USERS);
                HttpRequest req = request(s.frontendUrl, kinds[k], user, i);
                long t0 = System.nanoTime();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                long us = (System.nanoTime() - t0) / 1000;
                if (r.statusCode() != 200) {
                    errors++;
                    if (firstError == null) firstError = kinds[k] + ": HTTP " + r.statusCode() + " " + r.body().trim();
                }
                if (i >= 0) lat[k][i] = us;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("system", s.system);
        out.put("workload", s.workload);
        out.put("requests_per_kind", requests);
        out.put("warmup_per_kind", warmup);
        for (int k = 0; k < 3; k++) {
            long[] a = lat[k].clone();
            Arrays.sort(a);
            out.put(kinds[k] + "_p50_us", a[a.length / 2]);
            out.put(kinds[k] + "_p90_us", a[(int) (a.length * 0.9)]);
        }
        out.put("errors", errors);
        if (firstError != null) out.put("first_error", firstError);
        return out;
    }

    static HttpRequest request(String base, String kind, int user, int n) {
        Duration timeout = Duration.ofSeconds(15);
        switch (kind) {
            case "compose": {
                String form = "username=username_" + user + "&user_id=" + user + "&text="
                    + URLEncoder.encode("smoke post " + n + " from " + user + " @username_" + (user % USERS + 1),
                        StandardCharsets.UTF_8)
                    + "&media_ids=" + URLEncoder.encode("[]", StandardCharsets.UTF_8)
                    + "&media_types=" + URLEncoder.encode("[]", StandardCharsets.UTF_8) + "&post_type=0";
                return HttpRequest.newBuilder(URI.create(base + "/wrk2-api/post/compose")).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            }
            case "home_timeline":
                return HttpRequest.newBuilder(URI.create(base + "/wrk2-api/home-timeline/read?user_id=" + user
                    + "&start=0&stop=10")).timeout(timeout).GET().build();
            default:
                return HttpRequest.newBuilder(URI.create(base + "/wrk2-api/user-timeline/read?user_id=" + user
                    + "&start=0&stop=10")).timeout(timeout).GET().build();
        }
    }
}
