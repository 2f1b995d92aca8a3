// `samvad preview`.
#include <iostream>

#include <samvad/app/preview.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"

namespace samvad::cli {

namespace {

void print_preview(Terminal& term, const samvad::app::PreviewResult& result) {
  auto& out = term.out();
  for (const auto& item : result.items) {
    out << term.bold("== " + item.department + " (template " + result.template_name + ")") << "\n";
    for (const auto& t : item.tweets) {
      std::size_t n = t.parts.size();
      out << term.bold("twitter " + t.language) << (n > 1 ? " — thread of " + std::to_string(n) + " parts" : "")
          << "\n";
      for (std::size_t i = 0; i < n; ++i) {
        const auto& p = t.parts[i];
        std::string label = (n > 1 ? std::to_string(i + 1) + "/" + std::to_string(n) + " " : "") + "[" +
                            std::to_string(p.weighted_length) + "/280]";
        out << term.dim(label) << "\n" << p.text << "\n\n";
      }
    }
    if (item.email) {
      out << term.bold("email") << " to " << plural(item.email->recipients, "recipient") << "\n";
      out << "Subject: " << item.email->subject << "\n\n" << item.email->text << "\n\n";
    }
    if (item.tweets.empty() && !item.email)
      out << term.dim("(nothing to send: no channel of this department has content in this template)") << "\n\n";
    for (const auto& c : result.cost.of(item.department)) out << delivery::cost_line(c) << "\n\n";
  }
  if (result.items.size() > 1)
    for (const auto& c : result.cost.total) out << term.bold(delivery::cost_line(c, " in total")) << "\n";
}
int run(Terminal& term, const samvad::app::Paths& paths, const samvad::app::PreviewRequest& request) {
  auto ws = samvad::app::open_workspace(paths);
  term.detail("config: " + ws.config.path.string() + ", templates: " + ws.templates_dir.string());
  auto result = samvad::app::preview(ws, request);
  term.warnings(result.warnings);
  if (term.options().json)
    term.json(samvad::app::to_json(result));
  else
    print_preview(term, result);
  return 0;
}

}  // namespace

Command preview_command() {
  return {
      "preview", [](CLI::App& app, const std::string& globals) {
        auto preview = std::make_shared<app::PreviewRequest>();
        auto* prev = app.add_subcommand("preview", "show exactly what would be sent, per department; sends nothing");
        prev->add_option("template", preview->compose.template_name, "template name (see 'samvad templates')")
            ->required();
        one_value_per_use(prev->add_option("-d,--department", preview->compose.departments,
                                           "department id (repeatable, or comma-separated)"))
            ->delimiter(',');
        prev->add_flag("--all", preview->compose.all, "every department");
        one_value_per_use(prev->add_option("--var", preview->compose.var_arguments,
                                           "variable: key=value, or key.LANG=value for one language (repeatable)"));
        prev->add_option("--vars", preview->compose.vars_file,
                         "YAML file of variables (name: value or name: {mr: ..., en: ...})")
            ->type_name("FILE");
        prev->add_flag("--example", preview->compose.use_examples,
                       "fill every variable not given from the template's examples");
        prev->add_option("--lang", preview->language, "show tweets in one language: mr, en, ... or all")
            ->default_val("all");
        set_footer(prev, globals,
                   {"samvad preview water-supply-interruption -d water-supply --vars vars/water-cut-nigdi.yaml",
                    "samvad preview water-supply-interruption -d water-supply --var areas.mr=\"निगडी, आकुर्डी\" --var "
                    "areas.en=\"Nigdi, Akurdi\" --var date=2026-12-03 --var from=09:00 --var to=17:00",
                    "samvad preview scheme-launch --all --example --lang mr"});
        return Runner{prev, [preview](Terminal& term, const app::Paths& paths) { return run(term, paths, *preview); }};
      }};
}

}  // namespace samvad::cli
