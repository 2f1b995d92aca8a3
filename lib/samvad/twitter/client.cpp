#include <samvad/twitter/client.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <sstream>
#include <thread>
#include <tuple>

#include <nlohmann/json.hpp>

#include <samvad/core/file.hpp>
#include <samvad/core/version.hpp>

namespace samvad::twitter {

using json = nlohmann::json;

namespace {

// X's limits (docs.x.com, media best practices): images up to 5 MB go in one request; alt text
// at most 1000 characters.
constexpr std::size_t simple_upload_limit = 5 * 1024 * 1024;
constexpr std::size_t max_alt_text = 1000;

bool is_success(long status) { return status >= 200 && status < 300; }

std::optional<json> parse_json(const std::string& body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// X sends ids as strings (64-bit integers do not survive JavaScript); accept a number too.
std::optional<std::string> id_string(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_unsigned()) return std::to_string(j.get<unsigned long long>());
  if (j.is_number_integer()) return std::to_string(j.get<long long>());
  return std::nullopt;
}

const json* member(const json& j, const char* name) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(name);
  return it == j.end() ? nullptr : &*it;
}

std::string string_member(const json& j, const char* name) {
  const json* m = member(j, name);
  return m != nullptr && m->is_string() ? m->get<std::string>() : std::string();
}

// The "data" object of a v2 answer, or nullptr.
const json* data_of(const std::optional<json>& body) {
  if (!body) return nullptr;
  const json* data = member(*body, "data");
  return data != nullptr && data->is_object() ? data : nullptr;
}
// The pointer would outlive a temporary body.
const json* data_of(const std::optional<json>&&) = delete;

// For calls a repeat cannot harm (reads, deletes, uploads of media nobody has attached yet, a new
// request token), a lost answer is only a reason to try again.
ApiError repeatable(ApiError e) {
  if (e.kind == ApiError::Kind::ambiguous) e.kind = ApiError::Kind::transient;
  return e;
}

ApiError local_error(ApiError::Kind kind, std::string detail) {
  ApiError e;
  e.kind = kind;
  e.detail = std::move(detail);
  return e;
}

// An answer that was a success but not in the shape X documents: the request did take effect,
// we only cannot tell what it produced.
ApiError unreadable(const net::HttpResponse& response, const std::string& what, ApiError::Kind kind) {
  ApiError e = local_error(kind, "X answered HTTP " + std::to_string(response.status) + " but " + what);
  e.status = response.status;
  return e;
}

std::string reason_phrase(long status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::string status_line(long status) {
  std::string phrase = reason_phrase(status);
  return "HTTP " + std::to_string(status) + (phrase.empty() ? "" : " " + phrase);
}

// X's explanation, in the order its two error shapes carry it: RFC 7807 problem details
// ({"title","detail"}) and the older {"errors":[{"message"}]}.
std::string explanation(const net::HttpResponse& response) {
  if (auto body = parse_json(response.body); body && body->is_object()) {
    if (auto detail = string_member(*body, "detail"); !detail.empty()) return detail;
    if (auto title = string_member(*body, "title"); !title.empty()) return title;
    if (const json* errors = member(*body, "errors"); errors != nullptr && errors->is_array() && !errors->empty()) {
      if (auto message = string_member(errors->front(), "message"); !message.empty()) return message;
      if (auto detail = string_member(errors->front(), "detail"); !detail.empty()) return detail;
    }
  }
  return status_line(response.status);
}

std::optional<std::chrono::system_clock::time_point> epoch_seconds(const std::string& text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  try {
    return std::chrono::system_clock::time_point(std::chrono::seconds(std::stoll(text)));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    unsigned cp = len == 1 ? c : static_cast<unsigned>(c & (0xFF >> (len + 1)));
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | static_cast<unsigned>(cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8 (RFC 3629 section 3).
    static constexpr unsigned min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return false;
    i += len;
  }
  return true;
}

size_t code_points(const std::string& utf8) {
  return static_cast<size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

std::optional<std::string> check_alt_text(const std::string& alt) {
  if (!valid_utf8(alt)) return std::string("the alt text is not valid UTF-8");
  if (std::all_of(alt.begin(), alt.end(), [](unsigned char c) { return std::isspace(c); }))
    return std::string("every image needs alt text (a description for people using screen readers); it is empty");
  if (auto n = code_points(alt); n > max_alt_text)
    return "the alt text is " + std::to_string(n) + " characters long; X allows at most " +
           std::to_string(max_alt_text);
  return std::nullopt;
}

std::optional<long long> integer_member(const json& j, const char* name) {
  const json* m = member(j, name);
  if (m == nullptr || !m->is_number()) return std::nullopt;
  return m->get<long long>();
}

std::string path_segment(const std::string& s) { return oauth::percent_encode(s); }

}  // namespace

std::string to_string(ApiError::Kind kind) {
  switch (kind) {
    case ApiError::Kind::rate_limited:
      return "rate_limited";
    case ApiError::Kind::transient:
      return "transient";
    case ApiError::Kind::ambiguous:
      return "ambiguous";
    case ApiError::Kind::duplicate:
      return "duplicate";
    case ApiError::Kind::not_found:
      return "not_found";
    case ApiError::Kind::reply_refused:
      return "reply_refused";
    case ApiError::Kind::rejected:
      return "rejected";
  }
  return "unknown";
}

channel::Failure failure_of(const ApiError& error) {
  channel::Failure f{channel::FailureKind::rejected, error.detail, std::nullopt};
  switch (error.kind) {
    case ApiError::Kind::transient:
      f.kind = channel::FailureKind::transient;
      break;
    case ApiError::Kind::ambiguous:
      f.kind = channel::FailureKind::ambiguous;
      break;
    case ApiError::Kind::rate_limited:
      f.kind = channel::FailureKind::rate_limited;
      f.retry_at = error.reset_at;
      break;
    case ApiError::Kind::duplicate:
    case ApiError::Kind::not_found:
    case ApiError::Kind::reply_refused:
    case ApiError::Kind::rejected:
      break;
  }
  return f;
}

net::HttpOptions http_options() {
  net::HttpOptions options;
  options.user_agent = std::string("samvad/") + samvad::version;
  return options;
}

std::optional<RateLimitReset> rate_limit_reset(const net::HttpResponse& response,
                                               std::chrono::system_clock::time_point now) {
  std::optional<RateLimitReset> latest;
  const auto consider = [&](const char* reset_header, const char* limit) {
    auto at = epoch_seconds(response.header(reset_header).value_or(""));
    if (at && (!latest || *at > latest->at)) latest = RateLimitReset{*at, limit};
  };
  // A 24-hour cap that still has requests left is not what refused this one.
  const auto used_up = [&](const char* remaining_header) { return response.header(remaining_header) == "0"; };
  consider("x-rate-limit-reset", "the 15-minute limit");
  if (used_up("x-user-limit-24hour-remaining")) consider("x-user-limit-24hour-reset", "the account's 24-hour limit");
  if (used_up("x-app-limit-24hour-remaining"))
    consider("x-app-limit-24hour-reset", "the app's 24-hour limit (shared by every account that posts through it)");
  if (latest) return latest;
  // Retry-After (seconds, RFC 9110 section 10.2.3) when X leaves the reset times out.
  if (auto after = epoch_seconds(response.header("retry-after").value_or("")))
    return RateLimitReset{now + after->time_since_epoch(), ""};
  return std::nullopt;
}

ApiError classify(const Result<net::HttpResponse, net::TransportError>& outcome) {
  ApiError e;
  if (!outcome) {
    const auto& t = outcome.error();
    // Once the request may have reached X, a retry could post twice: only the caller, who can
    // look at the account's recent posts, may decide.
    e.kind = t.maybe_delivered ? ApiError::Kind::ambiguous : ApiError::Kind::transient;
    e.detail = t.message;
    if (t.kind == net::TransportError::Kind::certificate) {
      // Nothing was sent, and no rerun changes whom the system (or twitter.ca_file) trusts.
      e.kind = ApiError::Kind::rejected;
      e.detail = "the certificate of X's server could not be verified (" + t.message +
                 "); certificates are always verified: a private CA or an inspecting proxy's goes in twitter.ca_file";
    }
    return e;
  }
  const net::HttpResponse& r = *outcome;
  e.status = r.status;
  e.detail = explanation(r);
  if (r.status == 429) {
    e.kind = ApiError::Kind::rate_limited;
    if (auto reset = rate_limit_reset(r, std::chrono::system_clock::now())) {
      e.reset_at = reset->at;
      e.limit = reset->limit;
    }
  } else if (r.status >= 500) {
    e.kind = ApiError::Kind::transient;
  } else if (r.status == 408) {
    // The server gave up waiting for the request before acting on it.
    e.kind = ApiError::Kind::transient;
  } else if (r.status == 403 && e.detail.find("duplicate content") != std::string::npos) {
    e.kind = ApiError::Kind::duplicate;
  } else if (r.status == 403 && e.detail.starts_with("Reply to this conversation is not allowed")) {
    e.kind = ApiError::Kind::reply_refused;
  } else if (r.status == 404) {
    e.kind = ApiError::Kind::not_found;
  } else {
    e.kind = ApiError::Kind::rejected;
  }
  return e;
}

// One request to X: where, what, and how the body is built.
struct Client::Call {
  std::string method;
  std::string path;  // "/2/tweets", with a query if any (it is signed)
  std::optional<json> body;
  bool form = false;  // an (empty) application/x-www-form-urlencoded body, for /oauth/*
  std::vector<net::MultipartField> multipart;
};

Client::Client(net::HttpClient& http, Endpoint endpoint, std::function<oauth::Nonce()> nonce)
    : http_(http), endpoint_(std::move(endpoint)), nonce_(std::move(nonce)) {}

void Client::set_media_options(MediaOptions options) { media_ = std::move(options); }

Result<net::HttpResponse, ApiError> Client::send(const Call& call) { return send(call, endpoint_.keys, nonce_()); }

Result<net::HttpResponse, ApiError> Client::send(const Call& call, const oauth::Keys& keys, oauth::Nonce nonce) {
  net::HttpRequest request;
  request.method = call.method;
  request.url = endpoint_.api_base + call.path;
  // JSON and multipart bodies are not part of the OAuth 1.0a signature (RFC 5849 section 3.4.1.3
  // covers only form bodies); the query is, through the URL.
  request.headers.emplace_back("Authorization",
                               oauth::authorization_header(oauth::Request{call.method, request.url, {}}, keys, nonce));
  if (call.body) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = call.body->dump();
  } else if (call.form) {
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  }
  request.multipart = call.multipart;
  auto outcome = http_.send(request);
  if (outcome && is_success(outcome->status)) return std::move(*outcome);
  return fail(classify(outcome));
}

Result<Post, ApiError> Client::create_post(const std::string& text, const std::optional<std::string>& in_reply_to,
                                           const std::vector<std::string>& media_ids, bool answers_mention) {
  if (!valid_utf8(text)) return fail(local_error(ApiError::Kind::rejected, "the post text is not valid UTF-8"));
  json request = {{"text", text}};
  if (in_reply_to) request["reply"] = {{"in_reply_to_tweet_id", *in_reply_to}};
  if (!media_ids.empty()) request["media"] = {{"media_ids", media_ids}};
  auto response = send(Call{"POST", "/2/tweets", request, false, {}});
  if (response || response.error().kind == ApiError::Kind::ambiguous) bill(post_kind(text, answers_mention), 1);
  if (!response) return fail(response.error());
  auto body = parse_json(response->body);
  const json* data = data_of(body);
  std::optional<std::string> id = data != nullptr && member(*data, "id") ? id_string((*data)["id"]) : std::nullopt;
  // The post exists, but without its id the caller cannot record it: as uncertain as a lost answer.
  if (!id) return fail(unreadable(*response, "its answer has no post id", ApiError::Kind::ambiguous));
  Post post{*id, string_member(*data, "text"), {}};
  if (post.text.empty()) post.text = text;
  return post;
}

Result<bool, ApiError> Client::delete_post(const std::string& id) {
  auto response = send(Call{"DELETE", "/2/tweets/" + path_segment(id), std::nullopt, false, {}});
  // Deleting twice is harmless: the second answer is a 404, which the caller reads as "gone".
  if (!response) return fail(repeatable(response.error()));
  auto body = parse_json(response->body);
  const json* data = data_of(body);
  const json* deleted = data != nullptr ? member(*data, "deleted") : nullptr;
  return deleted != nullptr && deleted->is_boolean() ? deleted->get<bool>() : true;
}

Result<User, ApiError> Client::me() {
  auto response = send(Call{"GET", "/2/users/me", std::nullopt, false, {}});
  if (!response) return fail(repeatable(response.error()));
  bill(Billed::read, 1);
  auto body = parse_json(response->body);
  const json* data = data_of(body);
  std::optional<std::string> id = data != nullptr && member(*data, "id") ? id_string((*data)["id"]) : std::nullopt;
  if (!id) return fail(unreadable(*response, "its answer has no user id", ApiError::Kind::transient));
  return User{*id, string_member(*data, "username"), string_member(*data, "name")};
}

Result<json, ApiError> Client::read(const std::string& path_and_query) {
  auto response = send(Call{"GET", path_and_query, std::nullopt, false, {}});
  if (!response) return fail(repeatable(response.error()));
  auto body = parse_json(response->body);
  if (!body || !body->is_object())
    return fail(unreadable(*response, "its answer is not a JSON object", ApiError::Kind::transient));
  // X bills an owned read per item it returns.
  if (auto data = body->find("data"); data != body->end() && data->is_array())
    bill(Billed::read, static_cast<long long>(data->size()));
  return std::move(*body);
}

Result<std::vector<Post>, ApiError> Client::recent_posts(const std::string& user_id, int max_results) {
  // X accepts 5..100 for this endpoint.
  max_results = std::clamp(max_results, 5, 100);
  // The entities say what each t.co link in a post's text stands for: without them two posts that
  // differ only in a link cannot be told apart.
  auto response = send(Call{"GET",
                            "/2/users/" + path_segment(user_id) + "/tweets?max_results=" + std::to_string(max_results) +
                                "&tweet.fields=entities",
                            std::nullopt,
                            false,
                            {}});
  if (!response) return fail(repeatable(response.error()));
  auto body = parse_json(response->body);
  if (!body || !body->is_object())
    return fail(unreadable(*response, "its answer is not a JSON object", ApiError::Kind::transient));
  std::vector<Post> posts;
  // An account without posts gets no "data" at all.
  const json* data = member(*body, "data");
  if (data == nullptr) return posts;
  if (!data->is_array()) return fail(unreadable(*response, "its \"data\" is not a list", ApiError::Kind::transient));
  bill(Billed::read, static_cast<long long>(data->size()));
  for (const auto& item : *data) {
    auto id = member(item, "id") ? id_string(item["id"]) : std::nullopt;
    if (!id) continue;
    Post post{*id, string_member(item, "text"), {}};
    const json* entities = member(item, "entities");
    const json* urls = entities != nullptr ? member(*entities, "urls") : nullptr;
    if (urls != nullptr && urls->is_array()) {
      for (const auto& u : *urls) {
        UrlEntity entity;
        entity.start = static_cast<std::size_t>(std::max(integer_member(u, "start").value_or(0), 0LL));
        entity.end = static_cast<std::size_t>(std::max(integer_member(u, "end").value_or(0), 0LL));
        entity.url = string_member(u, "url");
        entity.expanded_url = string_member(u, "expanded_url");
        post.urls.push_back(std::move(entity));
      }
    }
    posts.push_back(std::move(post));
  }
  return posts;
}

Result<std::vector<std::string>, ApiError> posts_with_text(Client& client, std::optional<std::string>& user_id,
                                                           const std::string& text) {
  if (!user_id) {
    auto me = client.me();
    if (!me) return fail(me.error());
    user_id = me->id;
  }
  auto posts = client.recent_posts(*user_id, 100);
  if (!posts) return fail(posts.error());
  std::vector<std::string> ids;
  for (const auto& p : *posts)
    if (same_post_text(text, p.text, p.urls)) ids.push_back(p.id);
  return ids;
}

std::string describe(const ApiError& e) {
  return (e.status ? "X answered " + std::to_string(e.status) + ": " : std::string()) + e.detail +
         (e.limit.empty() ? std::string() : "; " + e.limit + " is used up");
}

Result<std::string, ApiError> Client::upload_media(const MediaUpload& media) {
  // Media nobody has attached yet is invisible and expires: uploading again is always safe.
  auto id = upload(media);
  if (!id) return fail(repeatable(id.error()));
  return id;
}

// An image read and recognised, ready to upload.
struct Client::Image {
  std::string bytes;
  std::string type;  // image/jpeg, image/png, image/gif or image/webp
  bool animated = false;
  std::string filename;
};

// A media id, and X's processing state if it is still working on the upload.
struct Client::Uploaded {
  std::string media_id;
  std::string state;
  long long check_after = 0;
};

namespace {

// Reads `file` with the limit for images (15 MB, X's largest, for a GIF): anything bigger is
// refused before it is read into memory.
Result<std::pair<std::string, std::string>, ApiError> read_image(const std::filesystem::path& file) {
  auto read = read_whole_file(file, FileKind::media);
  if (!read)
    return fail(local_error(
        ApiError::Kind::rejected,
        "cannot read image " + file.string() + ": " + read.error().message +
            (read.error().reason == FileProblem::Reason::too_large ? " (X takes images up to 5 MB and GIFs up to 15 MB)"
                                                                   : "")));
  auto type = image_media_type(*read);
  if (!type)
    return fail(local_error(ApiError::Kind::rejected,
                            file.string() + " is not a JPEG, PNG, GIF or WebP image (judged by its first bytes)"));
  return std::make_pair(std::move(*read), std::string(*type));
}

// The media id of an upload answer (simple upload or INITIALIZE), with any processing state.
Result<std::tuple<std::string, std::string, long long>, ApiError> media_id_of(const net::HttpResponse& response) {
  auto body = parse_json(response.body);
  const json* data = data_of(body);
  auto id = data != nullptr && member(*data, "id") ? id_string((*data)["id"]) : std::nullopt;
  if (!id) return fail(unreadable(response, "its answer has no media id", ApiError::Kind::transient));
  const json* info = member(*data, "processing_info");
  if (info == nullptr) return std::make_tuple(*id, std::string(), 0LL);
  return std::make_tuple(*id, string_member(*info, "state"), integer_member(*info, "check_after_secs").value_or(0));
}

}  // namespace

Result<std::string, ApiError> Client::upload(const MediaUpload& media) {
  // Checked before anything is sent: an upload without usable alt text would be wasted.
  if (auto why = check_alt_text(media.alt_text)) return fail(local_error(ApiError::Kind::rejected, *why));
  auto read = read_image(media.file);
  if (!read) return fail(read.error());
  Image image{std::move(read->first), read->second, false, media.file.filename().string()};
  image.animated = image.type == "image/gif" && is_animated_gif(image.bytes);

  auto uploaded =
      image.bytes.size() <= simple_upload_limit && !image.animated ? upload_simple(image) : upload_chunked(image);
  if (!uploaded) return fail(uploaded.error());
  if (!uploaded->state.empty()) {
    auto processed = wait_for_processing(uploaded->media_id, uploaded->state, uploaded->check_after);
    if (!processed) return fail(processed.error());
  }
  json metadata = {{"id", uploaded->media_id}, {"metadata", {{"alt_text", {{"text", media.alt_text}}}}}};
  auto described = send(Call{"POST", "/2/media/metadata", metadata, false, {}});
  if (!described) return fail(described.error());
  bill(Billed::media_metadata, 1);
  return uploaded->media_id;
}

Result<Client::Uploaded, ApiError> Client::upload_simple(const Image& image) {
  auto response = send(Call{"POST",
                            "/2/media/upload",
                            std::nullopt,
                            false,
                            {net::MultipartField{"media", image.bytes, image.filename, image.type},
                             net::MultipartField{"media_category", "tweet_image", std::nullopt, std::nullopt}}});
  if (!response) return fail(response.error());
  auto id = media_id_of(*response);
  if (!id) return fail(id.error());
  auto& [media_id, state, check_after] = *id;
  return Uploaded{media_id, state, check_after};
}

// INITIALIZE, APPEND in segments of MediaOptions::segment_bytes, FINALIZE.
Result<Client::Uploaded, ApiError> Client::upload_chunked(const Image& image) {
  json init = {{"media_type", image.type},
               {"total_bytes", image.bytes.size()},
               {"media_category", image.animated ? "tweet_gif" : "tweet_image"}};
  auto response = send(Call{"POST", "/2/media/upload/initialize", init, false, {}});
  if (!response) return fail(response.error());
  auto id = media_id_of(*response);
  if (!id) return fail(id.error());
  Uploaded out{std::get<0>(*id), "", 0};
  const std::string base = "/2/media/upload/" + path_segment(out.media_id);
  const size_t segment = std::max<size_t>(media_.segment_bytes, 1);
  for (size_t offset = 0, index = 0; offset < image.bytes.size(); offset += segment, ++index) {
    auto appended =
        send(Call{"POST",
                  base + "/append",
                  std::nullopt,
                  false,
                  {net::MultipartField{"media", image.bytes.substr(offset, segment), image.filename,
                                       std::string("application/octet-stream")},
                   net::MultipartField{"segment_index", std::to_string(index), std::nullopt, std::nullopt}}});
    if (!appended) return fail(appended.error());
  }
  auto finalized = send(Call{"POST", base + "/finalize", std::nullopt, false, {}});
  if (!finalized) return fail(finalized.error());
  auto finalize_body = parse_json(finalized->body);
  if (const json* data = data_of(finalize_body))
    if (const json* info = member(*data, "processing_info")) {
      out.state = string_member(*info, "state");
      out.check_after = integer_member(*info, "check_after_secs").value_or(0);
    }
  return out;
}

// X processes animated GIFs (and sometimes large images) after FINALIZE; the media id cannot be
// attached before the state is "succeeded". Polls no sooner than X asks (check_after_secs), no
// later than max_check_interval, and gives up after max_processing_wait in total.
Result<bool, ApiError> Client::wait_for_processing(const std::string& media_id, std::string state,
                                                   long long check_after) {
  using std::chrono::seconds;
  seconds waited{0};
  std::string failure;
  while (true) {
    if (state == "succeeded") return true;
    if (state == "failed")
      return fail(local_error(ApiError::Kind::rejected,
                              "X could not process media " + media_id + (failure.empty() ? "" : ": " + failure)));
    seconds interval = std::clamp(seconds(check_after), seconds(1), std::max(media_.max_check_interval, seconds(1)));
    if (waited + interval > media_.max_processing_wait)
      return fail(local_error(ApiError::Kind::transient, "X was still processing media " + media_id + " after " +
                                                             std::to_string(waited.count()) + " s"));
    if (media_.sleep)
      media_.sleep(interval);
    else
      std::this_thread::sleep_for(interval);
    waited += interval;

    auto response = send(Call{
        "GET", "/2/media/upload?command=STATUS&media_id=" + oauth::percent_encode(media_id), std::nullopt, false, {}});
    if (!response) return fail(response.error());
    auto body = parse_json(response->body);
    const json* data = data_of(body);
    // v2 nests processing_info in "data"; the v1.1 shape has it at the top.
    const json* info = data != nullptr ? member(*data, "processing_info") : nullptr;
    if (info == nullptr && body) info = member(*body, "processing_info");
    // No processing_info: nothing left to wait for (as after a synchronous FINALIZE).
    if (info == nullptr) return true;
    state = string_member(*info, "state");
    if (state.empty()) return true;
    check_after = integer_member(*info, "check_after_secs").value_or(0);
    if (const json* error = member(*info, "error")) {
      failure = string_member(*error, "message");
      if (failure.empty()) failure = string_member(*error, "name");
    }
  }
}

Result<std::pair<std::string, std::string>, ApiError> Client::request_token() {
  oauth::Keys keys = endpoint_.keys;
  keys.token.clear();
  keys.token_secret.clear();
  oauth::Nonce nonce = nonce_();
  // "oob": no callback URL; the user copies a PIN instead (PIN-based OAuth).
  nonce.extra_oauth.emplace_back("oauth_callback", "oob");
  auto response = send(Call{"POST", "/oauth/request_token", std::nullopt, true, {}}, keys, std::move(nonce));
  if (!response) return fail(repeatable(response.error()));
  std::string token, secret;
  for (const auto& [name, value] : oauth::parse_form(response->body)) {
    if (name == "oauth_token") token = value;
    if (name == "oauth_token_secret") secret = value;
  }
  if (token.empty() || secret.empty())
    return fail(
        unreadable(*response, "its answer has no oauth_token and oauth_token_secret", ApiError::Kind::transient));
  return std::make_pair(token, secret);
}

std::string Client::authorize_url(const std::string& request_token) const {
  return endpoint_.api_base + "/oauth/authorize?oauth_token=" + oauth::percent_encode(request_token);
}

Result<Client::AccessToken, ApiError> Client::access_token(const std::string& request_token,
                                                           const std::string& request_secret, const std::string& pin) {
  oauth::Keys keys{endpoint_.keys.consumer_key, endpoint_.keys.consumer_secret, request_token, request_secret};
  std::string verifier = pin;
  verifier.erase(std::remove_if(verifier.begin(), verifier.end(), [](unsigned char c) { return std::isspace(c); }),
                 verifier.end());
  oauth::Nonce nonce = nonce_();
  nonce.extra_oauth.emplace_back("oauth_verifier", verifier);
  auto response = send(Call{"POST", "/oauth/access_token", std::nullopt, true, {}}, keys, std::move(nonce));
  if (!response) return fail(response.error());
  AccessToken token;
  for (const auto& [name, value] : oauth::parse_form(response->body)) {
    if (name == "oauth_token") token.token = value;
    if (name == "oauth_token_secret") token.secret = value;
    if (name == "user_id") token.user_id = value;
    if (name == "screen_name") token.screen_name = value;
  }
  if (token.token.empty() || token.secret.empty())
    return fail(
        unreadable(*response, "its answer has no oauth_token and oauth_token_secret", ApiError::Kind::transient));
  return token;
}

}  // namespace samvad::twitter
