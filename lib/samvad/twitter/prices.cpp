#include <samvad/twitter/prices.hpp>

#include <nlohmann/json.hpp>

#include <samvad/text/url_extract.hpp>
#include <samvad/twitter/channel.hpp>

namespace samvad::twitter {

std::string to_string(Billed kind) {
  switch (kind) {
    case Billed::post:
      return "post";
    case Billed::post_with_url:
      return "post_with_url";
    case Billed::reply:
      return "reply";
    case Billed::media_metadata:
      return "media_metadata";
    case Billed::read:
      return "read";
  }
  return "post";
}

long long Prices::of(Billed kind) const {
  switch (kind) {
    case Billed::post:
      return post;
    case Billed::post_with_url:
      return post_with_url;
    case Billed::reply:
      return reply;
    case Billed::media_metadata:
      return media_metadata;
    case Billed::read:
      return read;
  }
  return post;
}

Billed post_kind(std::string_view text, bool answers_mention) {
  if (!text::extract_urls(text).empty()) return Billed::post_with_url;
  return answers_mention ? Billed::reply : Billed::post;
}

namespace {

std::size_t images_of(const nlohmann::json& content) {
  if (!content.is_object()) return 0;
  auto media = content.find("media");
  return media != content.end() && media->is_array() ? media->size() : 0;
}

}  // namespace

channel::Cost estimate(const Prices& prices, const store::PlannedDelivery& delivery, const std::vector<bool>& sent) {
  channel::Cost cost;
  const auto content = nlohmann::json::parse(delivery.content, nullptr, false);
  for (std::size_t i = 0; i < delivery.part_payloads.size(); ++i) {
    if (i < sent.size() && sent[i]) continue;
    const Billed kind = post_kind(delivery.part_payloads[i], i == 0 && answered_post(delivery.content).has_value());
    cost.add(to_string(kind), 1, prices.of(kind));
    if (i == 0) {
      const auto images = static_cast<long long>(images_of(content));
      cost.add(to_string(Billed::media_metadata), images, prices.media_metadata);
    }
  }
  return cost;
}

std::string cost_text(const channel::Cost& cost) {
  auto count_of = [&](Billed kind) { return cost.count(to_string(kind)); };
  std::string text;
  auto add = [&text](long long n, const std::string& one, const std::string& many) {
    if (n > 0) text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + (n == 1 ? one : many);
  };
  add(count_of(Billed::post) + count_of(Billed::post_with_url), "post", "posts");
  add(count_of(Billed::post_with_url), "with a URL", "with a URL");
  add(count_of(Billed::reply), "reply", "replies");
  add(count_of(Billed::media_metadata), "image's alt text", "images' alt text");
  add(count_of(Billed::read), "item read", "items read");
  return text.empty() ? "nothing billed" : text;
}

}  // namespace samvad::twitter
