#include <samvad/app/listing.hpp>

namespace samvad::app {

namespace {
nlohmann::json localized_json(const Localized& l) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [lang, text] : l.text) j[lang] = text;
  return j;
}
}  // namespace

nlohmann::json departments_json(const config::Config& config) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : config.departments) {
    nlohmann::json j{{"id", d.id},
                     {"name", localized_json(d.name)},
                     {"channels", d.channels()},
                     {"languages", d.languages},
                     {"hashtags", d.hashtags}};
    j["twitter"] = d.twitter ? nlohmann::json(d.twitter->handle) : nlohmann::json(nullptr);
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::json templates_json(const std::vector<templates::Template>& all) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : all) {
    nlohmann::json vars = nlohmann::json::array();
    for (const auto& v : t.variables)
      vars.push_back({{"name", v.name},
                      {"type", templates::to_string(v.type)},
                      {"required", v.required},
                      {"description", v.description}});
    out.push_back({{"name", t.name}, {"kind", t.kind}, {"title", localized_json(t.title)}, {"variables", vars}});
  }
  return out;
}

}  // namespace samvad::app
