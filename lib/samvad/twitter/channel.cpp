#include <samvad/twitter/channel.hpp>

#include <fstream>

#include <samvad/text/url_extract.hpp>
#include <samvad/twitter/client.hpp>

namespace samvad::twitter {

oauth::Keys keys_for(const config::Credentials& credentials, const std::string& department) {
  const config::TwitterApp* app = credentials.twitter_app_for(department);
  const config::TwitterToken* token = credentials.twitter_token_for(department);
  if (!app) throw Error(ExitCode::config, "no twitter_app in " + credentials.path.string() + " for department " + department);
  if (!token)
    throw Error(ExitCode::config, "no access token for department " + department + " in " + credentials.path.string() +
                                      "; expected departments." + department + ".twitter (samvad authorize " + department + ")");
  return oauth::Keys{app->consumer_key.reveal(), app->consumer_secret.reveal(), token->access_token.reveal(),
                     token->access_token_secret.reveal()};
}

namespace {

std::string loosen(const std::string& text) {
  std::string out;
  std::size_t last = 0;
  for (const auto& span : text::extract_urls(text)) {
    out += text.substr(last, span.begin - last) + "<url>";
    last = span.end;
  }
  out += text.substr(last);
  // X returns &, < and > as HTML entities in post text.
  for (auto [entity, plain] : {std::pair{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}}) {
    for (std::size_t pos; (pos = out.find(entity)) != std::string::npos;) out.replace(pos, std::string(entity).size(), plain);
  }
  return out;
}

class TwitterChannel : public delivery::Channel {
 public:
  explicit TwitterChannel(HttpFactory http) : http_factory_(std::move(http)) {}

  delivery::Outcome deliver(store::Store& st, const store::Delivery& d, const delivery::DeliveryContext& ctx) override {
    using store::PartStatus;
    if (!ctx.department.twitter)
      return {store::DeliveryStatus::failed, "department " + d.department + " has no X account in the configuration"};
    auto http = http_factory_(*ctx.department.twitter);
    Client client(*http, Endpoint{ctx.department.twitter->api_base, keys_for(ctx.credentials, d.department)});

    std::optional<std::string> reply_to;
    std::optional<std::string> user_id;
    for (const auto& part : d.parts) {
      std::string label = "part " + std::to_string(part.index + 1) + "/" + std::to_string(d.parts.size());
      if (part.status == PartStatus::delivered || part.status == PartStatus::retracted) {
        if (part.remote_id.empty())
          return {store::DeliveryStatus::deferred, label + " is posted but its id is unknown, so the thread cannot continue"};
        reply_to = part.remote_id;
        continue;
      }
      if (ctx.stopping()) return {store::DeliveryStatus::deferred, "stopped before " + label + "; the next run posts the rest"};
      if (part.status == PartStatus::in_flight || part.status == PartStatus::ambiguous) {
        // An earlier run sent this part and never heard back: it may be on X already.
        auto found = find_recent(client, user_id, part.payload);
        if (!found.ok()) return {store::DeliveryStatus::deferred, label + " may already be posted and X could not be asked: " + found.error().detail};
        if (*found) {
          st.set_part_status(d.id, part.index, PartStatus::delivered, **found);
          ctx.note(label + " was already posted as " + **found);
          reply_to = **found;
          continue;
        }
      }
      std::vector<std::string> media_ids;
      if (part.index == 0 && !ctx.media.empty()) {
        for (const auto& m : ctx.media) {
          auto uploaded = with_retries(ctx, [&] { return client.upload_media(MediaUpload{m.file, m.alt_for(d.language)}); });
          if (!uploaded.ok()) return settle_failure(st, d, part, uploaded.error(), "uploading " + m.file.filename().string(), false);
          media_ids.push_back(*uploaded);
        }
      }
      st.set_part_status(d.id, part.index, PartStatus::in_flight);
      auto posted = with_retries(ctx, [&] { return client.create_post(part.payload, reply_to, media_ids); });
      if (posted.ok()) {
        st.set_part_status(d.id, part.index, PartStatus::delivered, posted->id);
        ctx.note(label + " posted as " + posted->id);
        reply_to = posted->id;
        continue;
      }
      if (posted.error().kind == ApiError::Kind::duplicate) {
        // X says this exact text is already on the account: never post it again.
        auto found = find_recent(client, user_id, part.payload);
        std::string id = found.ok() && *found ? **found : std::string();
        st.set_part_status(d.id, part.index, PartStatus::delivered, id, "X: duplicate content; already posted");
        if (id.empty()) {
          if (&part != &d.parts.back())
            return {store::DeliveryStatus::deferred, label + " is already on X but its id was not found, so the rest of the thread waits"};
          continue;
        }
        reply_to = id;
        continue;
      }
      return settle_failure(st, d, part, posted.error(), "posting " + label, true);
    }
    return {store::DeliveryStatus::delivered, ""};
  }

