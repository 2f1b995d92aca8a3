// What X charges for what samvad asks of it (X bills every request since 2026): the price list of
// departments.yaml's twitter.prices, and the estimate of what posting a planned delivery costs,
// as pure functions the preview, the confirmation and the monthly budget share with the sender
// that records each request's cost as it is answered.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <samvad/channel/cost.hpp>
#include <samvad/store/store.hpp>

namespace samvad::twitter {

// The requests X bills, by the names the store's costs.kind records.
enum class Billed {
  post,            // POST /2/tweets without a URL in its text
  post_with_url,   // POST /2/tweets whose text has a URL (X finds bare domains too)
  reply,           // a reply to someone's mention (not a thread's next part, which is a post)
  media_metadata,  // POST /2/media/metadata: an image's alt text
  read,            // an owned read (GET /2/users/me, the account's recent posts), per item read
};
std::string to_string(Billed kind);  // "post", "post_with_url", ...

// In millionths of a US dollar; X's published rates unless departments.yaml says otherwise.
struct Prices {
  long long post = 15'000;
  long long post_with_url = 200'000;
  long long reply = 10'000;
  long long media_metadata = 5'000;
  long long read = 1'000;

  long long of(Billed kind) const;
  friend bool operator==(const Prices&, const Prices&) = default;
};

// How X bills a post of `text`: at the URL rate when twitter-text finds a URL in it, else as a
// reply when it answers a citizen's mention (`answers_mention`: the first post of samvad reply;
// a thread's next part answers our own post and is billed as a post), else as a post.
Billed post_kind(std::string_view text, bool answers_mention = false);

// What posting the parts of `delivery` that are not marked `sent` costs at `prices`: each part a
// post (post_kind; the first a reply when the delivery answers a mention), and each image of its first part, when that
// is still to send, one media metadata request for its alt text. The images are read from the delivery's content
// (spec.cpp).
channel::Cost estimate(const Prices& prices, const store::PlannedDelivery& delivery, const std::vector<bool>& sent);

// The estimate in words: "3 posts, 1 with a URL, 2 images' alt text".
std::string cost_text(const channel::Cost& cost);

}  // namespace samvad::twitter
