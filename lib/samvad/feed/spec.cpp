#include <samvad/feed/spec.hpp>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/feed/publish.hpp>

namespace samvad::feed {

namespace {

class SectionReader : public config::SectionReader {
 public:
  std::string key() const override { return kChannel; }

  void read_defaults(config::YamlReader& r, const YAML::Node& node, const std::filesystem::path& dir) override {
    corporation_ = read_feed_section(r, node, kChannel, dir, nullptr);
    written_ = true;
  }

  // Every department has the feed once the top level names one; a department's own block
  // overrides it (and, without a top-level block, is the corporation's feed too).
  std::shared_ptr<const config::ChannelSettings> read_department(config::YamlReader& r, const YAML::Node* node,
                                                                 const std::string& what,
                                                                 const std::filesystem::path& dir) override {
    if (!node && !corporation_) return nullptr;
    auto settings = std::make_shared<ChannelSettings>();
    if (node) {
      auto own = read_feed_section(r, *node, what, dir, corporation_ ? &*corporation_ : nullptr);
      if (!own) return nullptr;
      settings->department = *own;
    } else {
      settings->department = *corporation_;
    }
    if (written_ && !corporation_) return nullptr;  // the top-level block was refused: reported there
    settings->corporation = corporation_ ? *corporation_ : settings->department;
    return settings;
  }

