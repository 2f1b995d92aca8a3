#include <samvad/twitter/channel.hpp>

#include <set>

#include <samvad/twitter/authorize.hpp>
#include <samvad/twitter/client.hpp>

namespace samvad::twitter {

oauth::Keys keys_for(const config::Credentials& credentials, const std::string& department) {
  const config::SecretSet* app = app_keys_for(credentials, department);
  const config::SecretSet* token = token_for(credentials, department);
  if (!app) throw Error(ExitCode::config, "no twitter_app in " + credentials.path.string() + " for department " + department);
  if (!token)
    throw Error(ExitCode::config, "no access token for department " + department + " in " + credentials.path.string() +
                                      "; expected departments." + department + ".twitter (samvad authorize " + department + ")");
  return oauth::Keys{app->at("consumer_key").reveal(), app->at("consumer_secret").reveal(),
                     token->at("access_token").reveal(), token->at("access_token_secret").reveal()};
}

Client::BillingHook cost_recorder(store::Store& store, const std::string& department,
                                  const std::string& announcement_id, const Prices& prices) {
  return [&store, department, announcement_id, prices](Billed kind, long long quantity) {
    store.record_cost(store::CostRecord{kChannel, department, announcement_id, to_string(kind), quantity,
                                        quantity * prices.of(kind), store::Clock::now()});
  };
}

std::optional<std::string> answered_post(const std::string& content) {
  const auto j = nlohmann::json::parse(content, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  const auto it = j.find("in_reply_to");
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

namespace {

// Where a post X listed with this part's text came from, in words for the user.
std::string whose(const store::Store& st, const store::Delivery& d, const std::string& id) {
  auto owner = st.remote_id_owner(d.id, id);
  if (!owner) return "post " + id + ", which no other announcement in the state file recorded";
  return "post " + id + ", part " + std::to_string(owner->index + 1) + " of announcement " + owner->announcement_id +
         " to " + owner->department + " in " + owner->language;
}

// A look-up X itself refused (credentials, access level, certificate) fails the same way on every
// run; anything else (a 5xx, a rate limit, a lost answer) may pass by the next.
store::DeliveryStatus after_failed_lookup(const ApiError& e) {
  switch (e.kind) {
    case ApiError::Kind::transient:
    case ApiError::Kind::ambiguous:
    case ApiError::Kind::rate_limited:
      return store::DeliveryStatus::deferred;
    default:
      return store::DeliveryStatus::failed;
  }
}

// When a request refused by a rate limit may be made again (nothing for other failures).
std::optional<std::chrono::system_clock::time_point> retry_at_of(const ApiError& e) {
  return e.kind == ApiError::Kind::rate_limited ? e.reset_at : std::nullopt;
}

class TwitterSender : public channel::Sender {
 public:
  explicit TwitterSender(channel::HttpFactory http) : http_factory_(std::move(http)) {}

  channel::Outcome deliver(store::Store& st, const store::Delivery& d, const channel::DeliveryContext& ctx) override {
    using store::PartStatus;
    const Account* account = account_of(ctx.department);
    if (!account)
      return {store::DeliveryStatus::failed, "department " + d.department + " has no X account in the configuration"};
    auto http = http_factory_(account->ca_file);
    Client client(*http, Endpoint{account->api_base, keys_for(ctx.credentials, d.department)});
    client.on_billed(cost_recorder(st, d.department, d.announcement_id, account->prices));

    // A reply to a mention (samvad reply) starts from the mention; a thread from nothing.
    std::optional<std::string> reply_to = answered_post(d.content);
    std::optional<std::string> user_id;
    for (const auto& part : d.parts) {
      std::string label = "part " + std::to_string(part.index + 1) + "/" + std::to_string(d.parts.size());
      const bool known = !part.remote_id.empty();
      if ((part.status == PartStatus::delivered || part.status == PartStatus::retracted) && known) {
        reply_to = part.remote_id;
        continue;
      }
      if (part.status == PartStatus::retracted)
        return {store::DeliveryStatus::deferred, label + " is retracted but its id is unknown, so the thread cannot continue"};
      if (ctx.stopping()) return {store::DeliveryStatus::deferred, "stopped before " + label + "; the next run posts the rest"};
      if (auto stop = send_part(st, d, part, client, ctx, label, reply_to, user_id)) return *stop;
    }
    return {store::DeliveryStatus::delivered, ""};
  }

 private:
  // One part not yet known to be posted: looked for if an earlier answer was lost, else posted
  // (after the account check and its images); the id it got becomes `reply_to`. An Outcome when
  // the delivery stops here.
  std::optional<channel::Outcome> send_part(store::Store& st, const store::Delivery& d, const store::Part& part,
                                            Client& client, const channel::DeliveryContext& ctx,
                                            const std::string& label, std::optional<std::string>& reply_to,
                                            std::optional<std::string>& user_id) {
    using store::PartStatus;
    // An earlier request may have made this post and its answer never came (or, in an older
    // state file, X's duplicate refusal was recorded without the id): it may be on X already.
    const bool answer_lost = part.status == PartStatus::in_flight || part.status == PartStatus::ambiguous ||
                             part.status == PartStatus::delivered;
    if (answer_lost) {
      auto found = adopt_own_post(st, d, part, client, user_id);
      if (!found.ok())
        return channel::Outcome{
            after_failed_lookup(found.error()),
            label + " may already be posted and X could not be asked whether it is: " + describe(found.error()),
            retry_at_of(found.error())};
      if (*found) {
        ctx.note(label + " was already posted as " + **found);
        reply_to = **found;
        return std::nullopt;
      }
      if (part.status == PartStatus::delivered)
        return channel::Outcome{store::DeliveryStatus::deferred,
                                label +
                                    " is posted but its id is not among the account's recent posts, "
                                    "so the thread cannot continue"};
    }
    // Before the first post of a department in this run: the token must be the configured
    // account's, or every post of the department would appear as someone else.
    if (auto wrong = confirm_account(ctx, d.department, client, user_id)) return *wrong;
    auto media_ids = upload_media(st, d, part, client, ctx);
    if (!media_ids.ok()) return media_ids.error();
    st.set_part_status(d.id, part.index, PartStatus::in_flight);
    int requests = 0;
    auto posted = channel::with_retries(
        ctx,
        [&] {
          ++requests;
          return client.create_post(part.payload, reply_to, *media_ids,
                                    // Before the first part, reply_to is set only by a mention.
                                    part.index == 0 && reply_to.has_value());
        },
        failure_of);
    if (posted.ok()) {
      st.set_part_status(d.id, part.index, PartStatus::delivered, posted->id);
      ctx.note(label + " posted as " + posted->id);
      reply_to = posted->id;
      return std::nullopt;
    }
    if (posted.error().kind == ApiError::Kind::duplicate) {
      // Ours only if a request of ours may have made it: one whose answer was lost, or that X
      // answered with a 5xx (which does not always mean nothing happened), in this run or before.
      const bool may_be_ours = part.attempts > 0 || requests > 1;
      auto adopted = settle_duplicate(st, d, part, posted.error(), client, user_id, may_be_ours, label);
      if (!adopted.ok()) return adopted.error();
      ctx.note(label + " was already posted as " + *adopted);
      reply_to = *adopted;
      return std::nullopt;
    }
    if (posted.error().kind == ApiError::Kind::reply_refused)
      return refused_reply(st, d, part, posted.error(), ctx, label, reply_to);
    return settle_failure(st, d, part, posted.error(), "posting " + label, true);
  }

  // X's 403 for a reply it does not allow this app. Sending it again cannot help, so it fails
  // (69), saying what X's rule means here and what to do; the parts already posted stay recorded.
  channel::Outcome refused_reply(store::Store& st, const store::Delivery& d, const store::Part& part, const ApiError& e,
                                 const channel::DeliveryContext& ctx, const std::string& label,
                                 const std::optional<std::string>& reply_to) {
    const std::string handle = "@" + account_of(ctx.department)->handle;
    std::string message = "posting " + label + ": " + describe(e) +
                          " X lets this app reply only to posts that mention " + handle +
                          " (or whose author otherwise engaged with it); ";
    if (part.index == 0) {
      const std::string item = reply_to.value_or("?");
      message += "the post this answers (" + item + ") is not one of those, so " + handle +
                 " cannot answer it from samvad: reply from the department whose account the post mentions "
                 "(samvad inbox route " +
                 item + " -d DEPARTMENT), or answer it on X itself";
    } else {
      const std::string n = std::to_string(part.index + 1), before = std::to_string(part.index);
      message += "this thread's part " + n + " could not be posted as a reply to part " + before + ". " +
                 (part.index == 1 ? "Part 1 is posted and stays (samvad retract takes it back)"
                                  : "Parts 1-" + before + " are posted and stay (samvad retract takes them back)") +
                 ". Shorten the text to one post, or set twitter.threads: none for " + d.department +
                 " in departments.yaml to catch this at check";
    }
    st.set_part_status(d.id, part.index, store::PartStatus::failed, "", message);
    return {store::DeliveryStatus::failed, message};
  }

  // The images of a thread's first post, uploaded with their alt text.
  Result<std::vector<std::string>, channel::Outcome> upload_media(store::Store& st, const store::Delivery& d,
                                                                  const store::Part& part, Client& client,
                                                                  const channel::DeliveryContext& ctx) {
    std::vector<std::string> media_ids;
    if (part.index != 0) return media_ids;
    for (const auto& m : ctx.media) {
      auto uploaded = channel::with_retries(
          ctx,
          [&] {
            return client.upload_media(MediaUpload{m.file, m.alt_for(d.language)});
          },
          failure_of);
      if (!uploaded.ok())
        return fail(settle_failure(st, d, part, uploaded.error(), "uploading " + m.file.filename().string(), false));
      media_ids.push_back(*uploaded);
    }
    return media_ids;
  }

  // Asks X once per department and process whose account the token is (GET /2/users/me, an
  // owned read). nullopt when it is the department's handle; else why nothing may be posted.
  std::optional<channel::Outcome> confirm_account(const channel::DeliveryContext& ctx, const std::string& department,
                                                  Client& client, std::optional<std::string>& user_id) {
    if (confirmed_.count(department)) return std::nullopt;
    auto me = channel::with_retries(
        ctx, [&] { return client.me(); }, failure_of);
    if (!me.ok())
      return channel::Outcome{
          after_failed_lookup(me.error()),
          "X could not confirm whose account the token of " + department + " is: " + describe(me.error()) +
              (me.error().status == 401 ? "; run `samvad authorize " + department + "`" : std::string()),
          retry_at_of(me.error())};
    const std::string& handle = account_of(ctx.department)->handle;
    if (!same_handle(me->username, handle))
      return channel::Outcome{store::DeliveryStatus::failed, "the token in credentials.yaml for " + department +
                                                                 " belongs to @" + me->username + ", not @" + handle +
                                                                 "; nothing was posted: sign in to X as @" + handle +
                                                                 ", run `samvad authorize " + department +
                                                                 "`, then send it again with --retry-failed"};
    user_id = me->id;
    confirmed_.insert(department);
    return std::nullopt;
  }

  // Looks for this part's post on the account and records it as delivered when it is there and no
  // other delivery recorded it. X refuses a second live post of the same text, so a post of this
  // text that is another announcement's means ours was never made. The id, or nullopt in ok.
  Result<std::optional<std::string>, ApiError> adopt_own_post(store::Store& st, const store::Delivery& d,
                                                              const store::Part& part, Client& client,
                                                              std::optional<std::string>& user_id) {
    auto ids = posts_with_text(client, user_id, part.payload);
    if (!ids.ok()) return fail(ids.error());
    for (const auto& id : *ids)
      if (!st.adopt_remote_id(d.id, part.index, id, store::PartStatus::delivered)) return std::optional<std::string>(id);
    return std::optional<std::string>();
  }

  // X's 403 "duplicate content": the account already has a post of this exact text. It is this
  // part's only when a request of ours may have made it and the post is not another delivery's;
  // then it is recorded and its id returned. A refusal for another announcement's (or anyone
  // else's) post is final: the delivery fails with X's words and records no id, so nothing of it
  // can later be mistaken for ours (retract never deletes another announcement's post).
  Result<std::string, channel::Outcome> settle_duplicate(store::Store& st, const store::Delivery& d,
                                                         const store::Part& part, const ApiError& e, Client& client,
                                                         std::optional<std::string>& user_id, bool may_be_ours,
                                                         const std::string& label) {
    using store::PartStatus;
    const std::string refused = "posting " + label + ": " + describe(e);
    auto ids = posts_with_text(client, user_id, part.payload);
    if (ids.ok() && may_be_ours) {
      for (const auto& id : *ids)
        if (!st.adopt_remote_id(d.id, part.index, id, PartStatus::delivered)) return id;
    }
    if (ids.ok() && !ids->empty()) {
      std::string message = refused + " (the same text is already " + whose(st, d, ids->front()) + ")";
      st.set_part_status(d.id, part.index, PartStatus::failed, "", message);
      return fail(channel::Outcome{store::DeliveryStatus::failed, message});
    }
    if (may_be_ours) {
      // Perhaps our earlier request made it and X does not list it yet: look again next run.
      std::string message = refused + "; an earlier request may have posted it, but " +
                            (ids.ok() ? std::string("X does not list it among the account's recent posts")
                                      : "X could not be asked: " + describe(ids.error())) +
                            " (the next run looks again before posting)";
      st.set_part_status(d.id, part.index, PartStatus::ambiguous, "", message);
      return fail(channel::Outcome{store::DeliveryStatus::deferred, message,
                                   ids.ok() ? std::nullopt : retry_at_of(ids.error())});
    }
    st.set_part_status(d.id, part.index, PartStatus::failed, "", refused);
    return fail(channel::Outcome{store::DeliveryStatus::failed, refused});
  }

  channel::Outcome settle_failure(store::Store& st, const store::Delivery& d, const store::Part& part,
                                  const ApiError& e, const std::string& doing, bool part_was_sent) {
    using store::PartStatus;
    std::string message = doing + ": " + describe(e);
    switch (e.kind) {
      case ApiError::Kind::ambiguous:
        // Sent, but no answer: the next run looks for it before posting again.
        if (part_was_sent) st.set_part_status(d.id, part.index, PartStatus::ambiguous, "", message);
        return {store::DeliveryStatus::deferred, message + " (outcome unknown; the next run checks before posting again)"};
      case ApiError::Kind::rate_limited:
        if (part_was_sent) st.set_part_status(d.id, part.index, PartStatus::pending, "", message);
        // The engine records the reset and says when; no run before it sends anything of this.
        return {store::DeliveryStatus::deferred, message, e.reset_at};
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

  channel::HttpFactory http_factory_;
  std::set<std::string> confirmed_;  // departments whose token was confirmed to be their account
};

}  // namespace

std::unique_ptr<channel::Sender> make_sender(channel::HttpFactory http) {
  return std::make_unique<TwitterSender>(std::move(http));
}

}  // namespace samvad::twitter
