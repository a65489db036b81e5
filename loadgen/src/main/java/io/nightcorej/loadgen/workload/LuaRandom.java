package io.nightcorej.loadgen.workload;

import java.util.SplittableRandom;

/**
 * Lua's {@code math.random} semantics over a seeded Java generator: {@code random()} is uniform in [0, 1) and
 * {@code random(m, n)} is uniform over the integers m..n <em>inclusive</em>. The scripts' distributions are
 * reproduced; Lua's own bit stream is not (the scripts seed from the clock or from wrk2's per-thread rand()).
 */
final class LuaRandom {
    private static final char[] CHARSET = "qwertyuiopasdfghjklzxcvbnmQWERTYUIOPASDFGHJKLZXCVBNM1234567890".toCharArray();
    private static final char[] DECSET = "1234567890".toCharArray();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final SplittableRandom random;

    LuaRandom(final long seed) {
        this.random = new SplittableRandom(seed);
        // The scripts call math.random() three times after seeding; it changes nothing but keeps the order honest.
        random.nextDouble();
        random.nextDouble();
        random.nextDouble();
    }

    double random() {
        return random.nextDouble();
    }

    int random(final int lo, final int hi) {
        return random.nextInt(lo, hi + 1);
    }

    /** The scripts' {@code stringRandom(n)}: n characters from the 62-character {@code charset}. */
    void appendStringRandom(final StringBuilder sb, final int length) {
        for (int i = 0; i < length; i++) {
            sb.append(CHARSET[random(1, CHARSET.length) - 1]);
        }
    }

    /** The scripts' {@code decRandom(n)}: n characters from {@code decset} (leading zeros allowed). */
    void appendDecRandom(final StringBuilder sb, final int length) {
        for (int i = 0; i < length; i++) {
            sb.append(DECSET[random(1, DECSET.length) - 1]);
        }
    }

    /** NC's modified wrk2 passes a 32-hex-digit request id to {@code request(req_id)}. */
    String reqId() {
        final char[] id = new char[32];
        for (int i = 0; i < id.length; i++) {
            id[i] = HEX[random.nextInt(16)];
        }
        return new String(id);
    }

    static boolean inCharset(final char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
