#include "faults.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace samvad::standin {

namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return s;
}

template <typename T>
std::optional<T> optional_number(const nlohmann::json& j, const char* key, long long min, long long max) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<long long>() < min || it->get<long long>() > max)
    throw std::invalid_argument(std::string("\"") + key + "\" must be an integer from " + std::to_string(min) + " to " +
                                std::to_string(max));
  return static_cast<T>(it->get<long long>());
}

std::optional<std::string> optional_string(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw std::invalid_argument(std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

}  // namespace

Fault Fault::from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::invalid_argument("a fault must be a JSON object");
  for (const auto& [key, value] : j.items()) {
    static const char* const known[] = {"method", "path",     "latency_ms",        "status",
                                        "detail", "reset_in", "user_24h_reset_in", "app_24h_reset_in",
                                        "action", "times",    "query_contains"};
    if (std::find_if(std::begin(known), std::end(known), [&](const char* k) { return key == k; }) == std::end(known))
      throw std::invalid_argument("unknown fault field \"" + key + "\"");
  }
  Fault f;
  f.method = optional_string(j, "method");
  if (f.method) f.method = upper(*f.method);
  const auto path = optional_string(j, "path");
  if (!path || path->empty() || path->front() != '/') throw std::invalid_argument("\"path\" must start with /");
  f.path = *path;
  f.query_contains = optional_string(j, "query_contains");
  f.latency_ms = optional_number<int>(j, "latency_ms", 0, 600'000);
  f.status = optional_number<int>(j, "status", 100, 599);
  f.detail = optional_string(j, "detail");
  f.reset_in = optional_number<long long>(j, "reset_in", 0, 86'400);
  f.user_24h_reset_in = optional_number<long long>(j, "user_24h_reset_in", 0, 86'400);
  f.app_24h_reset_in = optional_number<long long>(j, "app_24h_reset_in", 0, 86'400);
  if ((f.reset_in || f.user_24h_reset_in || f.app_24h_reset_in) && f.status != 429)
    throw std::invalid_argument("\"reset_in\", \"user_24h_reset_in\" and \"app_24h_reset_in\" go with \"status\": 429");
  f.action = optional_string(j, "action");
  if (f.action && *f.action != "drop_after_create" && *f.action != "drop")
    throw std::invalid_argument("\"action\" must be \"drop_after_create\" or \"drop\"");
  if (f.action && f.status) throw std::invalid_argument("a fault has either \"status\" or \"action\", not both");
  if (!f.latency_ms && !f.status && !f.action)
    throw std::invalid_argument("a fault needs \"status\", \"action\" or \"latency_ms\"");
  f.times = optional_number<int>(j, "times", 1, 1'000'000).value_or(1);
  return f;
}

nlohmann::json Fault::to_json() const {
  nlohmann::json j{{"path", path}, {"times", times}};
  if (method) j["method"] = *method;
  if (query_contains) j["query_contains"] = *query_contains;
  if (latency_ms) j["latency_ms"] = *latency_ms;
  if (status) j["status"] = *status;
  if (detail) j["detail"] = *detail;
  if (reset_in) j["reset_in"] = *reset_in;
  if (user_24h_reset_in) j["user_24h_reset_in"] = *user_24h_reset_in;
  if (app_24h_reset_in) j["app_24h_reset_in"] = *app_24h_reset_in;
  if (action) j["action"] = *action;
  return j;
}

bool Fault::matches(const std::string& request_method, const std::string& request_path,
                    const std::string& request_query) const {
  if (method && *method != upper(request_method)) return false;
  if (query_contains && request_query.find(*query_contains) == std::string::npos) return false;
  if (!path.empty() && path.back() == '*') return request_path.starts_with(path.substr(0, path.size() - 1));
  if (request_path == path) return true;
  return method.has_value() && request_path.starts_with(path + "/");
}

std::optional<Fault> FaultQueue::take(const std::string& method, const std::string& path, const std::string& query) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->matches(method, path, query)) continue;
    Fault hit = *it;
    if (--it->times == 0) faults_.erase(it);
    return hit;
  }
  return std::nullopt;
}

nlohmann::json FaultQueue::to_json() const {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& f : faults_) j.push_back(f.to_json());
  return j;
}

}  // namespace samvad::standin
