package io.nightcorej.microservices.common.storage.embedded;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The items behind {@link MemcachedServer}: an LRU map bounded in bytes (memcached's {@code -m}), with memcached's
 * expiry rules and a global CAS counter. One lock guards the map; an operation is a hash lookup and a relink, so the
 * lock is held for well under a microsecond.
 *
 * <p>Expiry times follow memcached: 0 = never, negative = already expired, up to 30 days = seconds from now,
 * anything larger = an absolute Unix time. Expired items are dropped when touched (lazily), like memcached.
 */
final class MemcachedItems {

    /** Seconds; larger expiry values are absolute Unix times. */
    private static final long RELATIVE_LIMIT = 60L * 60 * 24 * 30;
    private static final int ITEM_OVERHEAD = 64;

    /**
     * One stored value.
     *
     * @param flags       the client's opaque flags.
     * @param expiresAtMs when it expires (epoch ms), 0 for never.
     * @param cas         the CAS unique.
     * @param data        the value.
     */
    record Item(int flags, long expiresAtMs, long cas, byte[] data) {
    }

    /** What a storage command did. */
    enum Outcome { STORED, NOT_STORED, EXISTS, NOT_FOUND }

    private final LinkedHashMap<String, Item> items = new LinkedHashMap<>(1024, 0.75f, true);
    private final long maxBytes;
    private final LongSupplier clock;
    private long bytes;
    private long casCounter;
    private long evictions;

    MemcachedItems(final long maxBytes, final LongSupplier clock) {
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    long expiryToEpochMs(final long exptime) {
        if (exptime == 0) {
            return 0;
        }
        if (exptime < 0) {
            return 1; // in the past: expired at once
        }
        return exptime <= RELATIVE_LIMIT ? clock.getAsLong() + exptime * 1000 : exptime * 1000;
    }

    synchronized Item get(final String key) {
        final Item item = items.get(key);
        if (item != null && item.expiresAtMs() != 0 && item.expiresAtMs() <= clock.getAsLong()) {
            removeItem(key, item);
            return null;
        }
        return item;
    }

    synchronized Outcome store(final String mode, final String key, final int flags, final long exptime,
            final byte[] data, final long casUnique) {
        final Item current = get(key);
        byte[] value = data;
        switch (mode) {
            case "add" -> {
                if (current != null) {
                    return Outcome.NOT_STORED;
                }
            }
            case "replace" -> {
                if (current == null) {
                    return Outcome.NOT_STORED;
                }
            }
            case "append", "prepend" -> {
                if (current == null) {
                    return Outcome.NOT_STORED;
                }
                value = new byte[current.data().length + data.length];
                final byte[] first = "append".equals(mode) ? current.data() : data;
                final byte[] second = "append".equals(mode) ? data : current.data();
                System.arraycopy(first, 0, value, 0, first.length);
                System.arraycopy(second, 0, value, first.length, second.length);
                if (value.length > MemcachedTextDecoder.MAX_ITEM) {
                    return Outcome.NOT_STORED;
                }
                put(key, new Item(current.flags(), current.expiresAtMs(), ++casCounter, value));
                return Outcome.STORED;
            }
            case "cas" -> {
                if (current == null) {
                    return Outcome.NOT_FOUND;
                }
                if (current.cas() != casUnique) {
                    return Outcome.EXISTS;
                }
            }
            default -> {
                // set
            }
        }
        put(key, new Item(flags, expiryToEpochMs(exptime), ++casCounter, value));
        return Outcome.STORED;
    }

    synchronized boolean delete(final String key) {
        final Item item = get(key);
        if (item == null) {
            return false;
        }
        removeItem(key, item);
        return true;
    }

    synchronized boolean touch(final String key, final long exptime) {
        final Item item = get(key);
        if (item == null) {
            return false;
        }
        items.put(key, new Item(item.flags(), expiryToEpochMs(exptime), item.cas(), item.data()));
        return true;
    }

    /** @return the new value, null if missing, or a negative-free failure as {@link NumberFormatException}. */
    synchronized String incrDecr(final String key, final boolean incr, final long delta) {
        final Item item = get(key);
        if (item == null) {
            return null;
        }
        final String text = new String(item.data(), java.nio.charset.StandardCharsets.US_ASCII).trim();
        final long current = Long.parseUnsignedLong(text);
        long next = incr ? current + delta : current - delta;
        if (!incr && Long.compareUnsigned(delta, current) > 0) {
            next = 0; // memcached clamps decrements at zero
        }
        final String result = Long.toUnsignedString(next);
        put(key, new Item(item.flags(), item.expiresAtMs(), ++casCounter,
                result.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        return result;
    }

    synchronized void flushAll() {
        items.clear();
        bytes = 0;
    }

    synchronized Map<String, Long> stats() {
        return Map.of("curr_items", (long) items.size(), "bytes", bytes, "limit_maxbytes", maxBytes,
                "evictions", evictions);
    }

    private void put(final String key, final Item item) {
        final Item old = items.put(key, item);
        if (old != null) {
            bytes -= size(key, old);
        }
        bytes += size(key, item);
        final Iterator<Map.Entry<String, Item>> lru = items.entrySet().iterator();
        while (bytes > maxBytes && lru.hasNext()) {
            final Map.Entry<String, Item> eldest = lru.next();
            if (eldest.getKey().equals(key)) {
                break;
            }
            bytes -= size(eldest.getKey(), eldest.getValue());
            lru.remove();
            evictions++;
        }
    }

    private void removeItem(final String key, final Item item) {
        items.remove(key);
        bytes -= size(key, item);
    }

    private static long size(final String key, final Item item) {
        return key.length() + item.data().length + ITEM_OVERHEAD;
    }
}
