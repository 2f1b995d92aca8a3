// The X API v2 client samvad needs: create and delete posts (threads through replies), upload
// images with alt text (simple and chunked), look up the account and its recent posts, and
// the PIN-based OAuth 1.0a flow. Every request is OAuth 1.0a-signed; every failure is
// classified so the delivery engine can decide between wait, retry, defer and fail.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/channel/retry.hpp>
#include <samvad/core/media_type.hpp>
#include <samvad/core/result.hpp>
#include <samvad/net/http.hpp>
#include <samvad/oauth/signer.hpp>
#include <samvad/twitter/post_text.hpp>
#include <samvad/twitter/prices.hpp>

namespace samvad::twitter {

struct ApiError {
  enum class Kind {
    rate_limited,  // 429: retry after reset_at
    transient,     // 5xx, or a transport failure before anything was sent: retry with backoff
    ambiguous,     // the request was sent but no answer came: it may have taken effect
    duplicate,     // 403 "duplicate content": the same text is already posted
    not_found,     // 404 (deleting a post that is already gone)
    // 403 "Reply to this conversation is not allowed": since February 2026 a self-serve app may
    // reply only where the replied-to post's author mentioned (or engaged with) the account, and
    // a reply to its own post, a thread's next part, may be refused. Not worth repeating.
    reply_refused,
    rejected,  // 400/401/403 and other 4xx, or X's certificate could not be verified: do not retry
  };
  Kind kind = Kind::rejected;
  long status = 0;     // HTTP status, 0 for transport failures
  std::string detail;  // X's "detail" (or title/message), or the transport error
  std::optional<std::chrono::system_clock::time_point> reset_at;  // on 429: rate_limit_reset
  std::string limit;  // on 429: which of X's limits is used up, in words ("" when X did not say)
};

// When X takes requests again after a 429, and which limit held them back. X's answers carry
// the 15-minute window (x-rate-limit-reset) and, since 2025, 24-hour caps per account and per
// app (x-user-limit-24hour-*, x-app-limit-24hour-*; resets in epoch seconds): a cap whose
// remaining count is 0 resets up to a day later than the window, and any request before then is
// refused again, so the latest reset wins. Retry-After (seconds after `now`) only when none of
// them is there. Pure.
struct RateLimitReset {
  std::chrono::system_clock::time_point at;
  std::string limit;  // "the 15-minute limit", "the account's 24-hour limit", ...; "" for Retry-After
};
std::optional<RateLimitReset> rate_limit_reset(const net::HttpResponse& response,
                                               std::chrono::system_clock::time_point now);

std::string to_string(ApiError::Kind kind);

// The error in the words every channel's retry rule uses: a duplicate or a missing post is not
// worth repeating (rejected); a rate limit carries its reset time.
channel::Failure failure_of(const ApiError& error);

struct Post {
  std::string id;
  std::string text;             // as X returns it: NFC, URLs as t.co links, &, < and > escaped
  std::vector<UrlEntity> urls;  // what the t.co links stand for (recent_posts asks for them)
};

struct User {
  std::string id;
  std::string username;
  std::string name;
};

struct MediaUpload {
  std::filesystem::path file;
  std::string alt_text;  // required, at most 1000 characters
};

// How media uploads are cut into segments and how long X's processing is waited for. `sleep`
// is the seam that lets tests poll without waiting; by default std::this_thread::sleep_for.
struct MediaOptions {
  std::size_t segment_bytes = 4 * 1024 * 1024;       // chunked APPEND size (X allows up to 5 MB)
  std::chrono::seconds max_check_interval{30};       // cap on X's check_after_secs
  std::chrono::seconds max_processing_wait{5 * 60};  // then give up: ApiError::Kind::transient
  std::function<void(std::chrono::seconds)> sleep;
};

// Where and as whom: api_base like https://api.x.com (no trailing slash).
struct Endpoint {
  std::string api_base;
  oauth::Keys keys;
};

// Only create_post and access_token report ApiError::Kind::ambiguous: their effect cannot be
// repeated safely. For every other call a repeat is harmless, so a lost answer is transient.
class Client {
 public:
  // `nonce` makes signing deterministic in tests; by default oauth::fresh_nonce.
  Client(net::HttpClient& http, Endpoint endpoint, std::function<oauth::Nonce()> nonce = oauth::fresh_nonce);

