package io.nightcorej.socialnetwork.support;

import io.nightcorej.microservices.common.transport.ClientLease;
import io.nightcorej.microservices.common.transport.ServiceClients;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;
import io.nightcorej.sdk.thrift.FunctionCallTransport;
import io.nightcorej.sdk.thrift.ThriftFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.TProcessor;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransportException;

/**
 * Test fixture: services called in-process the way the function deployment calls them. A lease builds the generated
 * client on the SDK's {@link FunctionCallTransport} over a tiny {@link FunctionContext} that runs the callee's
 * {@link ThriftFunction} directly (binary Thrift messages in and out, the callee's context bound while it runs).
 * Every call is recorded with its caller, so tests can check that parallel calls made on pool threads were still
 * made on behalf of the right parent call.
 */
public final class InProcessServices implements ServiceClients {

    /** One recorded call: who called whom. */
    public record Call(String caller, String callee) {
    }

    private final Map<String, ThriftFunction> functions = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicLong callIds = new AtomicLong();
    private final Context root = new Context("frontend");

    /** Serves a processor under a service name. */
    public InProcessServices register(final String service, final TProcessor processor) {
        functions.put(service, new ThriftFunction(processor));
        return this;
    }

    /** @return every call made so far. */
    public List<Call> calls() {
        return calls;
    }

    @Override
    public <C extends TServiceClient> ClientLease<C> lease(final String service, final TServiceClientFactory<C> factory)
            throws TTransportException {
        FunctionContext context;
        try {
            context = FunctionContext.current();
        } catch (final IllegalStateException outsideAFunction) {
            context = root;
        }
        final C client = factory.getClient(new TBinaryProtocol(new FunctionCallTransport(context, service)));
        return new ClientLease<>() {
            @Override
            public C client() {
                return client;
            }

            @Override
            public void invalidate() {
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void close() {
    }

    private final class Context implements FunctionContext {
        private final String name;
        private final long id = callIds.incrementAndGet();

        Context(final String name) {
            this.name = name;
        }

        @Override
        public String functionName() {
            return name;
        }

        @Override
        public long callId() {
            return id;
        }

        @Override
        public byte[] invoke(final String function, final byte[] input) throws FunctionCallException {
            final ThriftFunction f = functions.get(function);
            if (f == null) {
                throw new FunctionCallException(FunctionCallException.Status.NOT_FOUND, function, "no function " + function);
            }
            calls.add(new Call(name, function));
            final Context callee = new Context(function);
            try (var scope = FunctionContext.bind(callee)) {
                return f.call(callee, input);
            } catch (final Exception e) {
                throw new FunctionCallException(FunctionCallException.Status.FAILED, function, String.valueOf(e));
            }
        }

        @Override
        public CompletableFuture<byte[]> invokeAsync(final String function, final byte[] input) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return invoke(function, input);
                } catch (final FunctionCallException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
        }
    }
}
