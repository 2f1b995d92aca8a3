// The one error a departments.yaml text is refused with, for tests of what the configuration
// (and the channels' blocks in it) accepts.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include <samvad/core/error.hpp>
#include <samvad/registry/channels.hpp>

namespace samvad::test {

// The single error `yaml` produces as /etc/samvad/departments.yaml, asserting there is exactly one.
inline Diagnostic only_config_error(const std::string& yaml) {
  try {
    registry::parse_config(yaml, "/etc/samvad/departments.yaml");
  } catch (const Error& e) {
    REQUIRE(e.diagnostics().size() == 1);
    return e.diagnostics().front();
  }
  FAIL("expected the config to be rejected");
  return {};
}

}  // namespace samvad::test
