#include <catch2/catch.hpp>

#include <samvad/twitter/client.hpp>

#include "twitter/images.hpp"

using namespace samvad;
using namespace samvad::twitter;
namespace images = samvad::test::images;

namespace {

Result<net::HttpResponse, net::TransportError> answer(long status, std::string body,
                                                      std::map<std::string, std::string> headers = {}) {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

Result<net::HttpResponse, net::TransportError> lost(net::TransportError::Kind kind, bool maybe_delivered) {
  return fail(net::TransportError{kind, "POST https://api.x.com/2/tweets: Connection reset", maybe_delivered});
}

}  // namespace

TEST_CASE("429 is rate_limited until x-rate-limit-reset", "[twitter]") {
  auto e = classify(answer(429, R"({"title":"Too Many Requests","detail":"Too Many Requests","status":429})",
                           {{"x-rate-limit-reset", "1767225600"}, {"x-rate-limit-remaining", "0"}}));
  CHECK(e.kind == ApiError::Kind::rate_limited);
  CHECK(e.status == 429);
  REQUIRE(e.reset_at);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(e.reset_at->time_since_epoch()).count() == 1767225600);
  CHECK(e.detail == "Too Many Requests");

  SECTION("without the header there is no reset time") {
    auto bare = classify(answer(429, ""));
    CHECK(bare.kind == ApiError::Kind::rate_limited);
    CHECK_FALSE(bare.reset_at);
    CHECK(bare.detail == "HTTP 429 Too Many Requests");
  }
  SECTION("a reset that is not a number is ignored") {
    CHECK_FALSE(classify(answer(429, "", {{"x-rate-limit-reset", "soon"}})).reset_at);
  }
  SECTION("Retry-After stands in when the reset header is missing") {
    auto before = std::chrono::system_clock::now();
    auto e2 = classify(answer(429, "", {{"retry-after", "120"}}));
    REQUIRE(e2.reset_at);
    CHECK(*e2.reset_at >= before + std::chrono::seconds(119));
    CHECK(*e2.reset_at <= std::chrono::system_clock::now() + std::chrono::seconds(121));
  }
}

