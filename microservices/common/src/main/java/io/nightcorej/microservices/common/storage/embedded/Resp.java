package io.nightcorej.microservices.common.storage.embedded;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** RESP2 reply encoders: {@code +simple}, {@code -error}, {@code :integer}, {@code $bulk}, {@code *array}. */
final class Resp {

    private static final byte[] CRLF = {'\r', '\n'};

    private Resp() {
    }

    static void simple(final ByteBuf out, final String s) {
        out.writeByte('+').writeCharSequence(s, StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    static void error(final ByteBuf out, final String s) {
        out.writeByte('-').writeCharSequence(s.replace('\r', ' ').replace('\n', ' '), StandardCharsets.ISO_8859_1);
        out.writeBytes(CRLF);
    }

    static void integer(final ByteBuf out, final long n) {
        out.writeByte(':').writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    static void bulk(final ByteBuf out, final byte[] b) {
        out.writeByte('$').writeCharSequence(Integer.toString(b.length), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF).writeBytes(b).writeBytes(CRLF);
    }

    static void nullBulk(final ByteBuf out) {
        out.writeCharSequence("$-1", StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }

    static void arrayHeader(final ByteBuf out, final int n) {
        out.writeByte('*').writeCharSequence(Integer.toString(n), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
    }
}
