package io.nightcorej.socialnetwork.service;

import static io.nightcorej.socialnetwork.service.Errors.ERRORS;

import io.nightcorej.microservices.common.service.ServiceCaller;
import io.nightcorej.socialnetwork.thrift.ServiceException;
import io.nightcorej.socialnetwork.thrift.TextService;
import io.nightcorej.socialnetwork.thrift.TextServiceReturn;
import io.nightcorej.socialnetwork.thrift.Url;
import io.nightcorej.socialnetwork.thrift.UrlShortenService;
import io.nightcorej.socialnetwork.thrift.UserMention;
import io.nightcorej.socialnetwork.thrift.UserMentionService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code TextService}: finds mentions and URLs with upstream's patterns, asks UrlShorten and UserMention for them in
 * parallel (upstream's two {@code std::async}s), and returns the text with each URL replaced by its short form.
 */
public final class TextHandler implements TextService.Iface {

    /** Upstream: {@code @[a-zA-Z0-9-_]+} (the hyphen after a range is a literal hyphen in both regex dialects). */
    public static final Pattern MENTION = Pattern.compile("@[a-zA-Z0-9_-]+");
    /** Upstream: {@code (http://|https://)([a-zA-Z0-9_!~*'().&=+$%-]+)}. */
    public static final Pattern URL = Pattern.compile("(http://|https://)([a-zA-Z0-9_!~*'().&=+$%-]+)");

    private final ServiceCaller<ServiceException> caller;

    /** @param caller how to reach UrlShortenService and UserMentionService. */
    public TextHandler(final ServiceCaller<ServiceException> caller) {
        this.caller = caller;
    }

    @Override
    public TextServiceReturn ComposeText(final long reqId, final String text, final Map<String, String> carrier)
            throws ServiceException {
        final String body = text != null ? text : "";
        final List<String> mentions = mentions(body);
        final List<String> urls = urls(body);

        final Future<List<Url>> shortened = caller.fork(ServiceNames.URL_SHORTEN, new UrlShortenService.Client.Factory(),
                c -> c.ComposeUrls(reqId, urls, Map.of()));
        final List<UserMention> userMentions;
        try {
            userMentions = caller.call(ServiceNames.USER_MENTION, new UserMentionService.Client.Factory(),
                    c -> c.ComposeUserMentions(reqId, mentions, Map.of()));
        } catch (final ServiceException e) {
            caller.drain(shortened);
            throw e;
        }
        final List<Url> shortUrls = caller.join(shortened, ServiceNames.URL_SHORTEN);
        if (shortUrls.size() != urls.size()) {
            throw ERRORS.handler("UrlShortenService returned " + shortUrls.size() + " urls for " + urls.size());
        }
        return new TextServiceReturn()
                .setText(replaceUrls(body, shortUrls))
                .setUser_mentions(userMentions)
                .setUrls(shortUrls);
    }

    /** @return every mentioned username in order, without the {@code @}; duplicates kept. */
    public static List<String> mentions(final String text) {
        final List<String> names = new ArrayList<>();
        final Matcher m = MENTION.matcher(text);
        while (m.find()) {
            names.add(m.group().substring(1));
        }
        return names;
    }

    /** @return every URL in order. */
    public static List<String> urls(final String text) {
        final List<String> urls = new ArrayList<>();
        final Matcher m = URL.matcher(text);
        while (m.find()) {
            urls.add(m.group());
        }
        return urls;
    }

    /**
     * Replaces the i-th URL match with the i-th shortened URL. Upstream drops the text after the last URL (it never
     * appends the final suffix); this keeps it.
     */
    public static String replaceUrls(final String text, final List<Url> shortened) {
        if (shortened.isEmpty()) {
            return text;
        }
        final StringBuilder out = new StringBuilder(text.length());
        final Matcher m = URL.matcher(text);
        int idx = 0;
        int tail = 0;
        while (m.find() && idx < shortened.size()) {
            out.append(text, tail, m.start()).append(shortened.get(idx++).getShortened_url());
            tail = m.end();
        }
        return out.append(text, tail, text.length()).toString();
    }
}
