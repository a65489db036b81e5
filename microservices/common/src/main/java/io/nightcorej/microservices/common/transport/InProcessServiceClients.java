package io.nightcorej.microservices.common.transport;

import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionContext;
import io.nightcorej.sdk.thrift.FunctionCallTransport;
import io.nightcorej.sdk.thrift.ThriftFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.TProcessor;
import org.apache.thrift.TServiceClient;
import org.apache.thrift.TServiceClientFactory;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TTransportException;

/**
 * A workload's services wired together in one JVM, the way the function deployment calls them: the generated client
 * over the SDK's {@link FunctionCallTransport}, whose flush is an "invoke" that runs the callee's {@link ThriftFunction}
 * (binary Thrift message in, binary Thrift message out) with the callee's context bound. No sockets, no runtime.
 *
 * <p>Use it to test handlers and front ends of a workload end to end without deploying it (the embedded launch mode
 * of the transport): register each service's processor, hand this object to every service's
 * {@code ServiceEnvironment} as its {@link ServiceClients}, and call the front end. Every call is recorded as caller →
 * callee, so a test can check the call graph (including that parallel calls made on pool threads were made on behalf
 * of the right parent call). A lease taken outside any function call acts for a caller named {@code frontend}.
 * Functions that are not Thrift processors ({@code FrontendFunction}s, {@code ServiceFunction}s hosted as a runtime
 * hosts them) register too, and {@link #call} calls one from outside, as the gateway does.
 */
public final class InProcessServiceClients implements ServiceClients {

    /** One recorded call. */
    public record Call(String caller, String callee) {
    }

    private final Map<String, Function> functions = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicLong callIds = new AtomicLong();

    /** Serves a processor as the function {@code service}. */
    public InProcessServiceClients register(final String service, final TProcessor processor) {
        return register(service, new ThriftFunction(processor));
    }

    /** Serves any function (a {@code ServiceFunction}, a {@code FrontendFunction}) under {@code name}. */
    public InProcessServiceClients register(final String name, final Function function) {
        functions.put(name, function);
        return this;
    }

    /**
     * An external call, as the gateway makes it: the function runs on this thread with its own context bound, and its
     * internal calls are routed here. Not recorded in {@link #calls()} (it has no caller).
     *
     * @return the function's output.
     * @throws Exception what the function threw; {@link IllegalArgumentException} for an unknown function.
     */
    public byte[] call(final String function, final byte[] input) throws Exception {
        final Function f = functions.get(function);
        if (f == null) {
            throw new IllegalArgumentException("no function " + function + "; registered: " + functions.keySet());
        }
        final Context context = new Context(function);
        try (var scope = FunctionContext.bind(context)) {
            return f.call(context, input);
        }
    }

    /** Stops serving a service: calls to it fail as a missing function does. */
    public void unregister(final String service) {
        functions.remove(service);
    }

    /** @return the calls made so far. */
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
            context = new Context("frontend");
        }
        final C client = factory.getClient(new TBinaryProtocol(new FunctionCallTransport(context, service)));
        return ClientLease.unpooled(client);
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
            final Function f = functions.get(function);
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
                    throw new CompletionException(e);
                }
            });
        }
    }
}
