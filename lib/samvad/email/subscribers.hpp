// Subscriber files: one address per line, '#' comments and blank lines ignored. A bad line
// is reported with file:line and skipped; it never stops the rest of the list. The file is read
// a piece at a time and an address is remembered only by a hash of it, so a list of two million
// takes a few megabytes, not the list's size several times over.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/core/error.hpp>

namespace samvad::email {

// Which addresses were seen, each by a 64-bit hash of its recipient key (net::recipient_key):
// 8 to 16 bytes an address. Two different addresses with the same hash would count as one: for
// a list of two million, about one chance in ten million.
class SeenAddresses {
 public:
  SeenAddresses() = default;
  // Room for `expected` addresses from the start: growing a table of 200,000 would briefly hold
  // the old one (1 MiB) beside the new one (2 MiB).
  explicit SeenAddresses(std::size_t expected);
  // False when `key` was seen before.
  bool insert(std::string_view key);

 private:
  void grow();
  std::vector<std::uint64_t> slots_;  // open addressing, 0 for an empty slot
  std::size_t used_ = 0;
};

struct SubscriberList {
  std::vector<std::string> addresses;  // valid, deduplicated, in file order, domains in ASCII
  std::vector<Diagnostic> problems;    // invalid lines (ExitCode::data, with file:line)
  std::size_t duplicates = 0;
};

// What reading a subscriber file found besides its addresses.
struct SubscriberFindings {
  std::vector<Diagnostic> problems;  // invalid lines (ExitCode::data, with file:line)
  std::size_t duplicates = 0;
};

// Reads a subscriber file's text in pieces that may end anywhere (inside a line, inside a
// character), calling `each` with every valid address not seen before, in file order, its domain
// in ASCII. `file` is the name used in diagnostics.
class SubscriberReader {
 public:
  // `expected_lines`: about how many lines the file has (0 when not known), to size the table
  // of addresses seen once.
  SubscriberReader(std::string file, std::function<void(std::string&&)> each, std::size_t expected_lines = 0);
  void feed(std::string_view piece);
  // The last line (one without a line end), then what was found.
  SubscriberFindings finish();

 private:
  void line(std::string_view raw);

  std::string file_;
  std::function<void(std::string&&)> each_;
  std::string partial_;  // the start of a line cut by the end of a piece
  int line_number_ = 0;
  SeenAddresses seen_;
  SubscriberFindings findings_;
};

// Parses the text of a subscriber file; `file` is the name used in diagnostics.
SubscriberList parse_subscribers(std::string_view text, const std::string& file);

// Reads a subscriber file a piece at a time (core/file.hpp read_file_in_chunks): a missing or
// unreadable file, or one that is not a regular file, throws Error(66); one over the limit for
// subscriber files, 65.
SubscriberFindings read_subscribers(const std::filesystem::path& path, const std::function<void(std::string&&)>& each);

}  // namespace samvad::email
