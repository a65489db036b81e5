package io.nightcorej.microservices.common.storage.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One request over a real socket right after an embedded server binds. It proves the server answers, and it pays the
 * one-time cost of the first connection (Netty's allocator and pipeline classes; about a second on a loaded 2-core
 * machine) at start-up instead of inside a client's first, timed operation.
 */
final class SelfCheck {

    private static final int TIMEOUT_MS = 30_000;

    private SelfCheck() {
    }

    static void roundTrip(final InetSocketAddress address, final String request, final String expectedPrefix) {
        final String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, address.getPort()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            final InputStream in = s.getInputStream();
            final byte[] buf = new byte[256];
            final int n = in.read(buf);
            final String reply = n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.US_ASCII);
            if (!reply.startsWith(expectedPrefix)) {
                throw new IllegalStateException("embedded server at " + address + " answered '" + reply.strip()
                        + "' to its self-check");
            }
        } catch (final IOException e) {
            throw new IllegalStateException("embedded server at " + address + " failed its self-check: " + e, e);
        }
    }
}
