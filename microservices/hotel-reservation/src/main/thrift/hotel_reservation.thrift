# DeathStarBench HotelReservation IDL, translated from the seven protobuf packages of NC
# (ut-osa/nightcore-benchmarks workloads/DeathStarBench/hotelReservation/services/<s>/proto/<s>.proto, identical in
# delimitrou/DeathStarBench apart from go_package options; see /work/shared/reference/deathstarbench.md §3.2).
#
# Translation rules:
# - one Thrift service per protobuf service, named like it (Search, Geo, Rate, Profile, Recommendation, Reservation,
#   User); the service name is also the function name in the function deployments;
# - every rpc keeps its method name and takes its request message as the single argument `req` and returns its result
#   message; protobuf messages that share a name across packages (Request, Result) get the package as a prefix;
# - field ids, names and order are protobuf's; proto3 `float` (32-bit) becomes `double` (Thrift has no 32-bit float:
#   the handlers round to float where upstream computes in float32), `int32` becomes `i32`;
# - Image.default is `isDefault` (`default` is a reserved word of the Thrift compiler);
# - every method may throw ServiceException (gRPC's status error in upstream), shaped like SocialNetwork's.

namespace java io.nightcorej.hotelreservation.thrift

enum ErrorCode {
  SE_THRIFT_CONN_ERROR,
  SE_MEMCACHED_ERROR,
  SE_MONGODB_ERROR,
  SE_THRIFT_HANDLER_ERROR
}

exception ServiceException {
    1: ErrorCode errorCode;
    2: string message;
}

# ---- geo.Geo ----
struct GeoRequest {
    1: double lat;
    2: double lon;
}

struct GeoResult {
    1: list<string> hotelIds;
}

service Geo {
  GeoResult Nearby(1: GeoRequest req) throws (1: ServiceException se)
}

# ---- rate.Rate ----
struct RateRequest {
    1: list<string> hotelIds;
    2: string inDate;
    3: string outDate;
}

struct RoomType {
    1: double bookableRate;
    2: double totalRate;
    3: double totalRateInclusive;
    4: string code;
    5: string currency;
    6: string roomDescription;
}

struct RatePlan {
    1: string hotelId;
    2: string code;
    3: string inDate;
    4: string outDate;
    5: RoomType roomType;
}

struct RateResult {
    1: list<RatePlan> ratePlans;
}

service Rate {
  RateResult GetRates(1: RateRequest req) throws (1: ServiceException se)
}

# ---- profile.Profile ----
struct ProfileRequest {
    1: list<string> hotelIds;
    2: string locale;
}

struct Address {
    1: string streetNumber;
    2: string streetName;
    3: string city;
    4: string state;
    5: string country;
    6: string postalCode;
    7: double lat;
    8: double lon;
}

struct Image {
    1: string url;
    2: bool isDefault;
}

struct Hotel {
    1: string id;
    2: string name;
    3: string phoneNumber;
    4: string description;
    5: Address address;
    6: list<Image> images;
}

struct ProfileResult {
    1: list<Hotel> hotels;
}

service Profile {
  ProfileResult GetProfiles(1: ProfileRequest req) throws (1: ServiceException se)
}

# ---- recommendation.Recommendation ----
struct RecommendationRequest {
    1: string require;
    2: double lat;
    3: double lon;
}

struct RecommendationResult {
    1: list<string> HotelIds;
}

service Recommendation {
  RecommendationResult GetRecommendations(1: RecommendationRequest req) throws (1: ServiceException se)
}

# ---- reservation.Reservation ----
struct ReservationRequest {
    1: string customerName;
    2: list<string> hotelId;
    3: string inDate;
    4: string outDate;
    5: i32 roomNumber;
}

struct ReservationResult {
    1: list<string> hotelId;
}

service Reservation {
  ReservationResult MakeReservation(1: ReservationRequest req) throws (1: ServiceException se)
  ReservationResult CheckAvailability(1: ReservationRequest req) throws (1: ServiceException se)
}

# ---- search.Search ----
struct NearbyRequest {
    1: double lat;
    2: double lon;
    3: string inDate;
    4: string outDate;
}

struct SearchResult {
    1: list<string> hotelIds;
}

service Search {
  SearchResult Nearby(1: NearbyRequest req) throws (1: ServiceException se)
}

# ---- user.User ----
struct UserRequest {
    1: string username;
    2: string password;
}

struct UserResult {
    1: bool correct;
}

service User {
  UserResult CheckUser(1: UserRequest req) throws (1: ServiceException se)
}
