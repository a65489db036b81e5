package io.nightcorej.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightcorej.ipc.ControlSocket;
import io.nightcorej.ipc.IpcLayout;
import io.nightcorej.ipc.MessageChannel;
import io.nightcorej.ipc.MessageReceiver;
import io.nightcorej.ipc.MessageSender;
import io.nightcorej.ipc.ShmPayloads;
import io.nightcorej.protocol.Message;
import io.nightcorej.sdk.Function;
import io.nightcorej.sdk.FunctionCallException;
import io.nightcorej.sdk.FunctionCallException.Status;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One function container: the control connection to the engine, the loaded handler, the workers (threads), and the
 * container's own channel on which the results of asynchronous nested calls arrive.
 */
final class ContainerRuntime {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REPLY_SENDER_SWEEP = 64;

    final IpcLayout layout;
    private final int functionId;
    private final Map<String, Integer> functionIds = new HashMap<>();
    private final Map<Integer, String> functionNames = new HashMap<>();
    private final ConcurrentHashMap<Long, CompletableFuture<byte[]>> asyncCalls = new ConcurrentHashMap<>();
    private final AtomicLong asyncSequence = new AtomicLong();
    /** Senders to other clients' channels for direct replies, opened on first use (see {@link #replySender}). */
    private final ConcurrentHashMap<Integer, MessageSender> replySenders = new ConcurrentHashMap<>();
    private final ThreadLocal<UnsafeBuffer> sendBuffers =
        ThreadLocal.withInitial(() -> new UnsafeBuffer(ByteBuffer.allocateDirect(Message.LENGTH)));
    private ControlSocket control;
    private MessageChannel kind;
    private int spinMicros;
    private int workerSpinMicros;
    int replySpinMicros;
    int maxPayloadBytes;
    int containerClientId;
    String functionName;
    Function handler;
    MessageSender engineInput;
    private Thread asyncReader;

    ContainerRuntime(final Path ipcRoot, final int functionId) {
        this.layout = new IpcLayout(ipcRoot);
        this.functionId = functionId;
    }

