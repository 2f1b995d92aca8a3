// `samvad count`.
#include <iostream>

#include <unistd.h>

#include <samvad/app/count.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"

namespace samvad::cli {

namespace {

int run(Terminal& term, const std::vector<std::string>& words) {
  std::string text;
  if (words.empty()) {
    // On a terminal nothing would show that samvad is waiting for the text.
    if (::isatty(STDIN_FILENO) == 1 && !term.options().quiet)
      std::cerr << "samvad: reading the text from standard input; end it with Ctrl-D "
                   "(or give it as an argument: samvad count TEXT)\n";
    text = samvad::app::read_count_input(std::cin);
  } else {
    for (const auto& w : words) text += (text.empty() ? "" : " ") + w;
  }
  auto result = samvad::app::count(text);
  if (term.options().json) {
    term.json(samvad::app::to_json(result));
  } else {
    std::string verdict = result.remaining() >= 0 ? std::to_string(result.remaining()) + " remaining"
                                                  : std::to_string(-result.remaining()) + " over the limit";
    term.out() << result.weighted_length << "/" << result.max << " (" << verdict << ")"
               << (result.valid ? "" : " — not valid as a single tweet") << "\n";
  }
  return result.valid ? 0 : samvad::to_int(ExitCode::data);
}

}  // namespace

Command count_command() {
  return {"count", [](CLI::App& app, const std::string& globals) {
            auto words = std::make_shared<std::vector<std::string>>();
            auto* count =
                app.add_subcommand("count", "weighted tweet length of TEXT (or standard input), as X counts it");
            count->add_option("text", *words, "the text; read from standard input when absent");
            set_footer(count, globals,
                       {"samvad count \"पाणीपुरवठा खंडित https://www.pcmcindia.gov.in\"",
                        "echo \"Water supply interrupted https://www.pcmcindia.gov.in\" | samvad count --json"});
            return Runner{count, [words](Terminal& term, const app::Paths&) { return run(term, *words); }};
          }};
}

}  // namespace samvad::cli
