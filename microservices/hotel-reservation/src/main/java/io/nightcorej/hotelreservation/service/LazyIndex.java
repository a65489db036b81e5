package io.nightcorej.hotelreservation.service;

import io.nightcorej.hotelreservation.thrift.ServiceException;

/**
 * An in-memory copy of a collection built on the first call in this process, as upstream's geo index,
 * recommendation map and user map are ({@code if s.hotels == nil { s.hotels = load...() }}): never reloaded, never
 * invalidated. Unlike upstream, a load that fails is not remembered (upstream keeps the empty map it got on an error
 * and answers from it forever); the next call tries again, and concurrent first calls load once.
 */
final class LazyIndex<T> {

    /** Builds the index from the store. */
    @FunctionalInterface
    interface Loader<T> {
        T load() throws ServiceException;
    }

    private final Loader<T> loader;
    private volatile T value;

    LazyIndex(final Loader<T> loader) {
        this.loader = loader;
    }

    T get() throws ServiceException {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = loader.load();
                    value = v;
                }
            }
        }
        return v;
    }
}
