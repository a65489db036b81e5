package io.nightcorej.sdk;

/**
 * The thread binding behind {@link FunctionContext#current()}.
 */
public final class CurrentContext {

    static final ThreadLocal<FunctionContext> HOLDER = new ThreadLocal<>();

    private CurrentContext() {
    }

    static Scope bind(final FunctionContext context) {
        final FunctionContext previous = HOLDER.get();
        HOLDER.set(context);
        return new Scope(previous);
    }

    /** A binding that ends when closed; restores what was bound before. */
    public static final class Scope implements AutoCloseable {
        private final FunctionContext previous;

        private Scope(final FunctionContext previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                HOLDER.remove();
            } else {
                HOLDER.set(previous);
            }
        }
    }
}
