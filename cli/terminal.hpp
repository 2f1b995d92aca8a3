// All terminal output of the samvad executable: plain or coloured text for people, JSON for
// scripts, and errors as "samvad: error: file:line:column: ...". Honours --no-color, NO_COLOR,
// TERM=dumb and whether the stream is a terminal.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/core/error.hpp>

namespace samvad::cli {

struct OutputOptions {
  bool json = false;
  bool quiet = false;
  bool verbose = false;
  bool no_color = false;
};

class Terminal {
 public:
  Terminal(std::ostream& out, std::ostream& err, const OutputOptions& options);

  const OutputOptions& options() const { return options_; }

  // Normal output, suppressed by -q.
  std::ostream& out();
  // -v only.
  void detail(const std::string& line);
  void warning(const Diagnostic& d);
  void warnings(const std::vector<Diagnostic>& ds);
  // Prints every diagnostic of a failed command (and, with --json, a JSON error object on stdout).
  void error(const Error& e);
  void json(const nlohmann::json& j);

  std::string bold(const std::string& s) const { return paint("1", s, out_color_); }
  std::string dim(const std::string& s) const { return paint("2", s, out_color_); }
  std::string green(const std::string& s) const { return paint("32", s, out_color_); }
  std::string red(const std::string& s) const { return paint("31", s, out_color_); }

  // A left-aligned table; every column but the last is padded (put free text, such as Marathi
  // names whose display width terminals disagree on, in the last column).
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

 private:
  static std::string paint(const char* code, const std::string& s, bool enabled);
  std::ostream& out_;
  std::ostream& err_;
  OutputOptions options_;
  bool out_color_;
  bool err_color_;
};

}  // namespace samvad::cli
