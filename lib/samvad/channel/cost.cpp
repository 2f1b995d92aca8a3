#include <samvad/channel/cost.hpp>

#include <algorithm>
#include <cstdlib>

namespace samvad::channel {

void Cost::add(const std::string& kind, long long count, long long each) {
  if (count <= 0) return;
  auto it = std::find_if(items.begin(), items.end(), [&](const Item& i) { return i.kind == kind; });
  if (it == items.end()) it = items.insert(items.end(), Item{kind, 0, 0});
  it->count += count;
  it->micro_usd += count * each;
}

Cost& Cost::operator+=(const Cost& other) {
  for (const auto& i : other.items) {
    auto it = std::find_if(items.begin(), items.end(), [&](const Item& mine) { return mine.kind == i.kind; });
    if (it == items.end()) it = items.insert(items.end(), Item{i.kind, 0, 0});
    it->count += i.count;
    it->micro_usd += i.micro_usd;
  }
  return *this;
}

long long Cost::micro_usd() const {
  long long sum = 0;
  for (const auto& i : items) sum += i.micro_usd;
  return sum;
}

long long Cost::count(const std::string& kind) const {
  for (const auto& i : items)
    if (i.kind == kind) return i.count;
  return 0;
}

std::string decimal_usd(long long micro_usd) {
  const bool negative = micro_usd < 0;
  const long long magnitude = std::llabs(micro_usd);
  std::string fraction = std::to_string(magnitude % kMicroUsdPerUsd);
  fraction.insert(0, 6 - fraction.size(), '0');
  while (fraction.size() > 2 && fraction.back() == '0') fraction.pop_back();
  return (negative ? "-" : "") + std::to_string(magnitude / kMicroUsdPerUsd) + "." + fraction;
}

std::string usd(long long micro_usd) { return "$" + decimal_usd(micro_usd); }

double usd_number(long long micro_usd) { return static_cast<double>(micro_usd) / static_cast<double>(kMicroUsdPerUsd); }

}  // namespace samvad::channel
