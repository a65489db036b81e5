package io.nightcorej.microservices.common.service;

import io.nightcorej.microservices.common.deploy.Settings;
import io.nightcorej.microservices.common.transport.ClientLease;
import io.nightcorej.microservices.common.transport.ServiceClients;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;

/**
 * How a workload's handlers and front ends call other services: through whatever {@link ServiceClients} the
 * deployment chose, sequentially ({@link #call}, {@link #run}) or in parallel ({@link #fork} + {@link #join}), with
 * every failure turned into the workload's IDL exception by its {@link ServiceErrors}:
 * <ul>
 *   <li>the callee's own exception (type {@code E}) passes through unchanged;</li>
 *   <li>a Thrift application error reply ({@link TApplicationException}) becomes {@code SE_THRIFT_HANDLER_ERROR}
 *       "{@code <service> failed: ...}"; the connection is fine and is pooled again;</li>
 *   <li>no lease ("{@code Failed to connect to <service>: ...}") or a transport failure during the call
 *       ("{@code <service> unreachable: ...}") becomes {@code SE_THRIFT_CONN_ERROR}; the connection is invalidated
 *       so a late reply is never read as the next call's.</li>
 * </ul>
 *
 * <p><b>Parallel calls and function contexts.</b> {@link #fork} borrows the client <em>on the calling thread</em> and
 * only runs the call on the shared executor. In the function deployment the lease captures the running call's
 * {@code FunctionContext} when it is taken, so the nested call is made on behalf of the right parent even though it
 * runs on a pool thread that has no context bound. In the RPC deployment the lease is a pooled socket; either way the
 * handler does not know which.
 *
 * <p><b>No hangs.</b> The transports bound each call (socket timeouts, Nightcore call deadlines); {@link #join} adds a
 * last-resort bound of {@code joinTimeoutMs} so a handler never waits forever on a lost task.
 *
 * @param <E> the workload's generated {@code ServiceException}.
 */
public final class ServiceCaller<E extends TException> {

    /** The join bound of {@link #ServiceCaller(ServiceClients, ServiceErrors)}: the default call timeout plus 5 s. */
    public static final long DEFAULT_JOIN_TIMEOUT_MS = Settings.DEFAULT_CALL_TIMEOUT_MS + 5_000;

    /** A call on a generated client. */
    @FunctionalInterface
    public interface Call<C, R> {
        /** @return the call's result. */
        R apply(C client) throws TException;
    }

    /** A call without a result. */
    @FunctionalInterface
    public interface VoidCall<C> {
        /** Makes the call. */
        void apply(C client) throws TException;
    }

    /** Daemon threads; when all are busy the caller runs the task itself (the lease is already taken). */
    private static final ThreadPoolExecutor EXECUTOR = newExecutor();

    private final ServiceClients clients;
    private final ServiceErrors<E> errors;
    private final long joinTimeoutMs;

    /**
     * @param clients       the deployment's clients.
     * @param errors        the workload's error mapping.
     * @param joinTimeoutMs the bound on waiting for a forked call.
     */
    public ServiceCaller(final ServiceClients clients, final ServiceErrors<E> errors, final long joinTimeoutMs) {
        this.clients = clients;
        this.errors = errors;
        this.joinTimeoutMs = joinTimeoutMs;
    }

    /** A caller whose forked calls are bounded by {@link #DEFAULT_JOIN_TIMEOUT_MS}. */
    public ServiceCaller(final ServiceClients clients, final ServiceErrors<E> errors) {
        this(clients, errors, DEFAULT_JOIN_TIMEOUT_MS);
    }

