// `samvad departments` and `samvad templates`: what is configured, as rows for a table and as
// the documented --json arrays.
#pragma once

#include <nlohmann/json.hpp>

#include <samvad/config/config.hpp>
#include <samvad/templates/template.hpp>

namespace samvad::app {

// [{"id":"water-supply","name":{"en":...,"mr":...},"channels":["twitter","email"],"languages":["mr","en"]}]
nlohmann::json departments_json(const config::Config& config);

// [{"name":...,"kind":...,"title":{...},"variables":[{"name":...,"type":...,"required":true,"description":...}]}]
nlohmann::json templates_json(const std::vector<templates::Template>& all);

}  // namespace samvad::app
