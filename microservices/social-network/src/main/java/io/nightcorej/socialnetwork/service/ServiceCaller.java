package io.nightcorej.socialnetwork.service;

import io.nightcorej.microservices.common.transport.ClientLease;
import io.nightcorej.microservices.common.transport.ServiceClients;
import io.nightcorej.socialnetwork.thrift.ErrorCode;
import io.nightcorej.socialnetwork.thrift.ServiceException;
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
 * Calls other services through whatever {@link ServiceClients} the deployment chose, sequentially or in parallel, and
 * turns every failure into the IDL's {@link ServiceException}.
 *
 * <p><b>Parallel calls and function contexts.</b> {@link #fork} borrows the client <em>on the calling thread</em> and
 * only runs the call on the shared executor. In the function deployment the lease captures the running call's
 * {@code FunctionContext} when it is taken, so the nested call is made on behalf of the right parent even though it
 * runs on a pool thread that has no context bound. In the RPC deployment the lease is a pooled socket; either way the
 * handler does not know which.
 *
 * <p><b>No hangs.</b> The transports bound each call (socket timeouts, Nightcore call deadlines); {@link #join} adds a
 * last-resort bound of {@code timeoutMs} so a handler never waits forever on a lost task.
 */
public final class ServiceCaller {

    /** A call on a generated client. */
    @FunctionalInterface
    public interface Call<C, R> {
        /** @return the call's result. */
        R apply(C client) throws TException;
    }

    /** Daemon threads; when all are busy the caller runs the task itself (the lease is already taken). */
    private static final ThreadPoolExecutor EXECUTOR = newExecutor();

    private final ServiceClients clients;
    private final long timeoutMs;

    /**
     * @param clients   the deployment's clients.
     * @param timeoutMs the bound on waiting for a forked call.
     */
    public ServiceCaller(final ServiceClients clients, final long timeoutMs) {
        this.clients = clients;
        this.timeoutMs = timeoutMs;
    }

    private static ThreadPoolExecutor newExecutor() {
        final AtomicInteger ids = new AtomicInteger();
        final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 256, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    final Thread t = new Thread(r, "socialnetwork-fanout-" + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        return executor;
    }

    /** Calls a service on this thread. */
    public <C extends TServiceClient, R> R call(final String service, final TServiceClientFactory<C> factory,
            final Call<C, R> call) throws ServiceException {
        return callOn(lease(service, factory), service, call);
    }

    /** Starts a call on the shared executor with a client leased on this thread; collect it with {@link #join}. */
    public <C extends TServiceClient, R> Future<R> fork(final String service, final TServiceClientFactory<C> factory,
            final Call<C, R> call) throws ServiceException {
        final ClientLease<C> lease = lease(service, factory);
        try {
            return EXECUTOR.submit(() -> callOn(lease, service, call));
        } catch (final RejectedExecutionException e) {
            lease.close();
            throw Errors.handler("cannot start a call to " + service + ": " + e.getMessage());
        }
    }

    /** Waits for a forked call, at most {@code timeoutMs}. */
    public <R> R join(final Future<R> future, final String service) throws ServiceException {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof ServiceException se) {
                throw se;
            }
            throw Errors.handler("call to " + service + " failed: " + cause);
        } catch (final TimeoutException e) {
            future.cancel(true);
            throw Errors.of(ErrorCode.SE_THRIFT_CONN_ERROR, "call to " + service + " timed out after " + timeoutMs + " ms");
        } catch (final CancellationException e) {
            throw Errors.handler("call to " + service + " was cancelled");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw Errors.handler("interrupted while waiting for " + service);
        }
    }

    /** Best effort: waits for forked calls that are no longer needed, so their leases go back before we return. */
    public void drain(final Future<?>... futures) {
        for (final Future<?> f : futures) {
            if (f == null) {
                continue;
            }
            try {
                f.get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (final ExecutionException | TimeoutException | CancellationException ignored) {
                // the first failure is what the caller reports
            }
        }
    }

    private <C extends TServiceClient> ClientLease<C> lease(final String service, final TServiceClientFactory<C> factory)
            throws ServiceException {
        try {
            return clients.lease(service, factory);
        } catch (final TException | RuntimeException e) {
            throw Errors.of(ErrorCode.SE_THRIFT_CONN_ERROR, "Failed to connect to " + service + ": " + e.getMessage());
        }
    }

    private static <C extends TServiceClient, R> R callOn(final ClientLease<C> lease, final String service,
            final Call<C, R> call) throws ServiceException {
        boolean broken = false;
        try {
            return call.apply(lease.client());
        } catch (final ServiceException e) {
            throw e;
        } catch (final TApplicationException e) {
            // the callee answered with a Thrift error reply: the connection itself is fine
            throw Errors.handler(service + " failed: " + e.getMessage());
        } catch (final TException | RuntimeException e) {
            broken = true;
            throw Errors.of(ErrorCode.SE_THRIFT_CONN_ERROR, service + " unreachable: " + describe(e));
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
