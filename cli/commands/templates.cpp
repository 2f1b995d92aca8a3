// `samvad templates`.
#include <iostream>

#include <samvad/app/listing.hpp>
#include <samvad/templates/template.hpp>

#include <samvad/core/text.hpp>

#include "command.hpp"

namespace samvad::cli {

namespace {

// One template: each variable with its type, whether it is required, its description and its
// example written as the --var arguments that give it, then a preview line to start from.
int run_template(Terminal& term, const samvad::app::Workspace& ws, const std::string& name) {
  auto tmpl = samvad::templates::load_template(samvad::templates::find_template(ws.templates_dir, name));
  if (term.options().json) {
    term.json(samvad::app::template_json(tmpl));
    return 0;
  }
  const auto languages = samvad::app::display_languages(tmpl, ws.config);
  auto& out = term.out();
  std::string titles;
  for (const auto& lang : languages)
    if (const std::string* t = tmpl.title.find(lang)) titles += (titles.empty() ? "" : " / ") + *t;
  out << term.bold(tmpl.name) << " (" << tmpl.kind << "): " << titles << "\n";
  if (tmpl.variables.empty()) out << "no variables\n";
  for (const auto& v : tmpl.variables) {
    out << "\n  " << term.bold(v.name) << "  " << samvad::templates::to_string(v.type) << ", "
        << (v.required ? "required" : "optional") << (v.description.empty() ? "" : " — " + v.description) << "\n";
    if (v.example) {
      std::string args;
      for (const auto& a : samvad::app::example_arguments(v, languages)) args += (args.empty() ? "" : " ") + a;
      out << "    " << term.dim("example:") << " " << args << "\n";
    }
  }
  out << "\nTry it with every example, then change what differs:\n  samvad preview " << tmpl.name
      << " -d DEPT --example\n";
  return 0;
}
int run(Terminal& term, const samvad::app::Paths& paths, const std::optional<std::string>& name) {
  auto ws = samvad::app::open_workspace(paths);
  term.detail("templates: " + ws.templates_dir.string());
  if (name) return run_template(term, ws, *name);
  auto all = samvad::templates::load_templates(ws.templates_dir);
  if (term.options().json) {
    term.json(samvad::app::templates_json(all));
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& t : all) {
    std::string vars, titles;
    for (const auto& v : t.variables) vars += (vars.empty() ? "" : ",") + v.name + (v.required ? "" : "?");
    for (const auto& [lang, title] : t.title.text) titles += (titles.empty() ? "" : " / ") + title;
    rows.push_back({t.name, t.kind, vars, titles});
  }
  term.table({"NAME", "KIND", "VARIABLES (? = optional)", "TITLE"}, rows);
  return 0;
}

}  // namespace

Command templates_command() {
  return {"templates", [](CLI::App& app, const std::string& globals) {
            auto name = std::make_shared<std::optional<std::string>>();
            auto* cmd = app.add_subcommand(
                "templates", "list the announcement templates, or show one template's variables with examples");
            cmd->add_option("name", *name, "a template to show in full: each variable, its type and example");
            set_footer(cmd, globals, {"samvad templates", "samvad templates water-supply-interruption"});
            return Runner{cmd, [name](Terminal& term, const app::Paths& paths) { return run(term, paths, *name); }};
          }};
}

}  // namespace samvad::cli
