package io.nightcorej.microservices.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalPortsTest {

    @Test
    void portsChosenOneAtATimeBeforeAnyIsBoundAreStillDistinct() {
        // what a test deployment does: choose a port per service, bind them all afterwards
        final Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            assertThat(ports.add(LocalPorts.outsideEphemeralRange())).as("port handed out twice").isTrue();
        }
        assertThat(ports).allMatch(p -> p >= 20_000 && p < 32_000);
    }
}
