package io.nightcorej.microservices.common.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP exchange on its own socket, bytes exactly as given: how a test sends what wrk2's Lua scripts send
 * (absolute-form targets, bodies that are not percent-encoded), which {@code java.net.http} would not let through.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * @param baseUrl the server, {@code http://host:port}.
     * @param head    request line and headers, ending with the blank line; send {@code Connection: close}.
     * @param body    the body bytes.
     * @return the whole response (status line, headers, body) as UTF-8, read until the server closes (20 s bound).
     */
    public static String exchange(final String baseUrl, final String head, final byte[] body) throws Exception {
        final URI base = URI.create(baseUrl);
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            final OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            final ByteArrayOutputStream response = new ByteArrayOutputStream();
            s.getInputStream().transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
