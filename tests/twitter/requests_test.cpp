// What the X client puts on the wire and how it reads the answers, through a scripted transport:
// every request is recorded, every answer is chosen by the test. The stand-in tests
// (client_test.cpp) cover the same calls against a live server.
#include <catch2/catch.hpp>

#include <deque>

#include <nlohmann/json.hpp>

#include <samvad/twitter/client.hpp>

#include "support/process.hpp"
#include "twitter/images.hpp"

using namespace samvad;
using namespace samvad::twitter;
using nlohmann::json;
namespace images = samvad::test::images;

namespace {

class ScriptedHttp : public net::HttpClient {
 public:
  using Outcome = Result<net::HttpResponse, net::TransportError>;
  std::vector<net::HttpRequest> sent;
  std::deque<Outcome> script;

  Outcome send(const net::HttpRequest& request) override {
    sent.push_back(request);
    if (script.empty()) return reply(500, R"({"title":"no scripted answer left"})");
    Outcome next = script.front();
    script.pop_front();
    return next;
  }
  void answer(long status, std::string body, std::map<std::string, std::string> headers = {}) {
    script.push_back(reply(status, std::move(body), std::move(headers)));
  }
  static net::HttpResponse reply(long status, std::string body, std::map<std::string, std::string> headers = {}) {
    net::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
  }
};

const oauth::Keys keys{"consumer-key", "consumer-secret", "access-token", "access-secret"};
const oauth::Nonce fixed_nonce{"0123456789abcdef0123456789abcdef", 1700000000, {}};

Endpoint endpoint() { return Endpoint{"https://api.x.com", keys}; }

std::string header(const net::HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return {};
}

std::map<std::string, std::string> oauth_params(const net::HttpRequest& r) {
  auto parsed = oauth::parse_authorization_header(header(r, "Authorization"));
  REQUIRE(parsed);
  return {parsed->begin(), parsed->end()};
}

// The header the request must carry: the signature covers method, URL and query, never a JSON or
// multipart body.
void require_signed(const net::HttpRequest& r, const oauth::Keys& k = keys, oauth::Nonce n = fixed_nonce) {
  CHECK(header(r, "Authorization") == oauth::authorization_header(oauth::Request{r.method, r.url, {}}, k, n));
}

const net::MultipartField* field(const net::HttpRequest& r, const std::string& name) {
  for (const auto& f : r.multipart)
    if (f.name == name) return &f;
  return nullptr;
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("a post is a signed JSON POST to /2/tweets", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(201, R"({"data":{"id":"1850000000000000001","text":"पाणीपुरवठा बंद","edit_history_tweet_ids":["1"]}})");
  auto post = client.create_post("पाणीपुरवठा बंद", std::nullopt, {});
  REQUIRE(post);
  CHECK(post->id == "1850000000000000001");
  CHECK(post->text == "पाणीपुरवठा बंद");
  REQUIRE(http.sent.size() == 1);
  const auto& r = http.sent[0];
  CHECK(r.method == "POST");
  CHECK(r.url == "https://api.x.com/2/tweets");
  CHECK(header(r, "Content-Type") == "application/json");
  CHECK(json::parse(r.body) == json{{"text", "पाणीपुरवठा बंद"}});
  require_signed(r);
  CHECK(oauth_params(r)["oauth_token"] == "access-token");
}

TEST_CASE("a reply names its parent and media ids go in media.media_ids", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(201, R"({"data":{"id":"2","text":"part 2"}})");
  REQUIRE(client.create_post("part 2", std::string("1"), {"m1", "m2"}));
  CHECK(json::parse(http.sent[0].body) ==
        json::parse(R"({"text":"part 2","reply":{"in_reply_to_tweet_id":"1"},"media":{"media_ids":["m1","m2"]}})"));
}

TEST_CASE("a created post whose id cannot be read is ambiguous, not a failure to retry", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(201, "<html>proxy says hi</html>");
  auto post = client.create_post("hello", std::nullopt, {});
  REQUIRE_FALSE(post);
  CHECK(post.error().kind == ApiError::Kind::ambiguous);
  CHECK(post.error().status == 201);
}

TEST_CASE("text that is not UTF-8 is rejected before anything is sent", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  auto post = client.create_post("caf\xE9", std::nullopt, {});
  REQUIRE_FALSE(post);
  CHECK(post.error().kind == ApiError::Kind::rejected);
  CHECK(http.sent.empty());
}

TEST_CASE("failures come back classified", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(403, R"({"detail":"You are not allowed to create a Tweet with duplicate content."})");
  http.script.push_back(fail(net::TransportError{net::TransportError::Kind::receive, "connection reset", true}));
  http.answer(429, "{}", {{"x-rate-limit-reset", "1900000000"}});
  CHECK(client.create_post("a", std::nullopt, {}).error().kind == ApiError::Kind::duplicate);
  CHECK(client.create_post("a", std::nullopt, {}).error().kind == ApiError::Kind::ambiguous);
  auto limited = client.create_post("a", std::nullopt, {});
  CHECK(limited.error().kind == ApiError::Kind::rate_limited);
  CHECK(limited.error().reset_at == std::chrono::system_clock::time_point(std::chrono::seconds(1900000000)));
}

TEST_CASE("delete is DELETE /2/tweets/{id}, a post already gone is not_found", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(200, R"({"data":{"deleted":true}})");
  http.answer(404, R"({"title":"Not Found Error","detail":"Could not find tweet with id: [5]."})");
  auto deleted = client.delete_post("5");
  REQUIRE(deleted);
  CHECK(*deleted);
  CHECK(http.sent[0].method == "DELETE");
  CHECK(http.sent[0].url == "https://api.x.com/2/tweets/5");
  require_signed(http.sent[0]);
  auto again = client.delete_post("5");
  REQUIRE_FALSE(again);
  CHECK(again.error().kind == ApiError::Kind::not_found);
  // An id cannot escape its path segment.
  (void)client.delete_post("5/../../users");
  CHECK(http.sent[2].url == "https://api.x.com/2/tweets/5%2F..%2F..%2Fusers");
}

TEST_CASE("me reads the account's id, username and name", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(200, R"({"data":{"id":"42","name":"PCMC Water Supply","username":"pcmc_water"}})");
  auto user = client.me();
  REQUIRE(user);
  CHECK(user->id == "42");
  CHECK(user->username == "pcmc_water");
  CHECK(user->name == "PCMC Water Supply");
  CHECK(http.sent[0].method == "GET");
  CHECK(http.sent[0].url == "https://api.x.com/2/users/me");
  require_signed(http.sent[0]);
}

TEST_CASE("recent posts: the query is signed, max_results kept within X's 5..100, entities asked for", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(200, R"({"data":[{"id":"3","text":"c https://t.co/Ab12Cd34Ef","entities":{"urls":[{"start":2,"end":25,)"
                   R"("url":"https://t.co/Ab12Cd34Ef","expanded_url":"https://pcmc.example.org/a","display_url":"pcmc.example.org/a"}]}},)"
                   R"({"id":"2","text":"b"}],"meta":{"result_count":2}})");
  http.answer(200, R"({"meta":{"result_count":0}})");
  http.answer(200, R"({"data":[]})");
  auto posts = client.recent_posts("42", 1000);
  REQUIRE(posts);
  REQUIRE(posts->size() == 2);
  CHECK((*posts)[0].id == "3");
  CHECK((*posts)[1].text == "b");
  CHECK((*posts)[1].urls.empty());
  REQUIRE((*posts)[0].urls.size() == 1);
  CHECK((*posts)[0].urls[0].start == 2);
  CHECK((*posts)[0].urls[0].end == 25);
  CHECK((*posts)[0].urls[0].url == "https://t.co/Ab12Cd34Ef");
  CHECK((*posts)[0].urls[0].expanded_url == "https://pcmc.example.org/a");
  CHECK(http.sent[0].url == "https://api.x.com/2/users/42/tweets?max_results=100&tweet.fields=entities");
  require_signed(http.sent[0]);
  CHECK(oauth::signature_base_string(oauth::Request{"GET", http.sent[0].url, {}}, {}).find("max_results%3D100") !=
        std::string::npos);
  auto none = client.recent_posts("42", 1);
  REQUIRE(none);
  CHECK(none->empty());
  CHECK(http.sent[1].url == "https://api.x.com/2/users/42/tweets?max_results=5&tweet.fields=entities");
  CHECK(client.recent_posts("42")->empty());
}

TEST_CASE("a small image is one multipart upload, then its alt text", "[twitter]") {
  samvad::test::TempDir dir;
  auto file = dir.write("notice.png", images::png_1x1());
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(200, R"({"data":{"id":"710511363345354753","media_key":"3_710511363345354753","size":67}})");
  http.answer(200, R"({"data":{"associated_metadata":{"alt_text":{"text":"x"}}}})");
  auto id = client.upload_media(MediaUpload{file, "Notice: water supply interrupted"});
  REQUIRE(id);
  CHECK(*id == "710511363345354753");
  REQUIRE(http.sent.size() == 2);

  const auto& upload = http.sent[0];
  CHECK(upload.method == "POST");
  CHECK(upload.url == "https://api.x.com/2/media/upload");
  require_signed(upload);
  REQUIRE(field(upload, "media"));
  CHECK(field(upload, "media")->data == images::png_1x1());
  CHECK(field(upload, "media")->filename == "notice.png");
  CHECK(field(upload, "media")->content_type == "image/png");
  REQUIRE(field(upload, "media_category"));
  CHECK(field(upload, "media_category")->data == "tweet_image");

  const auto& metadata = http.sent[1];
  CHECK(metadata.url == "https://api.x.com/2/media/metadata");
  CHECK(header(metadata, "Content-Type") == "application/json");
  CHECK(json::parse(metadata.body) ==
        json::parse(
            R"({"id":"710511363345354753","metadata":{"alt_text":{"text":"Notice: water supply interrupted"}}})"));
  require_signed(metadata);
}

TEST_CASE("a large image goes up in segments: initialize, append, finalize", "[twitter]") {
  samvad::test::TempDir dir;
  std::string big = images::png_1x1() + std::string(5 * 1024 * 1024, '\0');  // just over 5 MB
  auto file = dir.write("map.png", big);
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  MediaOptions options;
  options.segment_bytes = 2 * 1024 * 1024;
  client.set_media_options(options);
  http.answer(200, R"({"data":{"id":"77","media_key":"3_77","expires_after_secs":86400}})");
  for (int i = 0; i < 3; ++i) http.answer(200, R"({"data":{"expires_at":1}})");
  http.answer(200, R"({"data":{"id":"77","size":5242947}})");
  http.answer(200, "{}");
  auto id = client.upload_media(MediaUpload{file, "Map of the closed road"});
  REQUIRE(id);
  CHECK(*id == "77");
  REQUIRE(http.sent.size() == 6);

  CHECK(http.sent[0].url == "https://api.x.com/2/media/upload/initialize");
  CHECK(json::parse(http.sent[0].body) ==
        json{{"media_type", "image/png"}, {"total_bytes", big.size()}, {"media_category", "tweet_image"}});
  std::string reassembled;
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& append = http.sent[1 + i];
    CHECK(append.url == "https://api.x.com/2/media/upload/77/append");
    require_signed(append);
    REQUIRE(field(append, "segment_index"));
    CHECK(field(append, "segment_index")->data == std::to_string(i));
    REQUIRE(field(append, "media"));
    CHECK(field(append, "media")->data.size() <= options.segment_bytes);
    reassembled += field(append, "media")->data;
  }
  CHECK(reassembled == big);
  CHECK(http.sent[4].url == "https://api.x.com/2/media/upload/77/finalize");
  CHECK(http.sent[4].method == "POST");
  CHECK(http.sent[5].url == "https://api.x.com/2/media/metadata");
}

TEST_CASE("an animated GIF is a chunked tweet_gif upload, polled until processed", "[twitter]") {
  samvad::test::TempDir dir;
  auto file = dir.write("loop.gif", images::gif_animated());
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  std::vector<long long> slept;
  MediaOptions options;
  options.max_check_interval = std::chrono::seconds(20);
  options.sleep = [&slept](std::chrono::seconds s) { slept.push_back(s.count()); };
  client.set_media_options(options);
  http.answer(200, R"({"data":{"id":"9"}})");
  http.answer(200, "");
  http.answer(200, R"({"data":{"id":"9","processing_info":{"state":"pending","check_after_secs":3}}})");
  http.answer(200, R"({"data":{"id":"9","processing_info":{"state":"in_progress","check_after_secs":600}}})");
  http.answer(200, R"({"data":{"id":"9","processing_info":{"state":"succeeded"}}})");
  http.answer(200, "{}");
  auto id = client.upload_media(MediaUpload{file, "Animated map"});
  REQUIRE(id);
  CHECK(json::parse(http.sent[0].body)["media_category"] == "tweet_gif");
  CHECK(json::parse(http.sent[0].body)["media_type"] == "image/gif");
  CHECK(http.sent[3].method == "GET");
  CHECK(http.sent[3].url == "https://api.x.com/2/media/upload?command=STATUS&media_id=9");
  require_signed(http.sent[3]);
  CHECK(http.sent[4].url == http.sent[3].url);
  CHECK(http.sent[5].url == "https://api.x.com/2/media/metadata");
  // X asked for 3 s, then 600 s, which is capped.
  CHECK(slept == std::vector<long long>{3, 20});
}

TEST_CASE("processing that never ends is given up on as transient, failed processing is a rejection", "[twitter]") {
  samvad::test::TempDir dir;
  auto file = dir.write("loop.gif", images::gif_animated());
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  long long total = 0;
  MediaOptions options;
  options.max_check_interval = std::chrono::seconds(10);
  options.max_processing_wait = std::chrono::seconds(60);
  options.sleep = [&total](std::chrono::seconds s) { total += s.count(); };
  client.set_media_options(options);

  SECTION("never ends") {
    http.answer(200, R"({"data":{"id":"9"}})");
    http.answer(200, "");
    for (int i = 0; i < 20; ++i)
      http.answer(200, R"({"data":{"id":"9","processing_info":{"state":"in_progress","check_after_secs":10}}})");
    auto id = client.upload_media(MediaUpload{file, "Animated map"});
    REQUIRE_FALSE(id);
    CHECK(id.error().kind == ApiError::Kind::transient);
    CHECK_THAT(id.error().detail, Catch::Contains("still processing"));
    CHECK(total <= 60);
    CHECK(http.sent.size() == 3 + 6);  // initialize, append, finalize, then six 10 s polls fit in 60 s
  }
  SECTION("fails") {
    http.answer(200, R"({"data":{"id":"9"}})");
    http.answer(200, "");
    http.answer(200, R"({"data":{"id":"9","processing_info":{"state":"in_progress","check_after_secs":1}}})");
    http.answer(200, R"({"data":{"id":"9","processing_info":{"state":"failed",
                         "error":{"code":1,"name":"InvalidMedia","message":"Unsupported image format"}}}})");
    auto id = client.upload_media(MediaUpload{file, "Animated map"});
    REQUIRE_FALSE(id);
    CHECK(id.error().kind == ApiError::Kind::rejected);
    CHECK_THAT(id.error().detail, Catch::Contains("Unsupported image format"));
  }
}

