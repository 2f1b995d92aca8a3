// Templates: parse_template on arbitrary text and, when it loads, what `samvad check` does with
// it: resolve its variables from their examples and render it for a sample department (the
// water-supply department of departments.yaml: Twitter and email, Marathi and English).
#include <samvad/templates/render.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variables.hpp>

#include "support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)samvad::fuzz::sample_department();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samvad;
  templates::Template tmpl;
  try {
    tmpl = templates::parse_template(std::string(fuzz::as_text(data, size)), "fuzz",
                                     SAMVAD_SOURCE_DIR "/templates/fuzz.yaml");
  } catch (const Error& e) {
    fuzz::expect_not_software(e);
    return 0;
  }
  (void)templates::referenced_variables(tmpl);
  try {
    std::vector<Diagnostic> warnings;
    const templates::ResolvedVariables vars =
        templates::resolve_variables(tmpl, templates::Variables{}, /*use_examples=*/true, warnings);
    (void)templates::render(tmpl, fuzz::sample_config(), fuzz::sample_department(), vars);
  } catch (const Error& e) {
    fuzz::expect_not_software(e);
  }
  return 0;
}