TEST_CASE("after a 429 the latest reset of the limits that are used up is when X takes requests again", "[twitter]") {
  using std::chrono::seconds;
  const auto now = std::chrono::system_clock::time_point(seconds(1767225000));
  const auto at = [](long long epoch) { return std::chrono::system_clock::time_point(seconds(epoch)); };
  const auto reset_of = [&](std::map<std::string, std::string> headers) {
    net::HttpResponse r;
    r.status = 429;
    r.headers = std::move(headers);
    return rate_limit_reset(r, now);
  };
  const std::string window = "1767225900";    // now + 15 min
  const std::string user_day = "1767243000";  // now + 5 h
  const std::string app_day = "1767290000";   // now + 18 h

  SECTION("the 15-minute window alone") {
    auto r = reset_of({{"x-rate-limit-reset", window}, {"x-rate-limit-remaining", "0"}});
    REQUIRE(r);
    CHECK(r->at == at(1767225900));
    CHECK(r->limit == "the 15-minute limit");
  }
  SECTION("the account's 24-hour cap used up resets later than the window") {
    auto r = reset_of({{"x-rate-limit-reset", window},
                       {"x-user-limit-24hour-remaining", "0"},
                       {"x-user-limit-24hour-reset", user_day}});
    REQUIRE(r);
    CHECK(r->at == at(1767243000));
    CHECK(r->limit == "the account's 24-hour limit");
  }
  SECTION("the app's cap wins when it resets last") {
    auto r = reset_of({{"x-rate-limit-reset", window},
                       {"x-user-limit-24hour-remaining", "0"},
                       {"x-user-limit-24hour-reset", user_day},
                       {"x-app-limit-24hour-remaining", "0"},
                       {"x-app-limit-24hour-reset", app_day}});
    REQUIRE(r);
    CHECK(r->at == at(1767290000));
    CHECK_THAT(r->limit, Catch::StartsWith("the app's 24-hour limit"));
  }
  SECTION("a 24-hour cap with requests left did not refuse this one") {
    auto r = reset_of({{"x-rate-limit-reset", window},
                       {"x-user-limit-24hour-remaining", "12"},
                       {"x-user-limit-24hour-reset", user_day},
                       {"x-app-limit-24hour-remaining", "1500"},
                       {"x-app-limit-24hour-reset", app_day}});
    REQUIRE(r);
    CHECK(r->at == at(1767225900));
  }
  SECTION("a used-up cap counts without the window's header, and a garbled reset is ignored") {
    auto r = reset_of({{"x-user-limit-24hour-remaining", "0"},
                       {"x-user-limit-24hour-reset", user_day},
                       {"x-app-limit-24hour-remaining", "0"},
                       {"x-app-limit-24hour-reset", "tomorrow"}});
    REQUIRE(r);
    CHECK(r->at == at(1767243000));
  }
  SECTION("a window later than a used-up cap still wins") {
    auto r = reset_of({{"x-rate-limit-reset", app_day},
                       {"x-user-limit-24hour-remaining", "0"},
                       {"x-user-limit-24hour-reset", user_day}});
    REQUIRE(r);
    CHECK(r->at == at(1767290000));
    CHECK(r->limit == "the 15-minute limit");
  }
  SECTION("Retry-After only when X gives no reset time") {
    auto fallback = reset_of({{"retry-after", "120"}, {"x-user-limit-24hour-remaining", "0"}});
    REQUIRE(fallback);
    CHECK(fallback->at == now + seconds(120));
    CHECK(fallback->limit.empty());
    auto ignored = reset_of({{"retry-after", "120"}, {"x-rate-limit-reset", window}});
    REQUIRE(ignored);
    CHECK(ignored->at == at(1767225900));
  }
  SECTION("nothing to go by") { CHECK_FALSE(reset_of({{"x-rate-limit-remaining", "0"}})); }
}

TEST_CASE("a 429 from a used-up 24-hour cap is rate_limited until that cap resets, and says so", "[twitter]") {
  auto e = classify(answer(429, R"({"title":"Too Many Requests","detail":"Too Many Requests","status":429})",
                           {{"x-rate-limit-reset", "1767225900"},
                            {"x-user-limit-24hour-remaining", "0"},
                            {"x-user-limit-24hour-reset", "1767243000"}}));
  CHECK(e.kind == ApiError::Kind::rate_limited);
  REQUIRE(e.reset_at);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(e.reset_at->time_since_epoch()).count() == 1767243000);
  CHECK(describe(e) == "X answered 429: Too Many Requests; the account's 24-hour limit is used up");
  CHECK(samvad::twitter::failure_of(e).retry_at == e.reset_at);
}

TEST_CASE("server errors are transient", "[twitter]") {
  for (long status : {500L, 502L, 503L, 504L}) {
    auto e = classify(answer(status, R"({"title":"Service Unavailable","detail":"Service Unavailable"})"));
    CHECK(e.kind == ApiError::Kind::transient);
    CHECK(e.status == status);
  }
  CHECK(classify(answer(408, "")).kind == ApiError::Kind::transient);
}

TEST_CASE("403 duplicate content is its own kind, other 403s are rejections", "[twitter]") {
  auto dup = classify(answer(403, R"({"detail":"You are not allowed to create a Tweet with duplicate content.",
                                      "type":"about:blank","title":"Forbidden","status":403})"));
  CHECK(dup.kind == ApiError::Kind::duplicate);
  CHECK(dup.detail == "You are not allowed to create a Tweet with duplicate content.");

  auto other =
      classify(answer(403, R"({"detail":"You are not permitted to perform this action.","title":"Forbidden"})"));
  CHECK(other.kind == ApiError::Kind::rejected);
  CHECK(other.detail == "You are not permitted to perform this action.");
}

