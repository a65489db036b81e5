package io.nightcorej.analysis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Fetches the Nightcore gateway's {@code GET /stats} JSON (engine per-hop histograms). A seam for tests. */
public interface StatsFetcher {

    String fetch(URI statsUrl) throws IOException;

    /** Plain HTTP GET with connect and response timeouts, so a wedged gateway cannot hang the run. */
    static StatsFetcher http(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        return uri -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + uri + " returned HTTP " + response.statusCode());
                }
                return response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while fetching " + uri, e);
            }
        };
    }
}
