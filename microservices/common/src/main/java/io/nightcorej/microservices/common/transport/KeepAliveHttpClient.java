package io.nightcorej.microservices.common.transport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A small blocking HTTP/1.1 client with a pool of keep-alive connections to one origin, for the request/response
 * pattern of calling a gateway or a front end: {@code POST path} with a body (or {@code GET path?query}), read the
 * status and the body.
 *
 * <p>Why not {@code java.net.http.HttpClient}: it hands every exchange to its selector thread and back (a thread hop
 * per call, which a 2-core machine feels); here the calling thread writes the request and reads the reply on its own
 * socket, one {@code write} and usually one {@code read}. Responses may be sized by
 * {@code Content-Length} or chunked. Every wait is bounded: connect by {@code connectTimeoutMs}, each read by
 * {@code readTimeoutMs}.
 *
 * <p>A pooled connection the server has closed while idle is detected when the reply's first byte cannot be read; the
 * request is then sent once more on a fresh connection. This is the one retry, and only for reused connections with no
 * response byte received, which is the stale keep-alive case.
 */
public final class KeepAliveHttpClient implements AutoCloseable {

    /** A response: status and body. */
    public record Response(int status, byte[] body) {
        /** @return the body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_HEADER_LINE = 8192;
    private static final int MAX_BODY = 256 * 1024 * 1024;

    private final String host;
    private final int port;
    private final String basePath;
    private final String hostHeader;
    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final int maxIdle;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * @param baseUrl          {@code http://host:port[/prefix]}; paths given to {@link #post} are appended.
     * @param connectTimeoutMs bound on connecting.
     * @param readTimeoutMs    bound on each read of the response.
     * @param maxIdle          idle connections kept.
     */
    public KeepAliveHttpClient(final String baseUrl, final int connectTimeoutMs, final int readTimeoutMs,
            final int maxIdle) {
        final URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: '" + baseUrl + "'", e);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected an http://host:port URL, not '" + baseUrl + "'");
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        final String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.hostHeader = host + ":" + port;
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
        this.maxIdle = maxIdle;
    }

    private static final class Connection {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final boolean fresh;

        Connection(final Socket socket, final boolean fresh) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.out = socket.getOutputStream();
            this.fresh = fresh;
        }

        Connection reused() {
            return new Connection(socket, in, out);
        }

        private Connection(final Socket socket, final InputStream in, final OutputStream out) {
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.fresh = false;
        }

