// Variable values: the input is a vars file (parse_vars), then, after a NUL byte, --var
// arguments one per line (add_var_argument). The two are merged as `post` merges them, then
// resolved against two sample templates (every variable type) and rendered.
#include <samvad/templates/render.hpp>
#include <samvad/templates/variables.hpp>

#include "support.hpp"

namespace {

const std::vector<samvad::templates::Template>& sample_templates() {
  // text, date, time and url variables; date, number and url variables.
  static const std::vector<samvad::templates::Template> templates{
      samvad::fuzz::sample_template("water-supply-interruption"),
      samvad::fuzz::sample_template("property-tax-deadline")};
  return templates;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)samvad::fuzz::sample_department();
  (void)sample_templates();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samvad;
  const std::string_view input = fuzz::as_text(data, size);
  const std::size_t nul = input.find('\0');
  templates::Variables vars;
  try {
    vars = templates::parse_vars(std::string(input.substr(0, nul)), "fuzz/vars.yaml");
  } catch (const Error& e) {
    fuzz::expect_not_software(e);
  }
  if (nul != std::string_view::npos) {
    templates::Variables arguments;
    for (std::string_view line : fuzz::split(input.substr(nul + 1), '\n')) {
      try {
        templates::add_var_argument(arguments, line);
      } catch (const Error& e) {
        fuzz::expect_not_software(e);
      }
    }
    templates::merge(vars, arguments);
  }
  for (const auto& tmpl : sample_templates()) {
    for (bool use_examples : {false, true}) {
      try {
        std::vector<Diagnostic> warnings;
        const templates::ResolvedVariables resolved = templates::resolve_variables(tmpl, vars, use_examples, warnings);
        (void)templates::render(tmpl, fuzz::sample_config(), fuzz::sample_department(), resolved);
      } catch (const Error& e) {
        fuzz::expect_not_software(e);
      }
    }
  }
  return 0;
}
