// `samvad departments` and `samvad templates`: what is configured, as rows for a table and as
// the documented --json arrays.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/config/config.hpp>
#include <samvad/templates/template.hpp>

namespace samvad::app {

// One department as `samvad departments` lists it: its channels, languages, its name in each of
// them and its X account ("@PCMCWaterSupply", "-" without one).
struct DepartmentRow {
  std::string id;
  std::vector<std::string> channels;
  std::vector<LanguageCode> languages;
  std::vector<std::string> names;  // in the order of `languages`, where named
  std::string account;
};
std::vector<DepartmentRow> department_rows(const config::Config& config);

// [{"id":"water-supply","name":{"en":...,"mr":...},"channels":["twitter","email"],"languages":["mr","en"]}]
nlohmann::json departments_json(const config::Config& config);

// [{"name":...,"kind":...,"title":{...},"variables":[{"name":...,"type":...,"required":true,"description":...,
//   "example":"2026-12-03" or {"en":...,"mr":...} or null}]}]
nlohmann::json templates_json(const std::vector<templates::Template>& all);
// One element of templates_json: `samvad templates NAME --json`.
nlohmann::json template_json(const templates::Template& tmpl);

// The languages of `tmpl` in the order the organization posts them (organization.languages
// first, then the others), for showing a template to people.
std::vector<LanguageCode> display_languages(const templates::Template& tmpl, const config::Config& config);

// A variable's example as the --var arguments that give it, quoted for a POSIX shell so they can
// be copied: "--var date=2026-12-03", or for per-language text one argument per language of
// `languages` the example has ("--var areas.mr='निगडी, आकुर्डी'"). Empty without an example.
std::vector<std::string> example_arguments(const templates::VariableSpec& spec, const std::vector<LanguageCode>& languages);

}  // namespace samvad::app
