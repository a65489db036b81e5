package io.nightcorej.microservices.common.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightcorej.microservices.common.storage.LocalServerProcess;
import io.nightcorej.microservices.common.testidl.EchoException;
import io.nightcorej.microservices.common.testidl.EchoService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.server.TServer;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pooled framed-binary Thrift clients against a real TThreadPoolServer on loopback. */
@Timeout(30)
class RpcServiceClientsTest {

    private final int port = LocalServerProcess.freePort();
    private TServer server;
    private Thread serverThread;

    /** Server-side connections, so a test can drop them all the way a crashed server would. */
    private final List<TSocket> accepted = new CopyOnWriteArrayList<>();

    private void startServer() throws Exception {
        final TServerSocket socket = new TServerSocket(new java.net.InetSocketAddress("127.0.0.1", port)) {
            @Override
            public TSocket accept() throws TTransportException {
                final TSocket client = super.accept();
                accepted.add(client);
                return client;
            }
        };
        server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(new EchoService.Processor<>(new EchoHandler()))
                .transportFactory(new TFramedTransport.Factory())
                .minWorkerThreads(2).maxWorkerThreads(8));
        serverThread = new Thread(server::serve, "echo-server");
        serverThread.setDaemon(true);
        serverThread.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!server.isServing() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private void stopServer() throws InterruptedException {
        server.stop();
        accepted.forEach(TSocket::close);
        accepted.clear();
        serverThread.join(5000);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            stopServer();
        }
    }

    private RpcServiceClients clients(final int readTimeoutMs) {
        return new RpcServiceClients(Map.of("EchoService", "127.0.0.1:" + port), 1000, readTimeoutMs, 8);
    }

    @Test
    void callsReuseOnePooledConnectionAndDeclaredExceptionsKeepIt() throws Exception {
        startServer();
        try (RpcServiceClients clients = clients(5000)) {
            for (int i = 0; i < 20; i++) {
                try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                    assertThat(lease.client().Echo("hi " + i)).isEqualTo("echo:hi " + i);
                }
            }
            try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                assertThatThrownBy(() -> lease.client().Echo("fail")).isInstanceOf(EchoException.class);
            }
            try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                assertThat(lease.client().Echo("after")).isEqualTo("echo:after");
            }
            assertThat(clients.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void concurrentLeasesGetTheirOwnConnections() throws Exception {
        startServer();
        try (RpcServiceClients clients = clients(5000);
             ClientLease<EchoService.Client> a = clients.lease("EchoService", new EchoService.Client.Factory());
             ClientLease<EchoService.Client> b = clients.lease("EchoService", new EchoService.Client.Factory())) {
            assertThat(a.client().Echo("a")).isEqualTo("echo:a");
            assertThat(b.client().Echo("b")).isEqualTo("echo:b");
            assertThat(clients.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void aTimedOutCallFailsWithinTheTimeoutAndItsConnectionIsNotReused() throws Exception {
        startServer();
        try (RpcServiceClients clients = clients(300)) {
            final long start = System.nanoTime();
            try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                assertThatThrownBy(() -> lease.client().Sleep(2000)).isInstanceOf(TTransportException.class)
                        .hasMessageContaining("EchoService@127.0.0.1:" + port);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
            // the late reply to Sleep must not be read as the reply to this call
            try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                assertThat(lease.client().Echo("fresh")).isEqualTo("echo:fresh");
            }
            assertThat(clients.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void aRestartedServerCostsOneFailedCallThenWorks() throws Exception {
        startServer();
        try (RpcServiceClients clients = clients(2000)) {
            try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                lease.client().Echo("warm");
            }
            stopServer();
            try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                assertThatThrownBy(() -> lease.client().Echo("x")).isInstanceOf(TTransportException.class);
            }
            assertThatThrownBy(() -> clients.lease("EchoService", new EchoService.Client.Factory()))
                    .isInstanceOf(TTransportException.class).hasMessageContaining("cannot connect to EchoService");
            startServer();
            try (ClientLease<EchoService.Client> lease = clients.lease("EchoService", new EchoService.Client.Factory())) {
                assertThat(lease.client().Echo("back")).isEqualTo("echo:back");
            }
        }
    }

    @Test
    void anUnknownServiceNamesTheSettingToSet() {
        try (RpcServiceClients clients = clients(1000)) {
            assertThatThrownBy(() -> clients.lease("UserService", new EchoService.Client.Factory()))
                    .isInstanceOf(TTransportException.class).hasMessageContaining("services.UserService=host:port");
        }
    }
}
