#include "command.hpp"

namespace samvad::cli {

CLI::Option* one_value_per_use(CLI::Option* option) { return option->allow_extra_args(false); }

std::string global_options_line(const CLI::App& app) {
  std::string line;
  for (const CLI::Option* o : app.get_options()) {
    if (o == app.get_help_ptr()) continue;
    std::string names;
    for (const auto& s : o->get_snames()) names += (names.empty() ? "-" : "/-") + s;
    for (const auto& l : o->get_lnames()) names += (names.empty() ? "--" : "/--") + l;
    const std::string type = o->get_type_name();
    line += (line.empty() ? "" : ", ") + names + (type.empty() ? "" : " " + type);
  }
  return line;
}

void add_send_options(CLI::App* command, app::SendOptions& send, bool jobs) {
  command->add_option("--max-wait", send.max_wait_seconds, "longest wait for an X rate limit before deferring, seconds")
      ->default_val(60);
  if (jobs) command->add_option("--jobs", send.jobs, "departments posted at once")->default_val(8);
}

void set_footer(CLI::App* command, const std::string& globals, std::initializer_list<const char*> examples) {
  std::string footer = "Global options, before or after the command: " + globals + ".\n\nExamples:";
  for (const char* e : examples) footer += std::string("\n  ") + e;
  command->footer(footer);
}

std::string plural(std::size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

}  // namespace samvad::cli