TEST_CASE("a failed segment stops the upload with that failure", "[twitter]") {
  samvad::test::TempDir dir;
  auto file = dir.write("loop.gif", images::gif_animated());
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(200, R"({"data":{"id":"9"}})");
  http.answer(503, R"({"title":"Service Unavailable"})");
  auto id = client.upload_media(MediaUpload{file, "Animated map"});
  REQUIRE_FALSE(id);
  CHECK(id.error().kind == ApiError::Kind::transient);
  CHECK(http.sent.size() == 2);
}

TEST_CASE("alt text is required and at most 1000 characters, checked before any request", "[twitter]") {
  samvad::test::TempDir dir;
  auto file = dir.write("notice.png", images::png_1x1());
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });

  for (const std::string& bad : {std::string(), std::string("  \n"), repeat("अ", 1001), std::string("caf\xE9")}) {
    auto id = client.upload_media(MediaUpload{file, bad});
    REQUIRE_FALSE(id);
    CHECK(id.error().kind == ApiError::Kind::rejected);
  }
  CHECK_THAT(client.upload_media(MediaUpload{file, ""}).error().detail, Catch::Contains("alt text"));
  CHECK_THAT(client.upload_media(MediaUpload{file, repeat("अ", 1001)}).error().detail,
             Catch::Contains("1001 characters long; X allows at most 1000"));
  CHECK(http.sent.empty());

  // 1000 Devanagari letters are 3000 bytes but 1000 characters: allowed.
  http.answer(200, R"({"data":{"id":"1"}})");
  http.answer(200, "{}");
  REQUIRE(client.upload_media(MediaUpload{file, repeat("अ", 1000)}));
}

