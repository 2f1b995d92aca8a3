// departments.yaml: parse_config on arbitrary text. Invalid text must end in samvad::Error;
// anything else escaping, a crash or a sanitizer report is a finding.
#include <samvad/config/config.hpp>

#include "support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samvad;
  try {
    const config::Config config =
        registry::parse_config(std::string(fuzz::as_text(data, size)), "fuzz/departments.yaml");
    for (const auto& d : config.departments) {
      if (config.find_department(d.id) == nullptr) fuzz::broken("find_department misses '" + d.id + "'");
      (void)d.channels();
    }
    (void)config.department_ids();
  } catch (const Error& e) {
    fuzz::expect_not_software(e);
  }
  return 0;
}
