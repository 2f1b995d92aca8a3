// The one interface between the delivery engine and a channel's sender: given a claimed
// delivery, send what is not yet sent, recording each part in the store before and after its
// request. A new channel is a new folder implementing this and a Spec (spec.hpp).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <filesystem>

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

// How every channel's failures are told apart, whatever its protocol: what the engine and the
// retry helper do with them is the same for all.
enum class FailureKind {
  transient,     // try again after a backoff (5xx, a connection refused before anything was sent)
  ambiguous,     // sent, no answer: it may have taken effect; look before sending again
  rate_limited,  // told to wait: wait up to RetryPolicy::max_wait, else defer
  rejected,      // refused for good (4xx, a certificate that cannot be verified): fail
};

struct Outcome {
  store::DeliveryStatus status = store::DeliveryStatus::pending;  // delivered, deferred or failed
  std::string error;  // why it is not delivered: shown to the user, stored as last_error
};

// How hard to try before deferring to the next run.
struct RetryPolicy {
  int max_attempts = 4;                          // per request: the first try and 3 retries
  std::chrono::milliseconds backoff_base{1000};  // 1 s, 2 s, 4 s ... plus up to 50% jitter
  std::chrono::seconds max_wait{60};             // --max-wait: longest wait for a rate limit
};

// The wait before retry number `attempt` (0-based): backoff_base doubled each time, plus up
// to 50% random jitter so that many departments do not retry in step.
std::chrono::milliseconds backoff(const RetryPolicy& policy, int attempt);

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
