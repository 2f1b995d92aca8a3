#include <samvad/email/subscribers.hpp>

#include <algorithm>
#include <functional>

#include <samvad/core/file.hpp>
#include <samvad/core/text.hpp>
#include <samvad/net/mail_address.hpp>

namespace samvad::email {

namespace {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n\v\f";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

// libstdc++'s string hash is MurmurHash2 (64-bit); 0 marks an empty slot, so it is never a hash.
std::uint64_t hash_of(std::string_view key) {
  const std::uint64_t h = std::hash<std::string_view>{}(key);
  return h == 0 ? 1 : h;
}

}  // namespace

SeenAddresses::SeenAddresses(std::size_t expected) {
  std::size_t size = 64;
  while (expected * 5 > size * 4) size *= 2;
  slots_.assign(size, 0);
}

bool SeenAddresses::insert(std::string_view key) {
  // At most 80% full: linear probing stays short, and a table of 2^18 slots (2 MiB) holds 200,000.
  if ((used_ + 1) * 5 > slots_.size() * 4) grow();
  const std::uint64_t h = hash_of(key);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    if (slots_[i] == h) return false;
    if (slots_[i] == 0) {
      slots_[i] = h;
      ++used_;
      return true;
    }
  }
}

void SeenAddresses::grow() {
  std::vector<std::uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, 0);
  const std::size_t mask = slots_.size() - 1;
  for (std::uint64_t h : old) {
    if (h == 0) continue;
    std::size_t i = h & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = h;
  }
}

SubscriberReader::SubscriberReader(std::string file, std::function<void(std::string&&)> each,
                                   std::size_t expected_lines)
    : file_(std::move(file)), each_(std::move(each)), seen_(expected_lines) {}

void SubscriberReader::feed(std::string_view piece) {
  for (std::size_t end; (end = piece.find('\n')) != std::string_view::npos; piece.remove_prefix(end + 1)) {
    if (partial_.empty()) {
      line(piece.substr(0, end));
    } else {
      partial_.append(piece.substr(0, end));
      line(partial_);
      partial_.clear();
    }
  }
  partial_.append(piece);
}

SubscriberFindings SubscriberReader::finish() {
  line(partial_);
  partial_.clear();
  return std::move(findings_);
}

void SubscriberReader::line(std::string_view raw) {
  ++line_number_;
  std::string_view line = trim(raw);
  if (line.empty() || line.front() == '#') return;
  // Lines are quoted in warnings with shown(): escaped and cut, since the file may hold anything.
  if (auto bad = invalid_utf8_at(line)) {
    const auto column =
        static_cast<int>(position_of(raw, static_cast<std::size_t>(line.data() - raw.data()) + *bad).column);
    findings_.problems.push_back(Diagnostic{ExitCode::data,
                                            "'" + shown(line) +
                                                "' is not valid UTF-8; expected one address like name@example.org per "
                                                "line, in UTF-8 (line skipped)",
                                            SourceLocation{file_, line_number_, column}});
    return;
  }
  auto normalized = net::normalize_address(line);
  if (!normalized) {
    findings_.problems.push_back(Diagnostic{ExitCode::data,
                                            "'" + shown(line) +
                                                "' is not a valid email address; expected one address like "
                                                "name@example.org per line (line skipped)",
                                            SourceLocation{file_, line_number_, 1}});
    return;
  }
  if (!seen_.insert(net::recipient_key(*normalized))) {
    ++findings_.duplicates;
    return;
  }
  each_(std::move(*normalized));
}

SubscriberList parse_subscribers(std::string_view text, const std::string& file) {
  SubscriberList out;
  SubscriberReader reader(file, [&](std::string&& a) { out.addresses.push_back(std::move(a)); });
  reader.feed(text);
  SubscriberFindings found = reader.finish();
  out.problems = std::move(found.problems);
  out.duplicates = found.duplicates;
  return out;
}

namespace {

// How many lines the file has, counted in a first pass of the same pieces (a few milliseconds for
// 200,000 lines); 0 when it cannot be read (the reading proper says why).
std::size_t count_lines(const std::filesystem::path& path) {
  std::size_t lines = 0;
  auto read = read_file_in_chunks(path, FileKind::subscribers, [&](std::string_view piece) {
    lines += static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '\n'));
  });
  return read ? lines + 1 : 0;
}

}  // namespace

SubscriberFindings read_subscribers(const std::filesystem::path& path, const std::function<void(std::string&&)>& each) {
  SubscriberReader reader(path.string(), each, count_lines(path));
  auto read = read_file_in_chunks(path, FileKind::subscribers, [&](std::string_view piece) { reader.feed(piece); });
  if (!read) throw Error(read.error().code, read.error().message, SourceLocation{path.string(), 0, 0});
  return reader.finish();
}

}  // namespace samvad::email
