package io.nightcorej.ipc;

import io.nightcorej.protocol.Message;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageChannelTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(MessageChannel.class)
    void messagesArriveWholeAndInOrderFromManyWriters(final MessageChannel kind) throws Exception {
        final IpcLayout layout = new IpcLayout(dir.resolve("ipc"));
        layout.recreate();
        final Path path = layout.channel(kind, IpcLayout.ENGINE_INPUT);
        kind.create(path);
        final int writers = 3;
        final int perWriter = 2_000;
        try (MessageReceiver receiver = kind.openReceiver(path, 20)) {
            final List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                final int writer = w;
                sends.add(CompletableFuture.runAsync(() -> {
                    try (MessageSender sender = kind.openSender(path)) {
                        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Message.LENGTH]);
                        final Message msg = new Message().wrap(buffer, 0);
                        for (int i = 0; i < perWriter; i++) {
                            msg.clearHeader().type(Message.INVOKE_FUNC).clientId(writer).callId(i);
                            for (int b = 0; b < Message.INLINE_CAPACITY; b += 8) {
                                buffer.putLong(Message.INLINE_OFFSET + b, i * 31L + writer);
                            }
                            msg.payloadSize(Message.INLINE_CAPACITY);
                            sender.send(buffer, 0);
                        }
                    } catch (final Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            final UnsafeBuffer in = new UnsafeBuffer(new byte[Message.LENGTH]);
            final Message msg = new Message().wrap(in, 0);
            final Map<Integer, Long> next = new HashMap<>();
            for (int n = 0; n < writers * perWriter; n++) {
                assertThat(receiver.receive(in, 0)).isTrue();
                msg.validate(1 << 20);
                final int writer = msg.clientId();
                final long expected = next.getOrDefault(writer, 0L);
                assertThat(msg.callId()).isEqualTo(expected);
                next.put(writer, expected + 1);
                for (int b = 0; b < Message.INLINE_CAPACITY; b += 8) {
                    assertThat(in.getLong(Message.INLINE_OFFSET + b)).isEqualTo(expected * 31L + writer);
                }
            }
            CompletableFuture.allOf(sends.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        }
        kind.delete(path);
        layout.deleteAll();
        assertThat(Files.exists(layout.root())).isFalse();
    }

    @ParameterizedTest
    @EnumSource(MessageChannel.class)
    void closeWakesABlockedReceiver(final MessageChannel kind) throws Exception {
        final Path path = dir.resolve("chan-" + kind);
        kind.create(path);
        final MessageReceiver receiver = kind.openReceiver(path, 5);
        final CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(() -> {
            try {
                return receiver.receive(new UnsafeBuffer(new byte[Message.LENGTH]), 0);
            } catch (final Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        assertThat(result).isNotDone();
        receiver.close();
        assertThat(result.get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void channelKindsParseFromConfigNames() {
        assertThat(MessageChannel.of("fifo")).isEqualTo(MessageChannel.FIFO);
        assertThat(MessageChannel.of("shm")).isEqualTo(MessageChannel.SHM);
        assertThatThrownBy(() -> MessageChannel.of("tcp")).hasMessageContaining("unknown channel kind");
    }

    @Test
    void payloadFilesAreReadOnceAndDeleted() throws Exception {
        final IpcLayout layout = new IpcLayout(dir.resolve("ipc2"));
        layout.recreate();
        final byte[] payload = new byte[4 * 1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        final Path file = layout.shmInput(42L);
        ShmPayloads.write(file, payload, 0, payload.length);
        assertThatThrownBy(() -> ShmPayloads.write(file, payload, 0, 10)).isInstanceOf(java.io.IOException.class);
        assertThat(ShmPayloads.readAndDelete(file, payload.length)).isEqualTo(payload);
        assertThat(Files.exists(file)).isFalse();
        assertThatThrownBy(() -> ShmPayloads.readAndDelete(file, payload.length)).hasMessageContaining("does not exist");

        ShmPayloads.write(layout.shmOutput(43L), payload, 0, 2000);
        assertThatThrownBy(() -> ShmPayloads.readAndDelete(layout.shmOutput(43L), 3000)).hasMessageContaining("announced 3000");
        assertThat(Files.exists(layout.shmOutput(43L))).isFalse();
    }

    @Test
    void aFifoReceiverTakesABurstWithOneReadAndSaysWhatIsBuffered() throws Exception {
        final IpcLayout layout = new IpcLayout(dir.resolve("burst"));
        layout.recreate();
        final Path path = layout.channel(MessageChannel.FIFO, IpcLayout.ENGINE_INPUT);
        MessageChannel.FIFO.create(path);
        try (MessageReceiver receiver = MessageChannel.FIFO.openReceiver(path, 0);
             MessageSender sender = MessageChannel.FIFO.openSender(path)) {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Message.LENGTH]);
            final Message msg = new Message().wrap(buffer, 0);
            final int count = FifoMessageReceiver.BATCH + 5;
            for (int i = 0; i < count; i++) {
                msg.clearHeader().type(Message.INVOKE_FUNC).callId(i).payloadSize(0);
                sender.send(buffer, 0);
            }
            assertThat(receiver.hasPending()).isFalse();
            final UnsafeBuffer in = new UnsafeBuffer(new byte[Message.LENGTH]);
            final Message read = new Message().wrap(in, 0);
            for (int i = 0; i < count; i++) {
                assertThat(receiver.receive(in, 0)).isTrue();
                assertThat(read.callId()).isEqualTo(i);
                // The first read took a whole batch; the rest of it is buffered, then the next read takes the remainder.
                assertThat(receiver.hasPending()).isEqualTo(i != FifoMessageReceiver.BATCH - 1 && i != count - 1);
            }
        }
    }

    @Test
    void anShmReceiverSaysWhatIsWaitingAndStopsSpinningWhenMessagesComeLate() throws Exception {
        final Path path = dir.resolve("adaptive");
        MessageChannel.SHM.create(path);
        try (ShmRing.Receiver receiver = (ShmRing.Receiver) MessageChannel.SHM.openReceiver(path, 50);
             MessageSender sender = MessageChannel.SHM.openSender(path)) {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Message.LENGTH]);
            final Message msg = new Message().wrap(buffer, 0);
            final UnsafeBuffer in = new UnsafeBuffer(new byte[Message.LENGTH]);
            final Message read = new Message().wrap(in, 0);
            assertThat(receiver.hasPending()).isFalse();
            msg.clearHeader().type(Message.INVOKE_FUNC).callId(1).payloadSize(0);
            sender.send(buffer, 0);
            assertThat(receiver.hasPending()).isTrue();
            assertThat(receiver.receive(in, 0)).isTrue();
            assertThat(read.callId()).isEqualTo(1);
            assertThat(receiver.hasPending()).isFalse();
            assertThat(receiver.spinsNow(false)).isTrue();
            // Messages 5 ms apart: far beyond the 50 µs budget, so after a few such waits the receiver sleeps at once,
            // and a sleeping receiver still gets every message (the sender wakes it).
            for (int i = 2; i < 2 + ShmRing.Receiver.SPIN_WINDOW; i++) {
                final long callId = i;
                final CompletableFuture<Void> late = CompletableFuture.runAsync(() -> {
                    try {
                        Thread.sleep(5);
                        final UnsafeBuffer b = new UnsafeBuffer(new byte[Message.LENGTH]);
                        new Message().wrap(b, 0).clearHeader().type(Message.INVOKE_FUNC).callId(callId).payloadSize(0);
                        sender.send(b, 0);
                    } catch (final Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                assertThat(receiver.receive(in, 0)).isTrue();
                assertThat(read.callId()).isEqualTo(callId);
                late.get(5, TimeUnit.SECONDS);
            }
            assertThat(receiver.spinsNow(false)).isFalse();
            // A wait with its own budget (a worker waiting for a nested call's answer) keeps its own history.
            assertThat(receiver.spinsNow(true)).isTrue();
        }
    }
}