TEST_CASE("403 for a reply X does not allow the app is its own kind, never retried", "[twitter]") {
  auto e = classify(answer(
      403,
      R"({"detail":"Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.","type":"about:blank","title":"Forbidden","status":403})"));
  CHECK(e.kind == ApiError::Kind::reply_refused);
  CHECK(e.status == 403);
  CHECK_THAT(e.detail, Catch::StartsWith("Reply to this conversation is not allowed because"));
  CHECK(to_string(e.kind) == "reply_refused");
  CHECK(samvad::twitter::failure_of(e).kind == samvad::channel::FailureKind::rejected);
}

TEST_CASE("404 is not_found", "[twitter]") {
  auto e = classify(answer(404, R"({"title":"Not Found Error","detail":"Could not find tweet with id: [1]."})"));
  CHECK(e.kind == ApiError::Kind::not_found);
  CHECK(e.status == 404);
}

TEST_CASE("other 4xx are rejected with X's own explanation", "[twitter]") {
  CHECK(classify(answer(400, R"({"title":"Invalid Request","detail":"The text is too long."})")).detail ==
        "The text is too long.");
  CHECK(classify(answer(401, R"({"title":"Unauthorized","type":"about:blank","status":401})")).detail ==
        "Unauthorized");
  CHECK(classify(answer(400, R"({"errors":[{"message":"media_ids is invalid","code":324}]})")).detail ==
        "media_ids is invalid");
  CHECK(classify(answer(400, "<html>nope</html>")).detail == "HTTP 400 Bad Request");
  CHECK(classify(answer(418, "")).detail == "HTTP 418");
  for (long status : {400L, 401L, 403L, 409L, 413L, 422L})
    CHECK(classify(answer(status, "{}")).kind == ApiError::Kind::rejected);
}

TEST_CASE("a transport failure is ambiguous once the request may have arrived, else transient", "[twitter]") {
  auto ambiguous = classify(lost(net::TransportError::Kind::receive, true));
  CHECK(ambiguous.kind == ApiError::Kind::ambiguous);
  CHECK(ambiguous.status == 0);
  CHECK(ambiguous.detail == "POST https://api.x.com/2/tweets: Connection reset");
  CHECK(classify(lost(net::TransportError::Kind::timeout, true)).kind == ApiError::Kind::ambiguous);
  for (auto kind : {net::TransportError::Kind::resolve, net::TransportError::Kind::connect,
                    net::TransportError::Kind::tls, net::TransportError::Kind::timeout})
    CHECK(classify(lost(kind, false)).kind == ApiError::Kind::transient);
}

TEST_CASE("a certificate that cannot be verified is a rejection no retry helps, and says so", "[twitter]") {
  auto e = classify(lost(net::TransportError::Kind::certificate, false));
  CHECK(e.kind == ApiError::Kind::rejected);
  CHECK(e.status == 0);
  CHECK_THAT(e.detail, Catch::Contains("certificate of X's server could not be verified") &&
                           Catch::Contains("Connection reset") && Catch::Contains("twitter.ca_file"));
}

TEST_CASE("error kinds have stable names", "[twitter]") {
  CHECK(to_string(ApiError::Kind::rate_limited) == "rate_limited");
  CHECK(to_string(ApiError::Kind::transient) == "transient");
  CHECK(to_string(ApiError::Kind::ambiguous) == "ambiguous");
  CHECK(to_string(ApiError::Kind::duplicate) == "duplicate");
  CHECK(to_string(ApiError::Kind::not_found) == "not_found");
  CHECK(to_string(ApiError::Kind::rejected) == "rejected");
}