        void close() {
            try {
                socket.close();
            } catch (final IOException ignored) {
                // closing a broken socket
            }
        }
    }

    /** Thrown inside when a reused connection turned out to be closed before any response byte arrived. */
    private static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Sends {@code POST <base><path>} and reads the whole response.
     *
     * @param path        the path after the base URL, starting with '/'.
     * @param contentType the request's content type.
     * @param body        the request body.
     * @return the response, whatever its status.
     * @throws IOException when the exchange fails or times out; the message names the URL.
     */
    public Response post(final String path, final String contentType, final byte[] body) throws IOException {
        return send("POST", path, contentType, body);
    }

    /**
     * Sends {@code GET <base><path>} (path may carry a query string) and reads the whole response.
     *
     * @param path the path after the base URL, starting with '/'.
     * @return the response, whatever its status.
     * @throws IOException when the exchange fails or times out.
     */
    public Response get(final String path) throws IOException {
        return send("GET", path, null, new byte[0]);
    }

    private Response send(final String method, final String path, final String contentType, final byte[] body)
            throws IOException {
        if (closed) {
            throw new IOException("HTTP client for " + hostHeader + " is closed");
        }
        final byte[] head = (method + " " + basePath + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + (body.length == 0 && "GET".equals(method) ? "" : "Content-Length: " + body.length + "\r\n")
                + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        Connection connection = idle.pollFirst();
        if (connection != null) {
            try {
                return exchange(connection, head, body);
            } catch (final StaleConnectionException stale) {
                connection.close();
                connection = null;
            }
        }
        try {
            return exchange(open(), head, body);
        } catch (final StaleConnectionException e) {
            throw new IOException(method + " http://" + hostHeader + basePath + path + ": connection closed before a response: "
                    + e.getMessage(), e);
        }
    }

    private Connection open() throws IOException {
        final Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(readTimeoutMs);
            socket.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            return new Connection(socket, true);
        } catch (final IOException e) {
            socket.close();
            throw new IOException("cannot connect to http://" + hostHeader + ": " + e.getMessage(), e);
        }
    }

    private Response exchange(final Connection c, final byte[] head, final byte[] body) throws IOException {
        boolean keep = false;
        try {
            try {
                if (body.length <= 64 * 1024) {
                    final byte[] request = new byte[head.length + body.length];
                    System.arraycopy(head, 0, request, 0, head.length);
                    System.arraycopy(body, 0, request, head.length, body.length);
                    c.out.write(request);
                } else {
                    c.out.write(head);
                    c.out.write(body);
                }
                c.out.flush();
            } catch (final IOException e) {
                if (!c.fresh) {
                    throw new StaleConnectionException(e.getMessage(), e);
                }
                throw e;
            }
            final int first;
            try {
                first = c.in.read();
            } catch (final SocketTimeoutException e) {
                throw new SocketTimeoutException("no response from http://" + hostHeader + " within " + readTimeoutMs
                        + " ms");
            } catch (final IOException e) {
                if (!c.fresh) {
                    throw new StaleConnectionException(e.getMessage(), e);
                }
                throw e;
            }
            if (first < 0) {
                if (!c.fresh) {
                    throw new StaleConnectionException("EOF", null);
                }
                throw new IOException("http://" + hostHeader + " closed the connection without a response");
            }
            final String statusLine = (char) first + readLine(c.in);
            final String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("bad HTTP status line from " + hostHeader + ": '" + statusLine + "'");
            }
            final int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (final NumberFormatException e) {
                throw new IOException("bad HTTP status line from " + hostHeader + ": '" + statusLine + "'");
            }
            long contentLength = -1;
            boolean chunked = false;
            boolean close = parts[0].equals("HTTP/1.0");
            String line;
            while (!(line = readLine(c.in)).isEmpty()) {
                final int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                final String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                final String value = line.substring(colon + 1).strip();
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close")
                            || (close && !value.equalsIgnoreCase("keep-alive"));
                    default -> {
                        // ignored
                    }
                }
            }
            final byte[] responseBody;
            if (chunked) {
                responseBody = readChunked(c.in);
            } else if (contentLength >= 0) {
                if (contentLength > MAX_BODY) {
                    throw new IOException("response body of " + contentLength + " bytes is too large");
                }
                responseBody = c.in.readNBytes((int) contentLength);
                if (responseBody.length != contentLength) {
                    throw new IOException("response body truncated: " + responseBody.length + " of " + contentLength);
                }
            } else {
                responseBody = c.in.readAllBytes(); // delimited by close
                close = true;
            }
            keep = !close;
            return new Response(status, responseBody);
        } catch (final NumberFormatException e) {
            throw new IOException("bad HTTP header from " + hostHeader + ": " + e.getMessage(), e);
        } finally {
            if (keep && !closed && idle.size() < maxIdle) {
                idle.offerFirst(c.reused());
            } else {
                c.close();
            }
        }
    }

    private static byte[] readChunked(final InputStream in) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            final String sizeLine = readLine(in);
            final int semi = sizeLine.indexOf(';');
            final int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return out.toByteArray();
            }
            if (out.size() + size > MAX_BODY) {
                throw new IOException("chunked response body is too large");
            }
            final byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new IOException("chunked response truncated");
            }
            out.write(chunk);
            readLine(in);
        }
    }

    private static String readLine(final InputStream in) throws IOException {
        final StringBuilder sb = new StringBuilder(64);
        while (true) {
            final int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the middle of a response");
            }
            if (b == '\n') {
                final int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_HEADER_LINE) {
                throw new IOException("response header line too long");
            }
            sb.append((char) b);
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.pollFirst()) != null) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return "KeepAliveHttpClient[http://" + hostHeader + basePath + "]";
    }
}
