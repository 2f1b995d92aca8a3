#include <samvad/email/recipients.hpp>

#include <algorithm>
#include <memory>
#include <utility>

#include <samvad/email/subscribers.hpp>
#include <samvad/net/mail_address.hpp>

namespace samvad::email {

namespace {

// Counts and digests what goes to `each`, and passes it on.
std::function<void(std::string&&)> counted(RecipientScan& out, const std::function<void(std::string&&)>& each) {
  return [&out, &each](std::string&& address) {
    ++out.count;
    out.digest += store::address_digest(address);
    if (each) each(std::move(address));
  };
}

}  // namespace

RecipientScan scan_recipients(const ListSettings& list, const std::function<void(std::string&&)>& each) {
  RecipientScan out;
  const auto take = counted(out, each);
  std::string list_key;
  if (list.list) {
    // Checked when departments.yaml was loaded; normalized here for the envelope.
    std::string address = net::normalize_address(*list.list).value_or(*list.list);
    list_key = net::recipient_key(address);
    take(std::move(address));
  }
  for (const auto& given : list.direct) {
    std::string address = net::normalize_address(given).value_or(given);
    if (!list_key.empty() && net::recipient_key(address) == list_key) continue;
    take(std::move(address));
  }
  if (!list.subscribers) return out;
  SubscriberFindings found;
  try {
    found = read_subscribers(*list.subscribers, [&](std::string&& a) {
      if (!list_key.empty() && net::recipient_key(a) == list_key) {
        ++out.duplicates;
        return;
      }
      take(std::move(a));
    });
  } catch (const Error& e) {
    // Pointed at the line of departments.yaml that names the file; the code says what is wrong.
    throw Error(e.code(), "subscriber file " + list.subscribers->string() + ": " + e.diagnostics().front().message,
                list.subscribers_where);
  }
  out.problems = std::move(found.problems);
  out.duplicates += found.duplicates;
  return out;
}

std::size_t batch_count(std::size_t count, int batch_size) {
  const std::size_t size = static_cast<std::size_t>(std::max(1, batch_size));
  return (count + size - 1) / size;
}

store::PlannedRecipients planned_recipients(const ListSettings& list, const RecipientScan& scan) {
  store::PlannedRecipients out;
  out.count = scan.count;
  out.digest = scan.digest;
  auto settings = std::make_shared<const ListSettings>(list);
  out.read = [settings, counted = scan.count,
              digest = scan.digest](const std::function<void(int, std::vector<std::string>&&)>& each) {
    const std::size_t size = static_cast<std::size_t>(std::max(1, settings->batch_size));
    std::vector<std::string> batch;
    int part = 0;
    RecipientScan again = scan_recipients(*settings, [&](std::string&& a) {
      batch.push_back(std::move(a));
      if (batch.size() == size) each(part++, std::exchange(batch, {}));
    });
    if (!batch.empty()) each(part, std::move(batch));
    if (again.count != counted || again.digest != digest) {
      const std::string file = settings->subscribers ? settings->subscribers->string() : std::string("the list");
      throw Error(ExitCode::temp_fail, file + " changed while this announcement was being planned (" +
                                           std::to_string(counted) + " recipients counted, " +
                                           std::to_string(again.count) +
                                           " read again); nothing was recorded or sent: run the command again");
    }
  };
  return out;
}

}  // namespace samvad::email
