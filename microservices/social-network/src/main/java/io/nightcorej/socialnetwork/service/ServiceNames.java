package io.nightcorej.socialnetwork.service;

import java.util.List;

/** The Thrift service names; each is also the function's name in the function deployments (as in NC). */
public final class ServiceNames {

    public static final String UNIQUE_ID = "UniqueIdService";
    public static final String TEXT = "TextService";
    public static final String USER = "UserService";
    public static final String COMPOSE_POST = "ComposePostService";
    public static final String POST_STORAGE = "PostStorageService";
    public static final String HOME_TIMELINE = "HomeTimelineService";
    public static final String USER_TIMELINE = "UserTimelineService";
    public static final String SOCIAL_GRAPH = "SocialGraphService";
    public static final String USER_MENTION = "UserMentionService";
    public static final String URL_SHORTEN = "UrlShortenService";
    public static final String MEDIA = "MediaService";

    /** All eleven, in the order of upstream's IDL. */
    public static final List<String> ALL = List.of(UNIQUE_ID, TEXT, USER, COMPOSE_POST, POST_STORAGE, HOME_TIMELINE,
            USER_TIMELINE, SOCIAL_GRAPH, USER_MENTION, URL_SHORTEN, MEDIA);

    private ServiceNames() {
    }
}