TEST_CASE("files that are missing or not images are rejected before any request", "[twitter]") {
  samvad::test::TempDir dir;
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  auto missing = client.upload_media(MediaUpload{dir.path() / "nope.png", "alt"});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == ApiError::Kind::rejected);
  CHECK_THAT(missing.error().detail, Catch::Contains("cannot read image"));
  auto pdf = client.upload_media(MediaUpload{dir.write("notice.pdf", "%PDF-1.7\n"), "alt"});
  REQUIRE_FALSE(pdf);
  CHECK_THAT(pdf.error().detail, Catch::Contains("is not a JPEG, PNG, GIF or WebP image"));
  CHECK(http.sent.empty());
}

TEST_CASE("PIN-based OAuth: request token, authorize URL, access token", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(200, "oauth_token=req-token&oauth_token_secret=req-secret&oauth_callback_confirmed=true");
  http.answer(200, "oauth_token=42-acc&oauth_token_secret=acc-secret&user_id=42&screen_name=pcmc_water");

  auto request = client.request_token();
  REQUIRE(request);
  CHECK(request->first == "req-token");
  CHECK(request->second == "req-secret");
  const auto& r1 = http.sent[0];
  CHECK(r1.method == "POST");
  CHECK(r1.url == "https://api.x.com/oauth/request_token");
  CHECK(header(r1, "Content-Type") == "application/x-www-form-urlencoded");
  auto p1 = oauth_params(r1);
  CHECK(p1["oauth_callback"] == "oob");
  CHECK(p1.count("oauth_token") == 0);
  oauth::Nonce with_callback = fixed_nonce;
  with_callback.extra_oauth = {{"oauth_callback", "oob"}};
  require_signed(r1, oauth::Keys{"consumer-key", "consumer-secret", "", ""}, with_callback);

  CHECK(client.authorize_url("req token") == "https://api.x.com/oauth/authorize?oauth_token=req%20token");

  auto access = client.access_token("req-token", "req-secret", " 1234567\n");
  REQUIRE(access);
  CHECK(access->token == "42-acc");
  CHECK(access->secret == "acc-secret");
  CHECK(access->user_id == "42");
  CHECK(access->screen_name == "pcmc_water");
  const auto& r2 = http.sent[1];
  CHECK(r2.url == "https://api.x.com/oauth/access_token");
  auto p2 = oauth_params(r2);
  CHECK(p2["oauth_token"] == "req-token");
  CHECK(p2["oauth_verifier"] == "1234567");
  oauth::Nonce with_verifier = fixed_nonce;
  with_verifier.extra_oauth = {{"oauth_verifier", "1234567"}};
  require_signed(r2, oauth::Keys{"consumer-key", "consumer-secret", "req-token", "req-secret"}, with_verifier);
}

