package io.nightcorej.microservices.common.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for servers that are chosen now and bound later (by a child process, or again after a restart).
 *
 * <p>Why not port 0: the kernel hands out port 0 from the ephemeral range (Linux: 32768-60999), the same range every
 * outgoing connection takes its local port from. Between choosing a port and the server binding it, a busy machine
 * (a stack of a dozen JVMs talking over loopback) can give it to some connection, and the server fails with "Address
 * already in use". Ports in 20000-31999 are never given to outgoing connections, so only another server can take them.
 *
 * <p>A port is handed out at most once per JVM: a test that starts eleven servers asks for eleven ports one at a time,
 * none is bound until all are chosen, so the bind check alone would let two of them draw the same port (CI saw it).
 */
public final class LocalPorts {
    private static final int FIRST = 20_000;
    private static final int COUNT = 12_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LocalPorts() {
    }

    /** @return a loopback port below the ephemeral range that was free a moment ago. */
    public static int outsideEphemeralRange() {
        return outsideEphemeralRange(1).get(0);
    }

    /**
     * @param n how many distinct ports.
     * @return {@code n} distinct loopback ports below the ephemeral range, each free when checked.
     * @throws IllegalStateException when 200 random tries per port found none free and not yet handed out.
     */
    public static List<Integer> outsideEphemeralRange(final int n) {
        final List<Integer> ports = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ports.add(onePort());
        }
        return ports;
    }

    private static int onePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            final int port = FIRST + ThreadLocalRandom.current().nextInt(COUNT);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (final IOException inUse) {
                // taken by another server: try another, and leave it to whoever holds it
            }
        }
        throw new IllegalStateException("no free loopback port in " + FIRST + "-" + (FIRST + COUNT - 1) + " after 200 tries");
    }
}
