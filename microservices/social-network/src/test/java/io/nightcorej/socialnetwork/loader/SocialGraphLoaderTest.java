package io.nightcorej.socialnetwork.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SocialGraphLoaderTest {

    @Test
    void theBundledDataSetIsSocfbReed98() throws Exception {
        final List<long[]> edges;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(SocialGraphLoader.BUNDLED_EDGES)) {
            assertThat(in).isNotNull();
            edges = SocialGraphLoader.parseEdges(in);
        }
        assertThat(edges).hasSize(18_812);
        final Set<Long> nodes = new HashSet<>();
        final Set<String> undirected = new HashSet<>();
        for (final long[] e : edges) {
            assertThat(e[0]).isNotEqualTo(e[1]);
            nodes.add(e[0]);
            nodes.add(e[1]);
            undirected.add(Math.min(e[0], e[1]) + " " + Math.max(e[0], e[1]));
        }
        assertThat(nodes).hasSize(962);
        assertThat(nodes).allMatch(n -> n >= 0 && n <= 961);
        assertThat(undirected).hasSize(18_812);
        assertThat(getClass().getClassLoader().getResource("datasets/socfb-Reed98/readme.html")).isNotNull();
    }

    @Test
    void unknownOptionsAreRefusedByName() {
        assertThatThrownBy(() -> SocialGraphLoader.fromOptions(URI.create("http://127.0.0.1:1"), Map.of("posts", "5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'posts'");
    }
}