TEST_CASE("a wrong PIN is a rejection with X's words", "[twitter]") {
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  http.answer(401, R"({"errors":[{"code":32,"message":"Could not authenticate you."}]})");
  auto access = client.access_token("req-token", "req-secret", "0000000");
  REQUIRE_FALSE(access);
  CHECK(access.error().kind == ApiError::Kind::rejected);
  CHECK(access.error().detail == "Could not authenticate you.");
}

TEST_CASE("the default HTTP options name samvad and its version", "[twitter]") {
  CHECK_THAT(http_options().user_agent, Catch::StartsWith("samvad/"));
  CHECK(http_options().user_agent.size() > std::string("samvad/").size());
}

TEST_CASE("a lost answer is ambiguous only where repeating could act twice", "[twitter]") {
  samvad::test::TempDir dir;
  auto file = dir.write("notice.png", images::png_1x1());
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  auto lose = [&http] {
    http.script.push_back(fail(net::TransportError{net::TransportError::Kind::receive, "empty reply", true}));
  };
  lose();
  CHECK(client.create_post("a", std::nullopt, {}).error().kind == ApiError::Kind::ambiguous);
  lose();
  CHECK(client.access_token("t", "s", "1").error().kind == ApiError::Kind::ambiguous);
  lose();
  CHECK(client.delete_post("1").error().kind == ApiError::Kind::transient);
  lose();
  CHECK(client.me().error().kind == ApiError::Kind::transient);
  lose();
  CHECK(client.recent_posts("1").error().kind == ApiError::Kind::transient);
  lose();
  CHECK(client.request_token().error().kind == ApiError::Kind::transient);
  lose();
  CHECK(client.upload_media(MediaUpload{file, "alt"}).error().kind == ApiError::Kind::transient);
  http.answer(200, R"({"data":{"id":"5"}})");
  lose();
  CHECK(client.upload_media(MediaUpload{file, "alt"}).error().kind == ApiError::Kind::transient);
}

TEST_CASE("a file larger than X takes is refused before it is read", "[twitter]") {
  samvad::test::TempDir dir;
  auto file = dir.write("huge.png", images::png_1x1());
  std::filesystem::resize_file(file, 15 * 1024 * 1024 + 1);
  ScriptedHttp http;
  Client client(http, endpoint(), [] { return fixed_nonce; });
  auto id = client.upload_media(MediaUpload{file, "alt"});
  REQUIRE_FALSE(id);
  CHECK(id.error().kind == ApiError::Kind::rejected);
  CHECK_THAT(id.error().detail, Catch::Contains("up to 15 MB"));
  CHECK(http.sent.empty());
}
