#include <samvad/twitter/listener.hpp>

#include <optional>
#include <type_traits>

#include <samvad/twitter/channel.hpp>
#include <samvad/twitter/client.hpp>
#include <samvad/twitter/settings.hpp>
#include <samvad/twitter/timeline.hpp>

namespace samvad::twitter {

namespace {

using channel::Heard;
using channel::ListenContext;

// One read request with the retry rule; nullopt (and heard.failure or heard.stopped set) when
// it did not succeed.
template <typename Request>
auto with_retries(const ListenContext& ctx, Heard& heard, Request request)
    -> std::optional<std::decay_t<decltype(*request())>> {
  channel::Retry retry(ctx.retry, ctx.sleep, ctx.note);
  for (;;) {
    ++heard.requests;
    auto result = request();
    if (result) return std::move(*result);
    const channel::Failure failure = failure_of(result.error());
    if (retry.again(failure)) continue;
    heard.stopped = retry.stopped();
    heard.failure = failure;
    heard.failure->detail = describe(result.error());
    return std::nullopt;
  }
}

// Every page of a timeline from `since` (or, with `one_page`, only the newest page); the newest
// id read, or nullopt when a page could not be read (what came before it is in `out`).
template <typename Path, typename Take>
std::optional<std::string> read_pages(Client& client, const ListenContext& ctx, Heard& heard, Path path, Take take,
                                      bool one_page) {
  std::string token;
  std::string newest;
  for (;;) {
    auto body = with_retries(ctx, heard, [&] { return client.read(path(token)); });
    if (!body) return std::nullopt;
    auto page = parse_timeline_page(*body);
    if (!page) {
      heard.failure =
          channel::Failure{channel::FailureKind::transient, "X's answer cannot be read: " + page.error(), {}};
      return std::nullopt;
    }
    heard.reads += page->posts.size();
    if (newer_id(page->newest_id, newest)) newest = page->newest_id;
    for (auto& post : page->posts) take(std::move(post));
    if (page->next_token.empty() || one_page) return newest;
    token = page->next_token;
  }
}

class Listener : public channel::Listener {
 public:
  explicit Listener(channel::HttpFactory http) : http_(std::move(http)) {}

  Heard listen(const store::ListenState& from, const ListenContext& ctx) override {
    Heard heard;
    heard.next = from;
    const Account* account = account_of(ctx.department);
    if (account == nullptr) return heard;
    auto http = http_(account->ca_file);
    Client client(*http, Endpoint{account->api_base, keys_for(ctx.credentials, ctx.department.id)});
    if (ctx.store) client.on_billed(cost_recorder(*ctx.store, ctx.department.id, "", account->prices));
    if (heard.next.account_id.empty()) {
      auto me = with_retries(ctx, heard, [&] { return client.me(); });
      if (!me) return heard;
      heard.next.account_id = me->id;
    }
    const std::string& id = heard.next.account_id;
    auto mentions = read_pages(
        client, ctx, heard, [&](const std::string& token) { return mentions_path(id, from.heard_since, token); },
        [&](store::InboxItem item) { heard.items.push_back(std::move(item)); }, false);
    if (!mentions) return heard;
    if (!mentions->empty()) heard.next.heard_since = *mentions;
    // The first sync reads only the newest page of the account's own posts: older ones answer
    // nothing samvad has heard.
    auto own = read_pages(
        client, ctx, heard, [&](const std::string& token) { return own_posts_path(id, from.own_since, token); },
        [&](store::InboxItem post) {
          heard.own_posts.push_back(store::OwnPost{post.id, post.in_reply_to, post.conversation_id, post.created_at});
        },
        from.own_since.empty());
    if (own && !own->empty()) heard.next.own_since = *own;
    return heard;
  }

 private:
  channel::HttpFactory http_;
};

}  // namespace

std::unique_ptr<channel::Listener> make_listener(channel::HttpFactory http) {
  return std::make_unique<Listener>(std::move(http));
}

}  // namespace samvad::twitter