 private:
  std::optional<FeedSettings> corporation_;
  bool written_ = false;
};

// What the page and the entries carry, recorded with the delivery so that a rerun publishes
// exactly what was planned.
std::string content_of(const channel::PlanRequest& request, const std::string& page) {
  const config::Department& d = request.department;
  nlohmann::json languages = nlohmann::json::array();
  for (const auto& l : request.message->email->languages)
    languages.push_back({{"lang", l.language}, {"title", l.subject}, {"html", l.html}, {"text", l.text}});
  nlohmann::json names = nlohmann::json::object(), org = nlohmann::json::object();
  for (const auto& [lang, text] : d.name.text) names[lang] = text;
  for (const auto& [lang, text] : request.config.organization.name.text) org[lang] = text;
  return nlohmann::json{{"page", page},
                        {"department_name", names},
                        {"organization_name", org},
                        {"time_zone", request.config.organization.timezone},
                        {"languages", languages}}
      .dump();
}

Localized localized(const nlohmann::json& j) {
  Localized out;
  for (const auto& [lang, text] : j.items()) out.text[lang] = text.get<std::string>();
  return out;
}

Notice notice_of(const store::Delivery& d, const nlohmann::json& content, store::Clock::time_point published) {
  Notice n;
  n.announcement_id = d.announcement_id;
  n.department_id = d.department;
  n.department_name = localized(content.at("department_name"));
  n.organization_name = localized(content.at("organization_name"));
  n.time_zone = content.at("time_zone").get<std::string>();
  n.published = published;
  for (const auto& l : content.at("languages"))
    n.languages.push_back(LanguageText{l.at("lang").get<std::string>(), l.at("title").get<std::string>(),
                                       l.at("html").get<std::string>(), l.at("text").get<std::string>()});
  return n;
}

// One page per announcement and department, from the template's long form (the email's texts).
void plan(const channel::PlanRequest& request, channel::PlanResult& out) {
  if (!request.message || !request.message->email) {
    out.skipped.push_back(request.department.id + ": the template has no email texts for the notice page");
    return;
  }
  const ChannelSettings& settings = *settings_of(request.department);
  const std::string page = page_url(settings.department, request.department.id, request.announcement_id);
  out.deliveries.push_back(
      store::PlannedDelivery{request.department.id, kChannel, "*", {page}, content_of(request, page), {}});
}

// Writing files has no lost answers: publishing again is harmless (it writes the same bytes),
// so a part left in flight by a crash is simply published again.
class Sender : public channel::Sender {
 public:
  channel::Outcome deliver(store::Store& st, const store::Delivery& d, const channel::DeliveryContext& ctx) override {
    const ChannelSettings* settings = settings_of(ctx.department);
    if (!settings)
      return {store::DeliveryStatus::failed, "department " + d.department + " has no feed in the configuration"};
    auto content = nlohmann::json::parse(d.content, nullptr, false);
    auto announcement = st.announcement(d.announcement_id);
    std::optional<Notice> notice;
    try {
      if (content.is_object() && announcement) notice = notice_of(d, content, announcement->created_at);
    } catch (const nlohmann::json::exception&) {
      // A store damaged by hand; nothing the sender can repair.
    }
    if (!notice)
      return {store::DeliveryStatus::failed,
              "the recorded notice of " + d.announcement_id + " is damaged; expected its page's content"};
    for (const auto& part : d.parts) {
      if (part.status == store::PartStatus::delivered) continue;
      if (ctx.stopping()) return {store::DeliveryStatus::deferred, "stopped before the notice page was written"};
      st.set_part_status(d.id, part.index, store::PartStatus::in_flight);
      try {
        PublishResult result = publish(settings->department, settings->corporation, *notice);
        st.set_part_status(d.id, part.index, store::PartStatus::delivered, result.page_url);
        ctx.note("published " + result.page_url + (result.changed ? "" : " (already there)"));
      } catch (const Error& e) {
        // A folder that cannot be written is the operator's to fix; nothing was half-written.
        st.set_part_status(d.id, part.index, store::PartStatus::failed, "", e.what());
        return {store::DeliveryStatus::failed,
                std::string(e.what()) + "; after fixing the cause, send it again with --retry-failed"};
      }
    }
    return {store::DeliveryStatus::delivered, ""};
  }
};

channel::Retraction retract(store::Store& st, const store::Delivery& d, const channel::RetractContext& ctx) {
  using Kind = channel::Retraction::Kind;
  const ChannelSettings* settings = ctx.department ? settings_of(*ctx.department) : nullptr;
  if (!settings)
    return {Kind::stopped, ExitCode::unavailable,
            "department " + d.department + " has no feed in the configuration any more"};
  try {
    if (withdraw(settings->department, settings->corporation, d.department, d.announcement_id))
      ctx.note("removed the notice page and its feed entries");
  } catch (const Error& e) {
    return {Kind::stopped, ExitCode::unavailable, e.what()};
  }
  for (const auto& part : d.parts) st.set_part_status(d.id, part.index, store::PartStatus::retracted);
  return {};
}

}  // namespace

channel::Spec spec() {
  channel::Spec s;
  s.name = kChannel;
  s.title = "notice feed";
  s.absent = "no notice feed";
  s.contents = templates::Contents{false, true};
  s.section_reader = [] { return std::make_unique<SectionReader>(); };
  // {{feed.url}}: where the notice's page will be, so a post can say "full notice: ...".
  s.template_values = [](const config::Department& department, const std::string& announcement_id) {
    const ChannelSettings* settings = settings_of(department);
    std::map<std::string, std::string> values;
    if (settings) values["url"] = page_url(settings->department, department.id, announcement_id);
    return values;
  };
  s.plan = plan;
  s.sender = [](const channel::Services&) { return std::make_unique<Sender>(); };
  s.retract = retract;
  s.describe = [](const std::string& content_text, channel::DeliveryReport& r) {
    auto content = nlohmann::json::parse(content_text, nullptr, false);
    if (content.is_object() && content.contains("page")) r.content = {{"page", content["page"]}};
    for (const auto& p : r.parts)
      if (p.status == store::PartStatus::delivered) r.urls.push_back(p.remote_id);
  };
  s.json = [](const channel::DeliveryReport& r, nlohmann::json& j) {
    j["page"] = r.content.is_object() && r.content.contains("page") ? r.content["page"] : nlohmann::json(nullptr);
    j["urls"] = r.urls;
  };
  s.part_json = [](const channel::DeliveryReport&, const channel::PartReport& p) {
    return nlohmann::json{{"index", p.index}, {"status", store::to_string(p.status)}, {"url", p.text}};
  };
  s.outcome_text = [](const channel::DeliveryReport& r) { return r.urls.empty() ? std::string() : r.urls.front(); };
  s.show = [](const store::PlannedDelivery& d, const std::vector<bool>&) {
    std::vector<std::string> lines;
    auto content = nlohmann::json::parse(d.content, nullptr, false);
    if (!content.is_object()) return lines;
    lines.push_back("Page: " + content.value("page", ""));
    for (const auto& l : content.value("languages", nlohmann::json::array()))
      lines.push_back("Title (" + l.value("lang", "") + "): " + l.value("title", ""));
    return lines;
  };
  s.summary = [](const store::PlannedDelivery& d, std::size_t) {
    return channel::SummaryLine{"feed", d.part_payloads.empty() ? std::string("page") : d.part_payloads.front()};
  };
  return s;
}

}  // namespace samvad::feed