  void set_media_options(MediaOptions options);
  // Hears every request X bills as it is answered (prices.hpp): a post (also one whose answer was
  // lost: it may be made, and billed), an image's alt text, the items of an owned read.
  using BillingHook = std::function<void(Billed kind, long long quantity)>;
  void on_billed(BillingHook hook) { billed_ = std::move(hook); }

  // POST /2/tweets {"text":..., "reply":{"in_reply_to_tweet_id":...}, "media":{"media_ids":[...]}}
  // `answers_mention`: `in_reply_to` is a citizen's post, not our own (billed as a reply).
  Result<Post, ApiError> create_post(const std::string& text, const std::optional<std::string>& in_reply_to,
                                     const std::vector<std::string>& media_ids, bool answers_mention = false);
  // DELETE /2/tweets/{id}: true when deleted; a 404 is ApiError::Kind::not_found.
  Result<bool, ApiError> delete_post(const std::string& id);
  // GET /2/users/me
  Result<User, ApiError> me();
  // GET /2/users/{id}/tweets?max_results=N&tweet.fields=entities: the account's most recent
  // posts, newest first, each with its entities.urls (N is kept within X's 5..100).
  Result<std::vector<Post>, ApiError> recent_posts(const std::string& user_id, int max_results = 100);
  // GET of a read-only endpoint ("/2/users/1001/mentions?max_results=100&..."): its JSON answer
  // (an object). Repeating it is harmless, so a lost answer is transient.
  Result<nlohmann::json, ApiError> read(const std::string& path_and_query);
  // Images up to 5 MB (not animated GIF): POST /2/media/upload (multipart media + media_category).
  // Larger files and animated GIFs: initialize / append (segments) / finalize, then polling
  // GET /2/media/upload?command=STATUS while processing. Then POST /2/media/metadata with the
  // alt text. Returns the media id. Alt text (non-empty, at most 1000 characters), the file's type
  // (by its first bytes) and size (at most 15 MB) are checked before any request.
  Result<std::string, ApiError> upload_media(const MediaUpload& media);

  // PIN-based OAuth (the keys' token fields are ignored for request_token):
  // POST /oauth/request_token with oauth_callback=oob -> {token, secret}
  Result<std::pair<std::string, std::string>, ApiError> request_token();
  // The URL the user opens to get a PIN.
  std::string authorize_url(const std::string& request_token) const;
  // POST /oauth/access_token with oauth_verifier=PIN, signed with the request token -> {token, secret, screen_name}
  struct AccessToken {
    std::string token;
    std::string secret;
    std::string user_id;
    std::string screen_name;
  };
  Result<AccessToken, ApiError> access_token(const std::string& request_token, const std::string& request_secret,
                                             const std::string& pin);

 private:
  struct Call;
  struct Image;
  struct Uploaded;
  Result<std::string, ApiError> upload(const MediaUpload& media);
  Result<Uploaded, ApiError> upload_simple(const Image& image);
  Result<Uploaded, ApiError> upload_chunked(const Image& image);
  Result<net::HttpResponse, ApiError> send(const Call& call, const oauth::Keys& keys, oauth::Nonce nonce);
  Result<net::HttpResponse, ApiError> send(const Call& call);
  Result<bool, ApiError> wait_for_processing(const std::string& media_id, std::string state, long long check_after);

  net::HttpClient& http_;
  Endpoint endpoint_;
  std::function<oauth::Nonce()> nonce_;
  MediaOptions media_;
  BillingHook billed_;
  void bill(Billed kind, long long quantity) {
    if (billed_ && quantity > 0) billed_(kind, quantity);
  }
};

// The ids of the account's recent posts (its newest 100) whose text is exactly `text` as X
// returns it (same_post_text), newest first: how a post whose answer was lost is found. The
// account's id is asked of X (GET /2/users/me) when `user_id` is empty, and kept there.
Result<std::vector<std::string>, ApiError> posts_with_text(Client& client, std::optional<std::string>& user_id,
                                                           const std::string& text);

// "X answered 403: detail" (on a 429 with the limit that is used up), or the transport failure's
// detail.
std::string describe(const ApiError& e);

// HttpOptions for talking to X: default timeouts and User-Agent samvad/<version>.
net::HttpOptions http_options();

// How samvad classifies an HTTP answer or transport failure (pure, unit-tested).
ApiError classify(const Result<net::HttpResponse, net::TransportError>& outcome);

using samvad::image_media_type;  // core/media_type.hpp
using samvad::is_animated_gif;

}  // namespace samvad::twitter
