package io.nightcorej.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GatewayMessageTest {

    @Test
    void fieldsRoundTripAtTheContractOffsets() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final GatewayMessage msg = new GatewayMessage().wrap(buffer, 0);
        msg.clear().type(GatewayMessage.FUNC_CALL_COMPLETE).functionId(65535).methodId(0).status(7)
            .callId(Long.MAX_VALUE - 3).time(-5).reserved(42).payloadSize(1234);

        final GatewayMessage read = new GatewayMessage().wrap(new UnsafeBuffer(buffer.byteArray()), 0);
        assertThat(read.type()).isEqualTo(3);
        assertThat(read.functionId()).isEqualTo(65535);
        assertThat(read.status()).isEqualTo(7);
        assertThat(read.callId()).isEqualTo(Long.MAX_VALUE - 3);
        assertThat(read.time()).isEqualTo(-5);
        assertThat(read.reserved()).isEqualTo(42);
        assertThat(read.payloadSize()).isEqualTo(1234);

        // A peer in another language reads plain little-endian fields at the documented offsets.
        final ByteBuffer le = ByteBuffer.wrap(buffer.byteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(le.getShort(0)).isEqualTo((short) 3);
        assertThat(le.getLong(8)).isEqualTo(Long.MAX_VALUE - 3);
        assertThat(le.getInt(28)).isEqualTo(1234);
        read.validate(4096);
    }

    @Test
    void flyweightWorksAtAnOffsetInsideALargerBuffer() {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final GatewayMessage msg = new GatewayMessage().wrap(buffer, 100);
        msg.clear().type(GatewayMessage.DISPATCH_FUNC_CALL).callId(9).payloadSize(0);
        assertThat(buffer.getShort(100, ByteOrder.LITTLE_ENDIAN)).isEqualTo((short) 2);
        assertThat(msg.payloadOffset()).isEqualTo(132);
    }

    @Test
    void validateNamesTheBadField() {
        final GatewayMessage msg = new GatewayMessage().wrap(new UnsafeBuffer(new byte[32]), 0);
        msg.clear().type(99);
        assertThatThrownBy(() -> msg.validate(100)).isInstanceOf(ProtocolException.class).hasMessageContaining("unknown type 99");
        msg.type(GatewayMessage.DISPATCH_FUNC_CALL).payloadSize(-1);
        assertThatThrownBy(() -> msg.validate(100)).hasMessageContaining("negative payloadSize");
        msg.payloadSize(101);
        assertThatThrownBy(() -> msg.validate(100)).hasMessageContaining("exceeds the limit 100");
    }

    @Test
    void randomGarbageIsEitherValidOrAClearProtocolError() {
        final SplittableRandom random = new SplittableRandom(7);
        final byte[] bytes = new byte[32];
        final GatewayMessage msg = new GatewayMessage().wrap(new UnsafeBuffer(bytes), 0);
        int rejected = 0;
        for (int i = 0; i < 100_000; i++) {
            random.nextBytes(bytes);
            try {
                msg.validate(1 << 20);
                assertThat(msg.type()).isBetween(1, 6);
                assertThat(msg.payloadSize()).isBetween(0, 1 << 20);
            } catch (final ProtocolException expected) {
                rejected++;
                assertThat(expected.getMessage()).startsWith("gateway message");
            }
        }
        assertThat(rejected).isGreaterThan(99_000);
    }
}