 private:
  // Retries transient failures with backoff and waits out short rate limits; anything else
  // (and the last failure) is returned for the caller to record.
  template <typename F>
  auto with_retries(const delivery::DeliveryContext& ctx, F request) -> decltype(request()) {
    for (int attempt = 0;; ++attempt) {
      auto result = request();
      if (result.ok() || attempt + 1 >= ctx.retry.max_attempts) return result;
      const ApiError& e = result.error();
      std::chrono::milliseconds wait{0};
      if (e.kind == ApiError::Kind::transient) {
        wait = delivery::backoff(ctx.retry, attempt);
      } else if (e.kind == ApiError::Kind::rate_limited && e.reset_at) {
        auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*e.reset_at - std::chrono::system_clock::now());
        if (until > ctx.retry.max_wait) return result;
        wait = std::max(until, std::chrono::milliseconds(0)) + std::chrono::milliseconds(500);
      } else {
        return result;
      }
      ctx.note(e.detail + "; trying again in " + std::to_string(wait.count()) + " ms");
      if (!ctx.sleep(wait)) return result;
    }
  }

  delivery::Outcome settle_failure(store::Store& st, const store::Delivery& d, const store::Part& part, const ApiError& e,
                                   const std::string& doing, bool part_was_sent) {
    using store::PartStatus;
    std::string message = doing + ": " + (e.status ? "X answered " + std::to_string(e.status) + ": " : "") + e.detail;
    switch (e.kind) {
      case ApiError::Kind::ambiguous:
        // Sent, but no answer: the next run looks for it before posting again.
        if (part_was_sent) st.set_part_status(d.id, part.index, PartStatus::ambiguous, "", message);
        return {store::DeliveryStatus::deferred, message + " (outcome unknown; the next run checks before posting again)"};
      case ApiError::Kind::rate_limited: {
        if (part_was_sent) st.set_part_status(d.id, part.index, PartStatus::pending, "", message);
        std::string when;
        if (e.reset_at) {
          auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*e.reset_at - std::chrono::system_clock::now()).count();
          when = " (the limit resets in " + std::to_string(std::max<long long>(seconds, 0)) + " s)";
        }
        return {store::DeliveryStatus::deferred, message + when};
      }
      case ApiError::Kind::transient:
        if (part_was_sent) st.set_part_status(d.id, part.index, PartStatus::pending, "", message);
        return {store::DeliveryStatus::deferred, message};
      default: {
        // Say what fixes it: a refused token needs a new one; then the same command sends it.
        if (e.status == 401)
          message += "; X did not accept the department's token: run `samvad authorize " + d.department +
                     "`, then send it again with --retry-failed";
        else
          message += "; after fixing the cause, send it again with --retry-failed";
        if (part_was_sent) st.set_part_status(d.id, part.index, PartStatus::failed, "", message);
        return {store::DeliveryStatus::failed, message};
      }
    }
  }

  // The id of a recent post on the account with this text, nullopt-in-ok when there is none.
  Result<std::optional<std::string>, ApiError> find_recent(Client& client, std::optional<std::string>& user_id,
                                                           const std::string& text) {
    if (!user_id) {
      auto me = client.me();
      if (!me.ok()) return fail(me.error());
      user_id = me->id;
    }
    auto posts = client.recent_posts(*user_id, 100);
    if (!posts.ok()) return fail(posts.error());
    for (const auto& p : *posts)
      if (same_post_text(text, p.text)) return std::optional<std::string>(p.id);
    return std::optional<std::string>();
  }

  HttpFactory http_factory_;
};

}  // namespace

bool same_post_text(const std::string& sent, const std::string& returned) { return loosen(sent) == loosen(returned); }

std::unique_ptr<delivery::Channel> make_channel(HttpFactory http) { return std::make_unique<TwitterChannel>(std::move(http)); }

}  // namespace samvad::twitter
