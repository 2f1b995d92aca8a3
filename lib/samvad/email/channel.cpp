#include <samvad/email/channel.hpp>

#include <nlohmann/json.hpp>

#include <samvad/core/digest.hpp>
#include <samvad/core/file.hpp>
#include <samvad/core/result.hpp>
#include <samvad/email/message.hpp>

namespace samvad::email {

SmtpSettings settings_for(const config::Department& department, const config::Credentials& credentials) {
  const ListSettings& list = *list_of(department);
  SmtpSettings s;
  s.url = list.smtp_url;
  s.tls = list.tls;
  s.ca_file = list.ca_file;
  if (const config::SecretSet* login = smtp_login_for(credentials, department)) {
    s.username = login->at("username").reveal();
    s.password = login->at("password").reveal();
  }
  return s;
}

std::string batch_payload(const std::string& message_id, std::size_t recipients) {
  return nlohmann::json{{"message_id", message_id}, {"recipients", recipients}}.dump();
}

std::string message_id_of(const std::string& payload) {
  nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_object() && j.contains("message_id") && j["message_id"].is_string()) return j["message_id"].get<std::string>();
  throw Error(ExitCode::config, "a recorded email batch is damaged (" + payload + "); expected its Message-ID");
}

namespace {

using store::PartStatus;
using store::RecipientStatus;

// What an answer to RCPT TO makes of a recipient (a 452 aside: it goes in the next transaction).
RecipientStatus status_of(int code, bool accepted) {
  if (code / 100 == 2 && accepted) return RecipientStatus::delivered;
  if (code / 100 == 4) return RecipientStatus::deferred;
  if (code / 100 == 5) return RecipientStatus::rejected;
  return RecipientStatus::pending;  // no answer: tried again
}

// What one answered transaction made of its recipients.
struct Outcomes {
  std::vector<store::Recipient> settled;  // every recipient, pending when it had no answer
  std::vector<std::string> too_many;      // 452: the server's limit; they go in the next transaction
  std::size_t deferred = 0;
};

// Every recipient of the transaction gets its outcome: once a batch is answered, the store counts
// a recipient it was never told of as delivered.
Outcomes outcomes_of(const TransactionResult& r, const std::vector<std::string>& to_send, int part) {
  Outcomes out;
  for (const auto& address : to_send) {
    const auto rr = std::find_if(r.recipients.begin(), r.recipients.end(),
                                 [&](const RecipientReply& reply) { return reply.address == address; });
    const int code = rr == r.recipients.end() ? 0 : rr->code;
    if (code == 452) {
      out.too_many.push_back(address);
      continue;
    }
    store::Recipient o{part, address, status_of(code, r.accepted), rr == r.recipients.end() ? "" : rr->reply};
    if (o.status == RecipientStatus::deferred) ++out.deferred;
    out.settled.push_back(std::move(o));
  }
  return out;
}

// Who a batch still has to reach: its recipients not delivered or refused for good yet.
std::vector<std::string> unsent(const store::Store& st, long long delivery_id, int part) {
  std::vector<std::string> out;
  for (auto& r : st.recipients_of(delivery_id, part))
    if (r.status == RecipientStatus::pending || r.status == RecipientStatus::deferred)
      out.push_back(std::move(r.address));
  return out;
}

// The message's bodies and attachments as they go on the wire. An attachment that changed
// since it was planned is refused: the copies already sent must match the ones still to go.
Result<MimeContent, std::string> load_content(const EmailMessage& m) {
  MimeContent c;
  c.text = to_crlf(m.text);
  if (!m.html.empty()) c.html = to_crlf(m.html);
  for (const auto& a : m.attachments) {
    auto bytes = read_whole_file(a.path, FileKind::attachment);
    if (!bytes) return fail("the attachment " + a.path.string() + ": " + bytes.error().message + " (the file planned with the announcement)");
    if (sha256_hex(*bytes) != a.sha256)
      return fail("the attachment " + a.path.string() + " changed after the announcement was planned; expected the same "
                  "bytes for every recipient (post the new file as a new announcement)");
    c.files.push_back(MimeContent::File{a.name, a.content_type, std::move(*bytes)});
  }
  return c;
}

// A failed transaction in the retry rule's words. A lost answer after the message went out is
// retried like any transient failure: SMTP offers no way to look whether it arrived, and a
// second copy of a notice is the lesser harm than none.
channel::Failure failure_of(const TransactionResult& r, const std::string& label) {
  return {r.transient ? channel::FailureKind::transient : channel::FailureKind::rejected, label + ": " + r.error,
          std::nullopt};
}

class EmailSender : public channel::Sender {
 public:
  channel::Outcome deliver(store::Store& st, const store::Delivery& d, const channel::DeliveryContext& ctx) override {
    if (!list_of(ctx.department))
      return {store::DeliveryStatus::failed, "department " + d.department + " has no email list in the configuration"};
    const EmailMessage message = message_from_json(d.content);
    auto content = load_content(message);
    if (!content.ok()) return {store::DeliveryStatus::failed, content.error()};
    SmtpSession session(settings_for(ctx.department, ctx.credentials));

    std::size_t unsettled = 0, deferred = 0;
    std::string last_problem;
    for (const auto& part : d.parts) {
      if (part.status == PartStatus::delivered || part.status == PartStatus::retracted) continue;
      // Read batch by batch: a list of 200,000 is never held whole.
      std::vector<std::string> to_send = unsent(st, d.id, part.index);
      const std::string label = "batch " + std::to_string(part.index + 1) + "/" + std::to_string(d.parts.size());
      if (ctx.stopping()) return {store::DeliveryStatus::deferred, "stopped before " + label + "; the next run sends the rest"};
      if (to_send.empty()) {
        st.set_part_status(d.id, part.index, PartStatus::delivered, message_id_of(part.payload));
        continue;
      }
      BatchResult b = send_batch(st, d, part, std::move(to_send), message, *content, session, ctx, label);
      if (b.stop_delivery) return {store::DeliveryStatus::failed, b.problem};
      if (b.stopped) return {store::DeliveryStatus::deferred, "stopped before " + label + " was settled"};
      if (!b.settled) {
        ++unsettled;
        last_problem = b.problem;
      }
      deferred += b.deferred;
    }
    ctx.note("sent over " + std::to_string(session.connections_opened()) + " SMTP connection(s)");
    if (unsettled > 0) {
      std::string why = std::to_string(unsettled) + " batch(es) not delivered yet";
      if (deferred > 0) why += ", " + std::to_string(deferred) + " recipient(s) deferred by the server";
      return {store::DeliveryStatus::deferred, why + ": " + last_problem + "; the next run tries again"};
    }
    return {store::DeliveryStatus::delivered, ""};
  }

