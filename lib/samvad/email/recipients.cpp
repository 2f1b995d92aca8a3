#include <samvad/email/recipients.hpp>

#include <algorithm>

#include <samvad/email/subscribers.hpp>
#include <samvad/net/mail_address.hpp>

namespace samvad::email {

Recipients load_recipients(const ListSettings& list) {
  Recipients out;
  std::string list_key;
  if (list.list) {
    // Checked when departments.yaml was loaded; normalized here for the envelope.
    std::string address = net::normalize_address(*list.list).value_or(*list.list);
    list_key = net::recipient_key(address);
    out.addresses.push_back(std::move(address));
  }
  for (const auto& given : list.direct) {
    std::string address = net::normalize_address(given).value_or(given);
    if (!list_key.empty() && net::recipient_key(address) == list_key) continue;
    out.addresses.push_back(std::move(address));
  }
  if (!list.subscribers) return out;
  SubscriberList subscribers;
  try {
    subscribers = load_subscribers(*list.subscribers);
  } catch (const Error& e) {
    // Pointed at the line of departments.yaml that names the file; the code says what is wrong.
    throw Error(e.code(), "subscriber file " + list.subscribers->string() + ": " + e.diagnostics().front().message,
                list.subscribers_where);
  }
  out.problems = std::move(subscribers.problems);
  out.duplicates = subscribers.duplicates;
  for (auto& a : subscribers.addresses) {
    if (!list_key.empty() && net::recipient_key(a) == list_key) {
      ++out.duplicates;
      continue;
    }
    out.addresses.push_back(std::move(a));
  }
  return out;
}

std::vector<std::vector<std::string>> batches(const std::vector<std::string>& addresses, int batch_size) {
  const std::size_t size = static_cast<std::size_t>(std::max(1, batch_size));
  std::vector<std::vector<std::string>> out;
  for (std::size_t i = 0; i < addresses.size(); i += size)
    out.emplace_back(addresses.begin() + static_cast<std::ptrdiff_t>(i),
                     addresses.begin() + static_cast<std::ptrdiff_t>(std::min(addresses.size(), i + size)));
  return out;
}

}  // namespace samvad::email
