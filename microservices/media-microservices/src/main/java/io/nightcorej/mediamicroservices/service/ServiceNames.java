package io.nightcorej.mediamicroservices.service;

import java.util.List;

/** The Thrift services of media_service.thrift; each is also a function name (NC names functions after them). */
public final class ServiceNames {

    public static final String UNIQUE_ID = "UniqueIdService";
    public static final String MOVIE_ID = "MovieIdService";
    public static final String TEXT = "TextService";
    public static final String RATING = "RatingService";
    public static final String USER = "UserService";
    public static final String COMPOSE_REVIEW = "ComposeReviewService";
    public static final String REVIEW_STORAGE = "ReviewStorageService";
    public static final String USER_REVIEW = "UserReviewService";
    public static final String MOVIE_REVIEW = "MovieReviewService";
    public static final String CAST_INFO = "CastInfoService";
    public static final String PLOT = "PlotService";
    public static final String MOVIE_INFO = "MovieInfoService";
    /** Not a function in NC (no HTTP endpoint reaches it); served only where a deployment asks for it by name. */
    public static final String PAGE = "PageService";

    /** The twelve services NC registers as Nightcore functions, in call-graph order. */
    public static final List<String> FUNCTIONS = List.of(UNIQUE_ID, MOVIE_ID, TEXT, RATING, USER, COMPOSE_REVIEW,
            REVIEW_STORAGE, USER_REVIEW, MOVIE_REVIEW, CAST_INFO, PLOT, MOVIE_INFO);

    private ServiceNames() {
    }
}