TEST_CASE("images are recognised by their first bytes", "[twitter]") {
  CHECK(image_media_type(images::png_1x1()) == "image/png");
  CHECK(image_media_type(images::jpeg_start()) == "image/jpeg");
  CHECK(image_media_type(images::gif_1x1()) == "image/gif");
  CHECK(image_media_type("GIF87a" + images::gif_1x1().substr(6)) == "image/gif");
  CHECK(image_media_type(images::webp_start()) == "image/webp");

  CHECK_FALSE(image_media_type(""));
  CHECK_FALSE(image_media_type("\xFF\xD8"));
  CHECK_FALSE(image_media_type("GIF88a"));
  CHECK_FALSE(image_media_type(std::string("RIFF\x1A\0\0\0WAVEfmt ", 16)));  // a RIFF file that is audio
  CHECK_FALSE(image_media_type("%PDF-1.7"));
  CHECK_FALSE(image_media_type("BM"));  // BMP: X converts it, samvad does not send it
}

TEST_CASE("a GIF with two or more frames is animated, one frame is not", "[twitter]") {
  CHECK_FALSE(is_animated_gif(images::gif_1x1()));
  CHECK(is_animated_gif(images::gif_animated()));
  // A loop extension alone does not make an animation: frames do.
  CHECK_FALSE(is_animated_gif(images::gif_head() + images::gif_loop() + images::gif_control() + images::gif_frame() +
                              images::gif_trailer()));
  // Extensions between frames (comments) are skipped, not mistaken for frames.
  CHECK(is_animated_gif(images::gif_head() + images::gif_frame() + images::gif_comment("a,b,c") + images::gif_frame() +
                        images::gif_trailer()));
  // Without a global colour table, the first block follows the screen descriptor directly.
  std::string no_table = images::gif_head().substr(0, 13);
  no_table[10] = 0;
  CHECK(is_animated_gif(no_table + images::gif_frame() + images::gif_frame() + images::gif_trailer()));
  // A frame whose local colour table hides bytes that look like an image descriptor.
  std::string local = images::bytes(
      {0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0x80, 0x2C, 0x2C, 0x2C, 0x2C, 0x2C, 0x2C, 0x02, 0x02, 0x44, 0x01, 0x00});
  CHECK_FALSE(is_animated_gif(images::gif_head() + local + images::gif_trailer()));
  CHECK(is_animated_gif(images::gif_head() + local + local + images::gif_trailer()));
  // Cut off inside the second frame: two descriptors were seen.
  std::string animated = images::gif_animated();
  CHECK(is_animated_gif(animated.substr(0, animated.size() - 4)));
  // Cut off before the second frame; and things that are not GIFs at all.
  CHECK_FALSE(is_animated_gif(animated.substr(0, animated.size() - 16)));
  CHECK_FALSE(is_animated_gif(images::png_1x1()));
  CHECK_FALSE(is_animated_gif("GIF89a"));
  CHECK_FALSE(is_animated_gif(""));
}

TEST_CASE("X's errors in the words of the shared retry rule", "[twitter][retry]") {
  using samvad::channel::FailureKind;
  using samvad::twitter::ApiError;
  const auto reset = std::chrono::system_clock::now() + std::chrono::seconds(30);
  CHECK(samvad::twitter::failure_of(ApiError{ApiError::Kind::transient, 503, "busy", std::nullopt, ""}).kind ==
        FailureKind::transient);
  CHECK(samvad::twitter::failure_of(ApiError{ApiError::Kind::ambiguous, 0, "lost", std::nullopt, ""}).kind ==
        FailureKind::ambiguous);
  CHECK(samvad::twitter::failure_of(ApiError{ApiError::Kind::duplicate, 403, "dup", std::nullopt, ""}).kind ==
        FailureKind::rejected);
  CHECK(samvad::twitter::failure_of(ApiError{ApiError::Kind::not_found, 404, "gone", std::nullopt, ""}).kind ==
        FailureKind::rejected);
  const auto limited =
      samvad::twitter::failure_of(ApiError{ApiError::Kind::rate_limited, 429, "Too Many Requests", reset, ""});
  CHECK(limited.kind == FailureKind::rate_limited);
  CHECK(limited.retry_at == reset);
  CHECK(limited.detail == "Too Many Requests");
}