    int run() throws Exception {
        control = ControlSocket.connect(layout.engineSocket(), 30_000);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Message.LENGTH]);
        final Message msg = new Message().wrap(buffer, 0);
        // dispatchAhead: our workers keep a DISPATCH that arrives while they run a call and run it next (PROTOCOL.md 3.5).
        final byte[] hello = ("{\"pid\":" + ProcessHandle.current().pid() + ",\"dispatchAhead\":true}")
            .getBytes(StandardCharsets.UTF_8);
        msg.clearHeader().type(Message.LAUNCHER_HANDSHAKE).functionId(functionId).putInlinePayload(hello, 0, hello.length);
        control.send(buffer, 0, null);
        if (!control.receive(buffer, 0) || msg.type() != Message.HANDSHAKE_RESPONSE) {
            System.err.println("nightcore launcher: the engine closed the connection during the handshake");
            return 2;
        }
        final byte[] payload = control.payloadOf(msg);
        if (msg.status() != 0) {
            System.err.println("nightcore launcher: the engine refused function " + functionId + ": "
                + new String(payload, StandardCharsets.UTF_8));
            return 2;
        }
        final JsonNode config = JSON.readTree(payload);
        containerClientId = config.get("clientId").asInt();
        functionName = config.get("functionName").asText();
        kind = MessageChannel.of(config.get("channel").asText());
        spinMicros = config.get("spinMicros").asInt();
        workerSpinMicros = config.path("workerSpinMicros").asInt(spinMicros);
        replySpinMicros = config.path("replySpinMicros").asInt(workerSpinMicros);
        maxPayloadBytes = config.get("maxPayloadBytes").asInt();
        config.get("functions").fields().forEachRemaining(e -> {
            functionIds.put(e.getKey(), e.getValue().get("id").asInt());
            functionNames.put(e.getValue().get("id").asInt(), e.getKey());
        });
        engineInput = kind.openSender(layout.channel(kind, IpcLayout.ENGINE_INPUT));
        final MessageReceiver containerInput = kind.openReceiver(layout.channel(kind, IpcLayout.clientInput(containerClientId)),
            spinMicros);

        try {
            final Map<String, String> settings = new LinkedHashMap<>();
            config.get("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            final Class<? extends Function> type = Class.forName(config.get("handler").asText(), true,
                ContainerRuntime.class.getClassLoader()).asSubclass(Function.class);
            handler = type.getDeclaredConstructor().newInstance();
            handler.init(settings);
        } catch (final Throwable t) {
            final String text = "handler " + config.get("handler").asText() + " of function " + functionName
                + " cannot start: " + describe(t);
            System.err.println("nightcore launcher: " + text);
            t.printStackTrace();
            reply(buffer, msg, Message.FUNC_WORKER_READY, containerClientId, Status.FAILED.code(), text);
            return 3;
        }

        asyncReader = new Thread(() -> readAsyncResults(containerInput), functionName + "-async-results");
        asyncReader.setDaemon(true);
        asyncReader.start();
        System.err.println("nightcore launcher: function " + functionName + " (id " + functionId + ") ready, pid "
            + ProcessHandle.current().pid() + ", channel " + kind.configName());

        while (control.receive(buffer, 0)) {
            switch (msg.type()) {
                case Message.CREATE_FUNC_WORKER:
                    startWorker(buffer, msg, msg.clientId());
                    break;
                case Message.SHUTDOWN:
                    return 0;
                default:
                    System.err.println("nightcore launcher: ignoring " + Message.typeName(msg.type()) + " on the control socket");
            }
        }
        // The engine is gone: a container must not outlive it.
        return 0;
    }

    private void startWorker(final UnsafeBuffer buffer, final Message msg, final int clientId) throws IOException {
        try {
            final MessageReceiver receiver = kind.openReceiver(layout.channel(kind, IpcLayout.clientInput(clientId)),
                workerSpinMicros);
            // Each worker writes to the engine through its own descriptor: a sender shared by the workers serialises
            // them on its lock, and a contended lock costs futex calls (0.25 per call at 8 connections).
            final MessageSender toEngine;
            try {
                toEngine = kind.openSender(layout.channel(kind, IpcLayout.ENGINE_INPUT));
            } catch (final IOException | RuntimeException e) {
                receiver.close();
                throw e;
            }
            final Worker worker = new Worker(this, clientId, receiver, toEngine);
            final Thread thread = new Thread(worker, functionName + "-worker-" + clientId);
            worker.thread = thread;
            thread.setDaemon(true);
            thread.start();
            reply(buffer, msg, Message.FUNC_WORKER_READY, clientId, 0, "");
        } catch (final IOException | RuntimeException e) {
            reply(buffer, msg, Message.FUNC_WORKER_READY, clientId, Status.FAILED.code(), "cannot start worker: " + e);
        }
    }

    private void reply(final UnsafeBuffer buffer, final Message msg, final int type, final int clientId, final int status,
                       final String text) throws IOException {
        final byte[] bytes = truncatedUtf8(text);
        msg.clearHeader().type(type).functionId(functionId).clientId(clientId).status(status)
            .putInlinePayload(bytes, 0, bytes.length);
        control.send(buffer, 0, null);
    }

    /**
     * The channel of a calling worker, for a direct reply. Opened once per caller and shared by this container's workers
     * (a channel sender is thread-safe). When more than {@link #REPLY_SENDER_SWEEP} are open, senders whose channel file
     * the engine has deleted (the caller died or was stopped) are closed first, so dead callers do not pin descriptors.
     *
     * @param clientId the caller's client id.
     * @return the sender, or null when the caller's channel does not exist (the caller is gone).
     */
    MessageSender replySender(final int clientId) {
        final MessageSender cached = replySenders.get(clientId);
        if (cached != null) {
            return cached;
        }
        final Path path = layout.channel(kind, IpcLayout.clientInput(clientId));
        if (!Files.exists(path)) {
            return null;
        }
        if (replySenders.size() >= REPLY_SENDER_SWEEP) {
            replySenders.forEach((id, sender) -> {
                if (!Files.exists(layout.channel(kind, IpcLayout.clientInput(id)))) {
                    forgetReplySender(id, sender);
                }
            });
        }
        try {
            final MessageSender opened = kind.openSender(path);
            final MessageSender raced = replySenders.putIfAbsent(clientId, opened);
            if (raced != null) {
                opened.close();
                return raced;
            }
            return opened;
        } catch (final IOException e) {
            return null;
        }
    }

    void forgetReplySender(final int clientId, final MessageSender sender) {
        if (replySenders.remove(clientId, sender)) {
            sender.close();
        }
    }

    /** @return the id of a function name, or -1. */
    int functionId(final String name) {
        final Integer id = functionIds.get(name);
        return id == null ? -1 : id;
    }

    String functionName(final int id) {
        final String name = functionNames.get(id);
        return name == null ? "function#" + id : name;
    }

    /** Sends INVOKE for an asynchronous call; the result arrives on the container's channel. */
    CompletableFuture<byte[]> invokeAsync(final Worker worker, final long parentCallId, final long deadline,
                                          final String function, final byte[] input) {
        final int calleeId = functionId(function);
        if (calleeId < 0) {
            return CompletableFuture.failedFuture(new FunctionCallException(Status.NOT_FOUND, function,
                "no function of that name; known: " + functionIds.keySet()));
        }
        if (input.length > maxPayloadBytes) {
            return CompletableFuture.failedFuture(new FunctionCallException(Status.PAYLOAD_TOO_LARGE, function,
                "input of " + input.length + " bytes exceeds " + maxPayloadBytes));
        }
        final long callId = ((long) containerClientId << 40) | asyncSequence.incrementAndGet();
        final CompletableFuture<byte[]> future = new CompletableFuture<>();
        asyncCalls.put(callId, future);
        final UnsafeBuffer buffer = sendBuffers.get();
        try {
            writeInvoke(buffer, worker.clientId, callId, parentCallId, deadline, calleeId, Message.FLAG_REPLY_TO_CONTAINER, input);
            engineInput.send(buffer, 0);
        } catch (final IOException e) {
            asyncCalls.remove(callId);
            future.completeExceptionally(new FunctionCallException(Status.UNAVAILABLE, function, "cannot reach the engine: " + e));
        }
        return future;
    }

    /** Fills an INVOKE message; a large input goes to the call's shm input file. */
    void writeInvoke(final UnsafeBuffer buffer, final int clientId, final long callId, final long parentCallId,
                     final long deadline, final int calleeId, final int flags, final byte[] input) throws IOException {
        final Message m = new Message().wrap(buffer, 0);
        m.clearHeader().type(Message.INVOKE_FUNC).functionId(calleeId).flags(flags).callId(callId).parentCallId(parentCallId)
            .clientId(clientId).deadline(deadline);
        if (input.length <= Message.INLINE_CAPACITY) {
            m.putInlinePayload(input, 0, input.length);
        } else {
            ShmPayloads.write(layout.shmInput(callId), input, 0, input.length);
            m.payloadSize(-input.length);
        }
        m.sendTimestamp(System.nanoTime());
    }

    /** @return the output of a COMPLETE, or throws the failure of a FAILED, reading a large payload from shm. */
    byte[] resultOf(final Message m, final String function) throws FunctionCallException {
        final byte[] payload;
        try {
            payload = m.payloadInShm() ? ShmPayloads.readAndDelete(layout.shmOutput(m.callId()), m.payloadLength())
                : m.inlinePayload();
        } catch (final IOException e) {
            throw new FunctionCallException(Status.FAILED, function, "output lost: " + e.getMessage());
        }
        if (m.type() == Message.FUNC_CALL_COMPLETE) {
            return payload;
        }
        throw new FunctionCallException(Status.fromCode(m.status()), function, new String(payload, StandardCharsets.UTF_8));
    }

    private void readAsyncResults(final MessageReceiver input) {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(Message.LENGTH));
        final Message m = new Message().wrap(buffer, 0);
        try {
            while (input.receive(buffer, 0)) {
                if (m.type() != Message.FUNC_CALL_COMPLETE && m.type() != Message.FUNC_CALL_FAILED) {
                    continue;
                }
                final CompletableFuture<byte[]> future = asyncCalls.remove(m.callId());
                if (future == null) {
                    if (m.payloadInShm()) {
                        ShmPayloads.deleteQuietly(layout.shmOutput(m.callId()));
                    }
                    continue;
                }
                try {
                    future.complete(resultOf(m, functionName(m.functionId())));
                } catch (final FunctionCallException e) {
                    future.completeExceptionally(e);
                }
            }
        } catch (final IOException e) {
            System.err.println("nightcore launcher: async result channel failed: " + e);
        }
    }

    boolean isAsyncReaderThread() {
        return Thread.currentThread() == asyncReader;
    }

    static String describe(final Throwable t) {
        if (t instanceof FunctionCallException) {
            return t.getMessage();
        }
        final String message = t.getMessage();
        if (message != null && !message.isEmpty()) {
            return t.getClass().getName() + ": " + message;
        }
        final StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    static byte[] truncatedUtf8(final String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= Message.INLINE_CAPACITY ? bytes : java.util.Arrays.copyOf(bytes, Message.INLINE_CAPACITY);
    }
}
