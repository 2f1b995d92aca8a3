#include "terminal.hpp"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include <samvad/app/check.hpp>
#include <samvad/core/text.hpp>

namespace samvad::cli {

namespace {
bool color_allowed(int fd, const OutputOptions& options) {
  if (options.no_color || options.json) return false;
  if (const char* no_color = std::getenv("NO_COLOR"); no_color && *no_color) return false;
  if (const char* term = std::getenv("TERM"); term && std::strcmp(term, "dumb") == 0) return false;
  return ::isatty(fd) == 1;
}

class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
};
NullBuffer null_buffer;
std::ostream null_stream(&null_buffer);
}  // namespace

Terminal::Terminal(std::ostream& out, std::ostream& err, const OutputOptions& options)
    : out_(out), err_(err), options_(options),
      out_color_(&out == &std::cout && color_allowed(STDOUT_FILENO, options)),
      err_color_(&err == &std::cerr && color_allowed(STDERR_FILENO, options)) {}

std::string Terminal::paint(const char* code, const std::string& s, bool enabled) {
  if (!enabled) return s;
  return std::string("\033[") + code + "m" + s + "\033[0m";
}

std::ostream& Terminal::out() { return options_.quiet ? null_stream : out_; }

void Terminal::detail(const std::string& line) {
  if (options_.verbose) err_ << paint("2", "samvad: " + line, err_color_) << "\n";
}

void Terminal::warning(const Diagnostic& d) {
  err_ << "samvad: " << paint("33", "warning:", err_color_) << " " << d.to_string() << "\n";
}

void Terminal::warnings(const std::vector<Diagnostic>& ds) {
  for (const auto& d : ds) warning(d);
}

void Terminal::error(const Error& e) {
  for (const auto& d : e.diagnostics())
    err_ << "samvad: " << paint("1;31", "error:", err_color_) << " " << d.to_string() << "\n";
  if (options_.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& d : e.diagnostics()) problems.push_back(app::to_json(d));
    // "error" is null or a string in every samvad JSON object: here the first problem, in full.
    json(nlohmann::json{{"error", e.diagnostics().front().to_string()}, {"exit_code", to_int(e.code())}, {"problems", problems}});
  }
}

// Inputs are checked to be UTF-8 where they enter; a path named on the command line is not, and
// a byte that is not UTF-8 comes out as U+FFFD rather than stopping the output.
void Terminal::json(const nlohmann::json& j) {
  // Written as it is serialized, as j.dump() would write it, without first building the whole
  // text: the status of a list of 200,000 is thousands of batches.
  nlohmann::detail::serializer<nlohmann::json> serializer(nlohmann::detail::output_adapter<char>(out_), ' ',
                                                          nlohmann::json::error_handler_t::replace);
  serializer.dump(j, true, false, 2);
  out_ << "\n";
}

void Terminal::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i + 1 < row.size() && i < width.size(); ++i)
      width[i] = std::max(width[i], display_width(row[i]));
  };
  measure(header);
  for (const auto& r : rows) measure(r);
  auto print_row = [&](const std::vector<std::string>& row, bool is_header) {
    std::ostringstream line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line << row[i];
      if (i + 1 < row.size()) line << std::string(width[i] - display_width(row[i]) + 2, ' ');
    }
    out() << (is_header ? bold(line.str()) : line.str()) << "\n";
  };
  print_row(header, true);
  for (const auto& r : rows) print_row(r, false);
}

}  // namespace samvad::cli
