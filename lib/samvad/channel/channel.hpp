// The one interface between the delivery engine and a channel's sender: given a claimed
// delivery, send what is not yet sent, recording each part in the store before and after its
// request. A new channel is a new folder implementing this and a Spec (spec.hpp).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <filesystem>

#include <samvad/channel/retry.hpp>
#include <samvad/config/config.hpp>
#include <samvad/config/credentials.hpp>
#include <samvad/core/localized.hpp>
#include <samvad/net/http.hpp>
#include <samvad/store/store.hpp>

namespace samvad::channel {

// An image attached to the first post of every thread, with its alt text per language
// (a single --alt text is used for every language).
struct MediaItem {
  std::filesystem::path file;
  Localized alt;
  std::string alt_for(const LanguageCode& lang) const;
};

// A file given with --attach, pinned by its bytes.
struct Attachment {
  std::filesystem::path path;  // absolute; read again when sent, and checked against sha256
  std::string name;            // the file name shown to the reader
  std::string content_type;    // e.g. application/pdf
  std::string sha256;          // hex, of the bytes planned
  std::uintmax_t size = 0;
};

struct Outcome {
  store::DeliveryStatus status = store::DeliveryStatus::pending;  // delivered, deferred or failed
  std::string error;  // why it is not delivered: shown to the user, stored as last_error
  // Deferred by a rate limit: when the service takes requests again. The engine records it and
  // leaves the delivery alone until then (a request before it would only be refused again).
  std::optional<std::chrono::system_clock::time_point> retry_at = std::nullopt;
};

// What a channel needs besides the delivery itself. Sleeping goes through `sleep` so tests
// and signal handling can cut waits short; it returns false when the run is being stopped.
struct DeliveryContext {
  const config::Department& department;
  const config::Credentials& credentials;
  const std::vector<MediaItem>& media;
  const RetryPolicy& retry;
  std::function<bool(std::chrono::milliseconds)> sleep;
  std::function<void(const std::string&)> note;  // progress detail for -v
  // True once the run is asked to stop (SIGINT/SIGTERM): a channel finishes and records the
  // request in flight, then returns deferred instead of starting the next part or batch.
  std::function<bool()> stopping = [] { return false; };
};

// The retry helper for one request of a delivery: the context's policy, sleep and -v notes.
inline Retry retry_for(const DeliveryContext& context) { return Retry(context.retry, context.sleep, context.note); }

// Runs `request` (returning a Result) until it succeeds or the retry rule gives up, and returns
// its last result; `failure_of` classifies the request's error.
template <typename Request, typename Classify>
auto with_retries(const DeliveryContext& context, Request request, Classify failure_of) -> decltype(request()) {
  Retry retry = retry_for(context);
  for (;;) {
    auto result = request();
    if (result.ok() || !retry.again(failure_of(result.error()))) return result;
  }
}

class Sender {
 public:
  virtual ~Sender() = default;
  virtual Outcome deliver(store::Store& store, const store::Delivery& delivery, const DeliveryContext& context) = 0;
};

// Real HTTP (or a test's) for a channel that talks HTTP, trusting `ca_file` besides the system's
// anchors when given.
using HttpFactory = std::function<std::unique_ptr<net::HttpClient>(const std::optional<std::string>& ca_file)>;

// What the program gives channels from outside: the seams tests replace.
struct Services {
  HttpFactory http;
};

}  // namespace samvad::channel
