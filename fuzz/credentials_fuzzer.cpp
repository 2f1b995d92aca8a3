// credentials.yaml: parse_credentials on arbitrary text, then the cross-check against the
// sample departments. Invalid text must end in samvad::Error.
#include <cstdlib>

#include <samvad/config/credentials.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/twitter/settings.hpp>

#include "support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The ${VARIABLE}s credentials.yaml.example names, so the seed gets past their expansion; any
  // other name stays unset and exercises the "not set" path.
  for (const char* name :
       {"SAMVAD_X_CONSUMER_KEY",        "SAMVAD_X_CONSUMER_SECRET",      "SAMVAD_SMTP_USER",
        "SAMVAD_SMTP_PASSWORD",         "SAMVAD_SMTP_PROPERTY_TAX_USER", "SAMVAD_SMTP_PROPERTY_TAX_PASSWORD",
        "SAMVAD_X_WATER_SUPPLY_TOKEN",  "SAMVAD_X_WATER_SUPPLY_SECRET",  "SAMVAD_X_HEALTH_TOKEN",
        "SAMVAD_X_HEALTH_SECRET",       "SAMVAD_X_PROPERTY_TAX_TOKEN",   "SAMVAD_X_PROPERTY_TAX_SECRET",
        "SAMVAD_X_TOWN_PLANNING_TOKEN", "SAMVAD_X_TOWN_PLANNING_SECRET", "SAMVAD_X_FIRE_BRIGADE_TOKEN",
        "SAMVAD_X_FIRE_BRIGADE_SECRET", "SAMVAD_X_SOLID_WASTE_TOKEN",    "SAMVAD_X_SOLID_WASTE_SECRET",
        "SAMVAD_X_ELECTRICAL_TOKEN",    "SAMVAD_X_ELECTRICAL_SECRET",    "SAMVAD_X_ROADS_TOKEN",
        "SAMVAD_X_ROADS_SECRET"})
    setenv(name, "fuzz-secret-value", 0);
  (void)samvad::fuzz::sample_config();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samvad;
  try {
    const config::Credentials credentials =
        registry::parse_credentials(std::string(fuzz::as_text(data, size)), "fuzz/credentials.yaml");
    (void)registry::check_credentials(credentials, fuzz::sample_config());
    for (const auto& [id, _] : credentials.departments) {
      (void)twitter::app_keys_for(credentials, id);
      (void)twitter::token_for(credentials, id);
    }
    for (const auto& d : fuzz::sample_config().departments) {
      (void)email::smtp_login_for(credentials, d);
      (void)email::smtp_login_problem(credentials, d);
    }
  } catch (const Error& e) {
    fuzz::expect_not_software(e);
  }
  return 0;
}
