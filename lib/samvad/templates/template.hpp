// Announcement templates (templates/<name>.yaml): what a template declares (kind, title,
// typed variables, tweet and email texts per language) and loading it so that every problem
// is reported at once as file:line:column with exit code 78 (EX_CONFIG), including mustache
// syntax errors and references to names that are not declared.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/core/error.hpp>
#include <samvad/core/localized.hpp>
#include <samvad/templates/variable.hpp>

namespace samvad::templates {

struct VariableSpec {
  std::string name;
  VariableType type = VariableType::text;
  bool required = false;
  std::string description;
  // `example: 2026-12-03` is stored in example->common; `example: {en: .., mr: ..}` in
  // example->by_language (text and url only). Already checked against `type`.
  std::optional<VariableValue> example;
  SourceLocation where;  // the variable's name in the file
};

struct EmailTemplate {
  Localized subject;
  Localized text;
  std::optional<Localized> html;  // without it the email is plain text only
};

// An image the template attaches to the first post of every thread, with alt text per language.
struct TemplateMedia {
  std::filesystem::path file;  // absolute; written relative to the template's folder
  Localized alt;
  SourceLocation where;
};

struct Template {
  std::string name;  // the file stem: templates/water-cut.yaml is "water-cut"
  std::filesystem::path path;
  std::string kind;  // "service-notice", "scheme", or "reply" (answers one citizen: samvad reply)
  Localized title;
  std::vector<VariableSpec> variables;  // in file order
  bool thread = true;  // false: a tweet longer than one post is an error, not a thread
  std::optional<Localized> tweet;
  std::optional<EmailTemplate> email;
  std::vector<TemplateMedia> media;  // at most 4
  // Where each text starts, keyed "title.mr", "tweet.mr", "email.subject.en",
  // "email.text.mr", "email.html.en".
  std::map<std::string, SourceLocation> text_where;
  SourceLocation where;  // the file itself
  // Not errors, but worth showing in `samvad check`: declared variables no text uses, and
  // unescaped {{{name}}} / {{&name}} tags in email.html.
  std::vector<Diagnostic> warnings;

  const VariableSpec* find_variable(std::string_view name) const;
  std::vector<std::string> variable_names() const;
  // Every language some tweet or email text is written in, sorted.
  std::vector<LanguageCode> languages() const;
  // text_where[key], or the file when the key is unknown.
  SourceLocation text_location(const std::string& key) const;
};

// The kinds a template may declare.
const std::vector<std::string>& template_kinds();

// The names every template text can use besides its variables (see render_context()):
// "department", "organization", "title", "lang", "occurrence", and those channels add with
// add_context_root ({{feed.url}}). A variable may not take one of these names.
std::vector<std::string> context_roots();
// A name a channel gives texts values under (registry/channels.cpp adds them when it lists the
// channels, before any template is read). Thread-safe.
void add_context_root(const std::string& name);

// Throws Error: 66 when the file is missing, 78 listing every problem in it.
Template load_template(const std::filesystem::path& file);
// `yaml` is the file's text; `path` names it in messages. Throws Error(78) on any problem.
Template parse_template(const std::string& yaml, std::string name, std::filesystem::path path);
// Every *.yaml in `dir`, sorted by name. Problems of all files are collected into one Error
// (78); a missing directory is 66.
std::vector<Template> load_templates(const std::filesystem::path& dir);
// The template names in `dir` (file stems of *.yaml), sorted; empty when `dir` is missing.
std::vector<std::string> template_names(const std::filesystem::path& dir);
// dir/<name>.yaml; Error(66) "no template 'x' in DIR (did you mean 'y'?); available: a, b".
std::filesystem::path find_template(const std::filesystem::path& dir, std::string_view name);
// --templates when given, else templates/ beside departments.yaml.
std::filesystem::path templates_dir(const std::optional<std::string>& flag, const config::Config& config);

// The declared variables some text of `tmpl` refers to, in declaration order.
std::vector<std::string> referenced_variables(const Template& tmpl);

}  // namespace samvad::templates