    private static ThreadPoolExecutor newExecutor() {
        final AtomicInteger ids = new AtomicInteger();
        return new ThreadPoolExecutor(0, 256, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    final Thread t = new Thread(r, "service-fanout-" + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** @return the error mapping this caller reports with. */
    public ServiceErrors<E> errors() {
        return errors;
    }

    /**
     * Calls a service on this thread.
     *
     * @return the call's result.
     * @throws E the callee's own, or {@code SE_THRIFT_CONN_ERROR} when it cannot be reached,
     *           {@code SE_THRIFT_HANDLER_ERROR} when it answered with a Thrift application error.
     */
    public <C extends TServiceClient, R> R call(final String service, final TServiceClientFactory<C> factory,
            final Call<C, R> call) throws E {
        return callOn(lease(service, factory), service, call);
    }

    /** {@link #call} for a method without a result. */
    public <C extends TServiceClient> void run(final String service, final TServiceClientFactory<C> factory,
            final VoidCall<C> call) throws E {
        call(service, factory, c -> {
            call.apply(c);
            return null;
        });
    }

    /** Starts a call on the shared executor with a client leased on this thread; collect it with {@link #join}. */
    public <C extends TServiceClient, R> Future<R> fork(final String service, final TServiceClientFactory<C> factory,
            final Call<C, R> call) throws E {
        final ClientLease<C> lease = lease(service, factory);
        try {
            return EXECUTOR.submit(() -> callOn(lease, service, call));
        } catch (final RejectedExecutionException e) {
            lease.close();
            throw errors.handler("cannot start a call to " + service + ": " + e.getMessage());
        }
    }

    /** {@link #fork} for a method without a result. */
    public <C extends TServiceClient> Future<Void> forkRun(final String service, final TServiceClientFactory<C> factory,
            final VoidCall<C> call) throws E {
        return fork(service, factory, c -> {
            call.apply(c);
            return null;
        });
    }

    /** Waits for a forked call, at most {@code joinTimeoutMs}. */
    public <R> R join(final Future<R> future, final String service) throws E {
        try {
            return future.get(joinTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (errors.type().isInstance(cause)) {
                throw errors.type().cast(cause);
            }
            throw errors.handler("call to " + service + " failed: " + cause);
        } catch (final TimeoutException e) {
            future.cancel(true);
            throw errors.connection("call to " + service + " timed out after " + joinTimeoutMs + " ms");
        } catch (final CancellationException e) {
            throw errors.handler("call to " + service + " was cancelled");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw errors.handler("interrupted while waiting for " + service);
        }
    }

    /** Best effort: waits for forked calls that are no longer needed, so their leases go back before we return. */
    public void drain(final Future<?>... futures) {
        for (final Future<?> f : futures) {
            if (f == null) {
                continue;
            }
            try {
                f.get(joinTimeoutMs, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (final ExecutionException | TimeoutException | CancellationException ignored) {
                // the first failure is what the caller reports
            }
        }
    }

    private <C extends TServiceClient> ClientLease<C> lease(final String service, final TServiceClientFactory<C> factory)
            throws E {
        try {
            return clients.lease(service, factory);
        } catch (final TException | RuntimeException e) {
            throw errors.connection("Failed to connect to " + service + ": " + e.getMessage());
        }
    }

    private <C extends TServiceClient, R> R callOn(final ClientLease<C> lease, final String service,
            final Call<C, R> call) throws E {
        boolean broken = false;
        try {
            return call.apply(lease.client());
        } catch (final TApplicationException e) {
            // the callee answered with a Thrift error reply: the connection itself is fine
            throw errors.handler(service + " failed: " + e.getMessage());
        } catch (final TException | RuntimeException e) {
            if (errors.type().isInstance(e)) {
                // the callee's declared exception: a complete reply, the connection is fine
                throw errors.type().cast(e);
            }
            broken = true;
            throw errors.connection(service + " unreachable: " + describe(e));
        } finally {
            if (broken) {
                lease.invalidate();
            }
            lease.close();
        }
    }

    private static String describe(final Throwable e) {
        final String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        final Throwable cause = e.getCause();
        return cause == null || cause.getMessage() == null || message.contains(cause.getMessage())
                ? message : message + " (" + cause.getMessage() + ")";
    }
}
