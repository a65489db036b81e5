package io.nightcorej.baselines.rpc;

import java.net.InetSocketAddress;
import java.util.Locale;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TNonblockingServerSocket;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Builds the Thrift server that hosts one service in the RPC-server deployment: framed transport, binary protocol
 * (what DeathStarBench's C++ services use), one of two server models.
 *
 * <ul>
 *   <li>{@code selector} — {@link TThreadedSelectorServer}: selector threads read whole frames without blocking and
 *       hand each request to a fixed pool of {@code workers} threads. Any number of pooled client connections share
 *       the pool; a thread is held only while a request runs. The default (measurements in baselines/README.md).</li>
 *   <li>{@code threadpool} — {@link TThreadPoolServer}: one thread per connection for the connection's lifetime
 *       (DeathStarBench's C++ services use the equivalent TThreadedServer). Cheaper per call when connections are few,
 *       but every pooled client connection pins a thread, so {@code workers} caps connections, not concurrency.</li>
 * </ul>
 */
public final class RpcServers {
    /** Largest frame accepted: the same 16 MiB payload limit as the Nightcore gateway's default. */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private RpcServers() {
    }

    /**
     * @param model     {@code selector} or {@code threadpool}.
     * @param processor the service.
     * @param bind      address to listen on.
     * @param workers   worker threads (selector: request pool size; threadpool: max threads = max connections).
     * @return the server, not yet serving.
     * @throws TTransportException when the port cannot be bound.
     */
    public static TServer create(String model, TProcessor processor, InetSocketAddress bind, int workers)
            throws TTransportException {
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        switch (model.toLowerCase(Locale.ROOT)) {
            case "selector": {
                TNonblockingServerSocket socket = new TNonblockingServerSocket(
                    new TNonblockingServerSocket.NonblockingAbstractServerSocketArgs().bindAddr(bind).backlog(1024)
                        .maxFrameSize(MAX_FRAME_BYTES));
                // Nonblocking servers parse frames themselves: no TFramedTransport factory here (it would double-frame).
                TThreadedSelectorServer.Args args = new TThreadedSelectorServer.Args(socket)
                    .selectorThreads(1)
                    .workerThreads(workers)
                    .acceptQueueSizePerThread(1024)
                    .processor(processor)
                    .protocolFactory(new TBinaryProtocol.Factory());
                args.maxReadBufferBytes = 64L * MAX_FRAME_BYTES;
                return new TThreadedSelectorServer(args);
            }
            case "threadpool": {
                TServerSocket socket = new TServerSocket(new TServerSocket.ServerSocketTransportArgs().bindAddr(bind)
                    .backlog(1024));
                TThreadPoolServer.Args args = new TThreadPoolServer.Args(socket)
                    .minWorkerThreads(Math.min(4, workers))
                    .maxWorkerThreads(workers)
                    .processor(processor)
                    .transportFactory(new TFramedTransport.Factory(MAX_FRAME_BYTES))
                    .protocolFactory(new TBinaryProtocol.Factory());
                return new TThreadPoolServer(args);
            }
            default:
                throw new IllegalArgumentException("unknown --server '" + model + "' (expected selector|threadpool)");
        }
    }
}
