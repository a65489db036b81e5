package io.nightcorej.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageTest {

    @Test
    void headerFieldsRoundTripAtTheDocumentedOffsets() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[Message.LENGTH]);
        final Message msg = new Message().wrap(buffer, 0);
        final byte[] input = "hello".getBytes(StandardCharsets.UTF_8);
        msg.clearHeader().type(Message.INVOKE_FUNC).functionId(513).flags(Message.FLAG_REPLY_TO_CONTAINER).status(4)
            .callId(0x0123_4567_89AB_CDEFL).parentCallId(77).clientId(1234).deadline(999_000L).sendTimestamp(123_456L)
            .processingTimeUs(11).dispatchDelayUs(12).replyClientId(4321).reserved(13).putInlinePayload(input, 0, input.length);

        final Message read = new Message().wrap(new UnsafeBuffer(buffer.byteArray()), 0);
        read.validate(1 << 20);
        assertThat(read.type()).isEqualTo(Message.INVOKE_FUNC);
        assertThat(read.functionId()).isEqualTo(513);
        assertThat(read.flags()).isEqualTo(Message.FLAG_REPLY_TO_CONTAINER);
        assertThat(read.status()).isEqualTo(4);
        assertThat(read.callId()).isEqualTo(0x0123_4567_89AB_CDEFL);
        assertThat(read.parentCallId()).isEqualTo(77);
        assertThat(read.clientId()).isEqualTo(1234);
        assertThat(read.deadline()).isEqualTo(999_000L);
        assertThat(read.sendTimestamp()).isEqualTo(123_456L);
        assertThat(read.processingTimeUs()).isEqualTo(11);
        assertThat(read.dispatchDelayUs()).isEqualTo(12);
        assertThat(read.replyClientId()).isEqualTo(4321);
        assertThat(read.reserved()).isEqualTo(13);
        assertThat(read.payloadInShm()).isFalse();
        assertThat(new String(read.inlinePayload(), StandardCharsets.UTF_8)).isEqualTo("hello");

        final ByteBuffer le = ByteBuffer.wrap(buffer.byteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(le.getShort(0)).isEqualTo((short) Message.INVOKE_FUNC);
        assertThat(le.getLong(8)).isEqualTo(0x0123_4567_89AB_CDEFL);
        assertThat(le.getInt(24)).isEqualTo(1234);
        assertThat(le.getInt(56)).isEqualTo(4321);
        assertThat(le.getInt(60)).isEqualTo(13);
        assertThat(le.getInt(28)).isEqualTo(5);
        assertThat(buffer.byteArray()[64]).isEqualTo((byte) 'h');
    }

    @Test
    void inlineCapacityIsTheRestOfTheMessage() {
        final Message msg = new Message().wrap(new UnsafeBuffer(new byte[Message.LENGTH]), 0);
        final byte[] full = new byte[Message.INLINE_CAPACITY];
        full[full.length - 1] = 9;
        msg.clearHeader().type(Message.FUNC_CALL_COMPLETE).putInlinePayload(full, 0, full.length);
        assertThat(msg.inlinePayload()).isEqualTo(full);
        assertThatThrownBy(() -> msg.putInlinePayload(new byte[961], 0, 961)).isInstanceOf(IllegalArgumentException.class);
        msg.payloadSize(-4 * 1024 * 1024);
        assertThat(msg.payloadInShm()).isTrue();
        assertThat(msg.payloadLength()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void validateRejectsImpossibleSizes() {
        final Message msg = new Message().wrap(new UnsafeBuffer(new byte[Message.LENGTH]), 0);
        msg.clearHeader().type(Message.DISPATCH_FUNC_CALL).payloadSize(961);
        assertThatThrownBy(() -> msg.validate(1000)).isInstanceOf(ProtocolException.class).hasMessageContaining("inline");
        msg.payloadSize(-1001);
        assertThatThrownBy(() -> msg.validate(1000)).hasMessageContaining("exceeds the limit 1000");
        msg.payloadSize(Integer.MIN_VALUE);
        assertThatThrownBy(() -> msg.validate(Integer.MAX_VALUE)).hasMessageContaining("exceeds the limit");
        msg.type(0);
        assertThatThrownBy(() -> msg.validate(1000)).hasMessageContaining("unknown type 0");
    }

    @Test
    void randomGarbageIsEitherValidOrAClearProtocolError() {
        final SplittableRandom random = new SplittableRandom(11);
        final byte[] bytes = new byte[Message.LENGTH];
        final Message msg = new Message().wrap(new UnsafeBuffer(bytes), 0);
        for (int i = 0; i < 50_000; i++) {
            random.nextBytes(bytes);
            if (i % 3 == 0) {
                bytes[0] = (byte) (1 + random.nextInt(10));
                bytes[1] = 0;
            }
            try {
                msg.validate(16 << 20);
                assertThat(msg.type()).isBetween(1, 10);
                assertThat(msg.payloadSize()).isBetween(-(16 << 20), Message.INLINE_CAPACITY);
                if (!msg.payloadInShm()) {
                    assertThat(msg.inlinePayload()).hasSize(msg.payloadSize());
                }
                assertThat(msg.toString()).contains("type=");
            } catch (final ProtocolException expected) {
                assertThat(expected.getMessage()).startsWith("message");
            }
        }
    }
}