 private:
  struct BatchResult {
    bool settled = false;       // every recipient delivered or rejected
    bool stop_delivery = false;  // a failure no other batch can escape (login, TLS, message refused)
    bool stopped = false;        // the run is being stopped
    std::size_t deferred = 0;
    std::string problem;
  };

  BatchResult send_batch(store::Store& st, const store::Delivery& d, const store::Part& part,
                         std::vector<std::string> to_send, const EmailMessage& message, const MimeContent& content,
                         SmtpSession& session, const channel::DeliveryContext& ctx, const std::string& label) {
    BatchResult out;
    const std::string message_id = message_id_of(part.payload);
    const HeaderLines headers = message_headers(message, message_id, std::chrono::system_clock::now());
    channel::Retry retry = channel::retry_for(ctx);
    for (;;) {
      st.set_part_status(d.id, part.index, PartStatus::in_flight, message_id);
      TransactionResult r = session.send(message.from_address, to_send, headers, content);
      if (r.accepted || r.every_recipient_refused) {
        auto [outcomes, too_many, deferred_now] = outcomes_of(r, to_send, part.index);
        const bool progress = too_many.size() < to_send.size();
        if (!too_many.empty() && progress) {
          for (const auto& a : too_many)
            outcomes.push_back(store::Recipient{part.index, a, RecipientStatus::pending, "452 too many recipients"});
          st.settle_recipients(d.id, part.index, outcomes, PartStatus::in_flight);
          ctx.note(label + ": the server takes " + std::to_string(to_send.size() - too_many.size()) +
                   " recipients per transaction; " + std::to_string(too_many.size()) + " go in the next one");
          to_send = std::move(too_many);
          out.deferred += deferred_now;
          continue;
        }
        // 452 for the first recipient too: the server takes none now; defer them.
        for (const auto& a : too_many) {
          outcomes.push_back(store::Recipient{part.index, a, RecipientStatus::deferred, "452 too many recipients"});
          ++deferred_now;
        }
        out.deferred += deferred_now;
        out.settled = deferred_now == 0 && out.deferred == 0;
        if (!out.settled) out.problem = label + ": " + std::to_string(out.deferred) + " recipient(s) deferred (" + r.reply + ")";
        st.settle_recipients(d.id, part.index, outcomes, out.settled ? PartStatus::delivered : PartStatus::pending,
                             message_id, out.settled ? std::string() : out.problem);
        ctx.note(label + ": " + std::to_string(std::count_if(outcomes.begin(), outcomes.end(), [](const store::Recipient& o) {
                   return o.status == RecipientStatus::delivered;
                 })) + " delivered");
        return out;
      }
      // The transaction as a whole failed: nothing (or, if the answer was lost, perhaps
      // everything) was delivered. Recipients stay pending either way.
      const PartStatus left = r.maybe_delivered ? PartStatus::ambiguous : PartStatus::pending;
      if (!r.transient) {
        st.set_part_status(d.id, part.index, PartStatus::failed, "", r.error);
        out.stop_delivery = true;
        out.problem = label + ": " + r.error;
        return out;
      }
      st.set_part_status(d.id, part.index, left, "", r.error);
      if (!retry.again(failure_of(r, label))) {
        out.stopped = retry.stopped();
        out.problem = label + ": " + r.error;
        return out;
      }
    }
  }
};

}  // namespace

std::unique_ptr<channel::Sender> make_sender() { return std::make_unique<EmailSender>(); }

}  // namespace samvad::email
