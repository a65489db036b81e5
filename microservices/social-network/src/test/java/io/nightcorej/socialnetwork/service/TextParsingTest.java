package io.nightcorej.socialnetwork.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightcorej.socialnetwork.thrift.Url;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextParsingTest {

    @Test
    void mentionsFollowUpstreamsPatternInOrderWithDuplicates() {
        assertThat(TextHandler.mentions("hi @alice and @bob-1_x, @alice again; mail a@b.c @ alone"))
                .containsExactly("alice", "bob-1_x", "alice", "b");
    }

    @Test
    void urlsFollowUpstreamsPattern() {
        assertThat(TextHandler.urls("see http://a.com/x and https://B.org?q=1&r=(2) then ftp://no http:/no"))
                .containsExactly("http://a.com", "https://B.org");
        assertThat(TextHandler.urls("x http://abc_!~*'().&=+$%-def y")).containsExactly("http://abc_!~*'().&=+$%-def");
    }

    @Test
    void urlsAreReplacedInOrderAndTheTailIsKept() {
        final String text = "a http://one.com b https://two.org c";
        final String out = TextHandler.replaceUrls(text, List.of(
                new Url().setShortened_url("http://short-url/AAAAAAAAAA"),
                new Url().setShortened_url("http://short-url/BBBBBBBBBB")));
        assertThat(out).isEqualTo("a http://short-url/AAAAAAAAAA b http://short-url/BBBBBBBBBB c");
        assertThat(TextHandler.replaceUrls("no urls", List.of())).isEqualTo("no urls");
    }

    @Test
    void shortUrlsHaveUpstreamsShape() {
        for (int i = 0; i < 100; i++) {
            assertThat(UrlShortenHandler.PREFIX + UrlShortenHandler.randomSuffix()).matches("http://short-url/[a-zA-Z0-9]{10}");
        }
    }
}
