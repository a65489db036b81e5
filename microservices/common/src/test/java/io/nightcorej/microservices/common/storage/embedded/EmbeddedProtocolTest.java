package io.nightcorej.microservices.common.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The embedded servers' protocol handling byte for byte, in EmbeddedChannels: requests split anywhere by TCP,
 * pipelining, transactions, and the error paths a client library rarely exercises.
 */
class EmbeddedProtocolTest {

    private static EmbeddedChannel resp() {
        return new EmbeddedChannel(new RespCommandDecoder(), new RespCommandHandler(new RespDatabase()));
    }

    private static EmbeddedChannel memcached() {
        return new EmbeddedChannel(new MemcachedTextDecoder(),
                new MemcachedCommandHandler(new MemcachedItems(1 << 20, System::currentTimeMillis)));
    }

    private static String send(final EmbeddedChannel ch, final String... chunks) {
        for (final String chunk : chunks) {
            ch.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1));
        }
        final StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    @Test
    void respCommandsSplitAnywhereAndPipelinedAreAnsweredInOrder() {
        final EmbeddedChannel ch = resp();
        assertThat(send(ch, "*4\r\n$4\r\nZADD\r\n$1\r\nk\r\n$1\r\n5\r\n$", "1\r\na\r\n*2\r\n$5\r\nZCARD\r\n$1\r\nk\r\nPING\r\n"))
                .isEqualTo(":1\r\n:1\r\n+PONG\r\n");
        assertThat(send(ch, "*5\r\n$6\r\nZRANGE\r\n$1\r\nk\r\n$1\r\n0\r\n$2\r\n-1\r\n$10\r\nWITHSCORES\r\n"))
                .isEqualTo("*2\r\n$1\r\na\r\n$1\r\n5\r\n");
    }

    @Test
    void respMultiExecQueuesAndRunsAtomically() {
        final EmbeddedChannel ch = resp();
        assertThat(send(ch, "MULTI\r\nZADD t 1 x\r\nZADD t 2 y\r\nZREVRANGE t 0 -1\r\nEXEC\r\n"))
                .isEqualTo("+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n:1\r\n:1\r\n*2\r\n$1\r\ny\r\n$1\r\nx\r\n");
        assertThat(send(ch, "EXEC\r\n")).isEqualTo("-ERR EXEC without MULTI\r\n");
        assertThat(send(ch, "MULTI\r\nZADD t 3 z\r\nDISCARD\r\nZCARD t\r\n")).isEqualTo("+OK\r\n+QUEUED\r\n+OK\r\n:2\r\n");
    }

    @Test
    void respErrorsUseRedisTexts() {
        final EmbeddedChannel ch = resp();
        assertThat(send(ch, "FOO bar\r\n")).startsWith("-ERR unknown command 'FOO'");
        assertThat(send(ch, "ZADD k notanumber m\r\n")).isEqualTo("-ERR value is not a valid float\r\n");
        assertThat(send(ch, "ZADD k 1\r\n")).isEqualTo("-ERR wrong number of arguments for 'zadd' command\r\n");
        assertThat(send(ch, "SELECT 99\r\n")).isEqualTo("-ERR DB index is out of range\r\n");
        assertThat(send(ch, "HELLO 3\r\n")).startsWith("-NOPROTO");
        assertThat(send(ch, "CLIENT SETINFO LIB-NAME jedis\r\n")).isEqualTo("+OK\r\n");
        assertThat(send(ch, "ZADD k NX 1 a\r\nZADD k NX 9 a\r\nZSCORE k a\r\nZADD k XX CH 2 a\r\n"))
                .isEqualTo(":1\r\n:0\r\n$1\r\n1\r\n:1\r\n");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void respProtocolErrorIsReportedAndCloses() {
        final EmbeddedChannel ch = resp();
        assertThat(send(ch, "*1\r\n$x\r\n")).startsWith("-ERR Protocol error");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void memcachedStorageCommandWithDataSplitAcrossPackets() {
        final EmbeddedChannel ch = memcached();
        assertThat(send(ch, "set k 7 0 5\r\nhel", "lo\r\nget k missing\r\n"))
                .isEqualTo("STORED\r\nVALUE k 7 5\r\nhello\r\nEND\r\n");
        assertThat(send(ch, "add k 0 0 1\r\nx\r\nappend k 0 0 1\r\n!\r\nget k\r\n"))
                .isEqualTo("NOT_STORED\r\nSTORED\r\nVALUE k 7 6\r\nhello!\r\nEND\r\n");
    }

    @Test
    void memcachedCasIncrDeleteAndNoreply() {
        final EmbeddedChannel ch = memcached();
        send(ch, "set n 0 0 2 noreply\r\n10\r\n");
        final String gets = send(ch, "gets n\r\n");
        final String cas = gets.split(" ")[4].split("\r\n")[0];
        assertThat(send(ch, "cas n 0 0 2 " + cas + "\r\n20\r\ncas n 0 0 2 " + cas + "\r\n30\r\n"))
                .isEqualTo("STORED\r\nEXISTS\r\n");
        assertThat(send(ch, "incr n 5\r\ndecr n 100\r\nincr nope 1\r\n")).isEqualTo("25\r\n0\r\nNOT_FOUND\r\n");
        assertThat(send(ch, "delete n\r\ndelete n\r\n")).isEqualTo("DELETED\r\nNOT_FOUND\r\n");
        assertThat(send(ch, "bogus\r\nversion\r\n")).isEqualTo("ERROR\r\nVERSION " + MemcachedCommandHandler.VERSION + "\r\n");
    }

    @Test
    void memcachedOversizedItemIsSkippedAndTheConnectionStaysInSync() {
        final EmbeddedChannel ch = memcached();
        final int size = MemcachedTextDecoder.MAX_ITEM + 10;
        final String big = "x".repeat(size);
        assertThat(send(ch, "set big 0 0 " + size + "\r\n", big.substring(0, 1000), big.substring(1000) + "\r\n",
                "set ok 0 0 1\r\ny\r\n")).isEqualTo("SERVER_ERROR object too large for cache\r\nSTORED\r\n");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void memcachedBinaryProtocolIsRefusedClearly() {
        final EmbeddedChannel ch = memcached();
        assertThat(send(ch, "\u0080\u0000\u0000\u0000")).startsWith("SERVER_ERROR binary protocol not supported");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void memcachedExpiryFollowsMemcachedRules() {
        final long[] now = {1_000_000_000_000L};
        final MemcachedItems items = new MemcachedItems(1 << 20, () -> now[0]);
        items.store("set", "rel", 0, 10, new byte[] {1}, 0);
        items.store("set", "abs", 0, now[0] / 1000 + 100, new byte[] {1}, 0);
        items.store("set", "neg", 0, -1, new byte[] {1}, 0);
        assertThat(items.get("neg")).isNull();
        now[0] += 11_000;
        assertThat(items.get("rel")).isNull();
        assertThat(items.get("abs")).isNotNull();
        now[0] += 100_000;
        assertThat(items.get("abs")).isNull();
    }

    @Test
    void memcachedEvictsLeastRecentlyUsedBeyondItsMemoryLimit() {
        final MemcachedItems items = new MemcachedItems(10_000, System::currentTimeMillis);
        for (int i = 0; i < 20; i++) {
            items.store("set", "k" + i, 0, 0, new byte[1000], 0);
            items.get("k0"); // keep k0 hot
        }
        assertThat(items.get("k0")).isNotNull();
        assertThat(items.get("k1")).isNull();
        assertThat(items.get("k19")).isNotNull();
        assertThat(items.stats().get("bytes")).isLessThanOrEqualTo(10_000L);
    }
}
