package io.nightcorej.microservices.common.storage.embedded;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The data and command semantics behind {@link RespServer}: 16 numbered databases of sorted sets, and the subset of
 * Redis commands that a Jedis-backed {@code SortedSetStore} (and a person with {@code redis-cli}) sends.
 *
 * <p>Like Redis, commands run one at a time: {@link #execute} is {@code synchronized}, which also makes
 * {@code MULTI}/{@code EXEC} atomic. Keys and members are kept as ISO-8859-1 strings, a lossless 1:1 view of the bytes
 * on the wire, so binary members round-trip and compare like Redis's {@code memcmp}.
 *
 * <p>Supported: {@code PING ECHO SELECT FLUSHALL FLUSHDB DBSIZE DEL UNLINK EXISTS TYPE
 * ZADD [NX|XX] [GT|LT] [CH] [INCR] ZREM ZCARD ZSCORE ZRANGE [REV] [WITHSCORES] ZREVRANGE [WITHSCORES]
 * CLIENT (SETINFO/SETNAME/GETNAME/ID) HELLO [2] INFO COMMAND QUIT} and {@code MULTI EXEC DISCARD} (in
 * {@link RespCommandHandler}). Anything else gets Redis's {@code -ERR unknown command} reply.
 */
public final class RespDatabase {

    static final String VERSION = "7.0.15";
    private static final java.util.Set<String> ZADD_OPTIONS = java.util.Set.of("NX", "XX", "GT", "LT", "CH", "INCR");
    private static final int DATABASES = 16;

    /** One sorted set: score by member, plus members ordered by (score, member) as Redis's skiplist orders them. */
    static final class SortedSet {
        record Member(double score, String name) {
        }

        static final Comparator<Member> ORDER = Comparator.comparingDouble(Member::score).thenComparing(Member::name);
        final HashMap<String, Double> scores = new HashMap<>();
        final TreeSet<Member> ordered = new TreeSet<>(ORDER);

        int size() {
            return scores.size();
        }
    }

    @SuppressWarnings("unchecked")
    private final Map<String, Object>[] databases = new Map[DATABASES];

    /** Creates empty databases. */
    public RespDatabase() {
        for (int i = 0; i < DATABASES; i++) {
            databases[i] = new HashMap<>();
        }
    }

    /** Per-connection state: the selected database. */
    static final class Session {
        int db;
        boolean quit;
    }

    /**
     * Runs one command and writes its reply.
     *
     * @param args    the command and its arguments.
     * @param session the connection's state.
     * @param out     where the reply goes.
     */
    synchronized void execute(final List<byte[]> args, final Session session, final ByteBuf out) {
        final String name = str(args.get(0)).toUpperCase(Locale.ROOT);
        try {
            dispatch(name, args, session, out);
        } catch (final ArgumentException e) {
            Resp.error(out, e.getMessage());
        }
    }

    /** A client error, reported as an {@code -ERR} reply. */
    static final class ArgumentException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ArgumentException(final String message) {
            super(message, null, false, false);
        }
    }

    private void dispatch(final String name, final List<byte[]> args, final Session session, final ByteBuf out) {
        final Map<String, Object> db = databases[session.db];
        switch (name) {
            case "PING" -> {
                if (args.size() > 1) {
                    Resp.bulk(out, args.get(1));
                } else {
                    Resp.simple(out, "PONG");
                }
            }
            case "ECHO" -> {
                arity(args, 2, 2, name);
                Resp.bulk(out, args.get(1));
            }
            case "QUIT" -> {
                session.quit = true;
                Resp.simple(out, "OK");
            }
            case "SELECT" -> {
                arity(args, 2, 2, name);
                final long index = integer(args.get(1));
                if (index < 0 || index >= DATABASES) {
                    throw new ArgumentException("ERR DB index is out of range");
                }
                session.db = (int) index;
                Resp.simple(out, "OK");
            }
            case "FLUSHALL" -> {
                for (final Map<String, Object> d : databases) {
                    d.clear();
                }
                Resp.simple(out, "OK");
            }
            case "FLUSHDB" -> {
                db.clear();
                Resp.simple(out, "OK");
            }
            case "DBSIZE" -> Resp.integer(out, db.size());
            case "DEL", "UNLINK" -> {
                arity(args, 2, Integer.MAX_VALUE, name);
                long removed = 0;
                for (int i = 1; i < args.size(); i++) {
                    removed += db.remove(str(args.get(i))) != null ? 1 : 0;
                }
                Resp.integer(out, removed);
            }
            case "EXISTS" -> {
                arity(args, 2, Integer.MAX_VALUE, name);
                long found = 0;
                for (int i = 1; i < args.size(); i++) {
                    found += db.containsKey(str(args.get(i))) ? 1 : 0;
                }
                Resp.integer(out, found);
            }
            case "TYPE" -> {
                arity(args, 2, 2, name);
                Resp.simple(out, db.containsKey(str(args.get(1))) ? "zset" : "none");
            }
            case "ZADD" -> zadd(db, args, out);
            case "ZREM" -> {
                arity(args, 3, Integer.MAX_VALUE, name);
                final String key = str(args.get(1));
                final SortedSet set = existing(db, key);
                long removed = 0;
                if (set != null) {
                    for (int i = 2; i < args.size(); i++) {
                        final String member = str(args.get(i));
                        final Double score = set.scores.remove(member);
                        if (score != null) {
                            set.ordered.remove(new SortedSet.Member(score, member));
                            removed++;
                        }
                    }
                    if (set.size() == 0) {
                        db.remove(key);
                    }
                }
                Resp.integer(out, removed);
            }
            case "ZCARD" -> {
                arity(args, 2, 2, name);
                final SortedSet set = existing(db, str(args.get(1)));
                Resp.integer(out, set == null ? 0 : set.size());
            }
            case "ZSCORE" -> {
                arity(args, 3, 3, name);
                final SortedSet set = existing(db, str(args.get(1)));
                final Double score = set == null ? null : set.scores.get(str(args.get(2)));
                if (score == null) {
                    Resp.nullBulk(out);
                } else {
                    Resp.bulk(out, formatScore(score));
                }
            }
            case "ZRANGE", "ZREVRANGE" -> zrange(db, args, "ZREVRANGE".equals(name), out);
            case "CLIENT" -> {
                arity(args, 2, Integer.MAX_VALUE, name);
                final String sub = str(args.get(1)).toUpperCase(Locale.ROOT);
                switch (sub) {
                    case "SETINFO", "SETNAME", "NO-EVICT", "NO-TOUCH", "REPLY" -> Resp.simple(out, "OK");
                    case "GETNAME" -> Resp.nullBulk(out);
                    case "ID" -> Resp.integer(out, System.identityHashCode(session));
                    default -> throw new ArgumentException("ERR unknown subcommand '" + str(args.get(1)) + "'");
                }
            }
            case "HELLO" -> hello(args, out);
            case "INFO" -> Resp.bulk(out, ("# Server\r\nredis_version:" + VERSION + "\r\nredis_mode:standalone\r\n"
                    + "nightcorej_embedded:1\r\n").getBytes(StandardCharsets.US_ASCII));
            case "COMMAND" -> Resp.arrayHeader(out, 0);
            default -> throw new ArgumentException("ERR unknown command '" + str(args.get(0))
                    + "', with args beginning with: ");
        }
    }

    private static void hello(final List<byte[]> args, final ByteBuf out) {
        if (args.size() > 1) {
            final long version;
            try {
                version = Long.parseLong(str(args.get(1)));
            } catch (final NumberFormatException e) {
                throw new ArgumentException("ERR Protocol version is not an integer or out of range");
            }
            if (version != 2) {
                // We speak RESP2 only; real Redis 7 would switch to RESP3. Clients fall back to RESP2 on NOPROTO.
                throw new ArgumentException("NOPROTO unsupported protocol version");
            }
        }
        final String[] kv = {"server", "redis", "version", VERSION, "proto", null, "id", null, "mode", "standalone",
            "role", "master", "modules", null};
        Resp.arrayHeader(out, kv.length);
        for (int i = 0; i < kv.length; i += 2) {
            Resp.bulk(out, kv[i].getBytes(StandardCharsets.US_ASCII));
            switch (kv[i]) {
                case "proto" -> Resp.integer(out, 2);
                case "id" -> Resp.integer(out, 1);
                case "modules" -> Resp.arrayHeader(out, 0);
                default -> Resp.bulk(out, kv[i + 1].getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static void zadd(final Map<String, Object> db, final List<byte[]> args, final ByteBuf out) {
        arity(args, 4, Integer.MAX_VALUE, "ZADD");
        final String key = str(args.get(1));
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int i = 2;
        for (; i < args.size(); i++) {
            final String option = str(args.get(i)).toUpperCase(Locale.ROOT);
            if (!ZADD_OPTIONS.contains(option)) {
                break;
            }
            switch (option) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                case "CH" -> ch = true;
                default -> incr = true;
            }
        }
        final int pairs = args.size() - i;
        if (pairs == 0 || pairs % 2 != 0) {
            throw new ArgumentException("ERR syntax error");
        }
        if (nx && xx) {
            throw new ArgumentException("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && lt) || (nx && (gt || lt))) {
            throw new ArgumentException("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && pairs != 2) {
            throw new ArgumentException("ERR INCR option supports a single increment-element pair");
        }
        final double[] scores = new double[pairs / 2];
        for (int p = 0; p < scores.length; p++) {
            scores[p] = parseScore(args.get(i + 2 * p));
        }
        SortedSet set = existing(db, key);
        if (set == null) {
            if (xx) {
                if (incr) {
                    Resp.nullBulk(out);
                } else {
                    Resp.integer(out, 0);
                }
                return;
            }
            set = new SortedSet();
            db.put(key, set);
        }
        long added = 0;
        long changed = 0;
        Double incrResult = null;
        for (int p = 0; p < scores.length; p++) {
            final String member = str(args.get(i + 2 * p + 1));
            final Double current = set.scores.get(member);
            double score = scores[p];
            if (current == null) {
                if (xx) {
                    continue;
                }
                set.scores.put(member, score);
                set.ordered.add(new SortedSet.Member(score, member));
                added++;
                incrResult = score;
            } else {
                if (nx) {
                    continue;
                }
                if (incr) {
                    score = current + score;
                    if (Double.isNaN(score)) {
                        throw new ArgumentException("ERR resulting score is not a number (NaN)");
                    }
                }
                if ((gt && score <= current) || (lt && score >= current)) {
                    continue;
                }
                incrResult = score;
                if (score != current) {
                    set.ordered.remove(new SortedSet.Member(current, member));
                    set.scores.put(member, score);
                    set.ordered.add(new SortedSet.Member(score, member));
                    changed++;
                }
            }
        }
        if (set.size() == 0) {
            db.remove(key);
        }
        if (incr) {
            if (incrResult == null) {
                Resp.nullBulk(out);
            } else {
                Resp.bulk(out, formatScore(incrResult));
            }
        } else {
            Resp.integer(out, ch ? added + changed : added);
        }
    }

    private static void zrange(final Map<String, Object> db, final List<byte[]> args, final boolean revCommand,
            final ByteBuf out) {
        arity(args, 4, Integer.MAX_VALUE, revCommand ? "ZREVRANGE" : "ZRANGE");
        boolean withScores = false;
        boolean rev = revCommand;
        for (int i = 4; i < args.size(); i++) {
            final String option = str(args.get(i)).toUpperCase(Locale.ROOT);
            if ("WITHSCORES".equals(option)) {
                withScores = true;
            } else if ("REV".equals(option) && !revCommand) {
                rev = true;
            } else {
                throw new ArgumentException("ERR syntax error");
            }
        }
        long start = integer(args.get(2));
        long stop = integer(args.get(3));
        final SortedSet set = existing(db, str(args.get(1)));
        if (set == null) {
            Resp.arrayHeader(out, 0);
            return;
        }
        final int size = set.size();
        if (start < 0) {
            start = Math.max(0, start + size);
        }
        if (stop < 0) {
            stop += size;
        }
        if (stop >= size) {
            stop = size - 1;
        }
        if (start > stop || start >= size) {
            Resp.arrayHeader(out, 0);
            return;
        }
        final int count = (int) (stop - start + 1);
        Resp.arrayHeader(out, withScores ? 2 * count : count);
        final Iterator<SortedSet.Member> it = rev ? set.ordered.descendingIterator() : set.ordered.iterator();
        for (long skip = 0; skip < start; skip++) {
            it.next();
        }
        for (int n = 0; n < count; n++) {
            final SortedSet.Member m = it.next();
            Resp.bulk(out, m.name().getBytes(StandardCharsets.ISO_8859_1));
            if (withScores) {
                Resp.bulk(out, formatScore(m.score()));
            }
        }
    }

    private static SortedSet existing(final Map<String, Object> db, final String key) {
        final Object value = db.get(key);
        if (value == null || value instanceof SortedSet) {
            return (SortedSet) value;
        }
        throw new ArgumentException("WRONGTYPE Operation against a key holding the wrong kind of value");
    }

    private static void arity(final List<byte[]> args, final int min, final int max, final String name) {
        if (args.size() < min || args.size() > max) {
            throw new ArgumentException("ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT)
                    + "' command");
        }
    }

    static String str(final byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static long integer(final byte[] bytes) {
        try {
            return Long.parseLong(str(bytes));
        } catch (final NumberFormatException e) {
            throw new ArgumentException("ERR value is not an integer or out of range");
        }
    }

    static double parseScore(final byte[] bytes) {
        final String s = str(bytes).toLowerCase(Locale.ROOT);
        switch (s) {
            case "inf", "+inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    final double d = Double.parseDouble(s);
                    if (Double.isNaN(d) || s.endsWith("d") || s.endsWith("f")) {
                        throw new NumberFormatException(s);
                    }
                    return d;
                } catch (final NumberFormatException e) {
                    throw new ArgumentException("ERR value is not a valid float");
                }
            }
        }
    }

    /** Formats a score the way Redis replies with it: integers without a fraction, {@code inf}/{@code -inf}. */
    static byte[] formatScore(final double score) {
        final String s;
        if (Double.isInfinite(score)) {
            s = score > 0 ? "inf" : "-inf";
        } else if (score == Math.rint(score) && Math.abs(score) < 1e17) {
            s = Long.toString((long) score);
        } else {
            s = Double.toString(score);
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** @return a snapshot of the keys of database 0 (tests). */
    synchronized List<String> keys() {
        return new ArrayList<>(databases[0].keySet());
    }
}
