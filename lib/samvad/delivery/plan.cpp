#include <samvad/delivery/plan.hpp>

#include <algorithm>
#include <regex>

#include <unicode/unistr.h>

#include <samvad/core/digest.hpp>
#include <samvad/core/file.hpp>
#include <samvad/core/media_type.hpp>
#include <samvad/core/operator.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/registry/channels.hpp>
#include <samvad/text/thread_split.hpp>

namespace samvad::delivery {

std::vector<std::string> select_channels(const std::vector<std::string>& requested) {
  return registry::select(requested);
}

namespace {

nlohmann::json media_json(const std::vector<MediaItem>& media) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : media) {
    nlohmann::json alt = nlohmann::json::object();
    for (const auto& [lang, text] : m.alt.text) alt[lang] = text;
    // A template's own image is read here first; a problem with it stops the plan (66/65).
    out.push_back({{"file", m.file.filename().string()},
                   {"sha256", sha256_hex(read_whole_file_or_throw(m.file, FileKind::media))},
                   {"alt", alt}});
  }
  return out;
}

std::vector<std::string> department_ids(const std::vector<const config::Department*>& departments) {
  std::vector<std::string> ids;
  for (const auto* d : departments) ids.push_back(d->id);
  return ids;
}

nlohmann::json attachments_json(const std::vector<channel::Attachment>& attachments) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& a : attachments) out.push_back({{"file", a.name}, {"sha256", a.sha256}});
  return out;
}

// A file named on the command line, made absolute so it is found again when sent. "" (or a
// path the system cannot make absolute) stays as given, and reading it says it does not exist.
std::filesystem::path absolute(const std::string& given) {
  std::error_code ec;
  std::filesystem::path file = given.empty() ? std::filesystem::path() : std::filesystem::absolute(given, ec);
  return ec || file.empty() ? std::filesystem::path(given) : file;
}

// The id: given, or derived from what was asked so the same command is the same announcement.
std::string announcement_id(const std::string& prefix, const nlohmann::json& request,
                            const std::optional<std::string>& id) {
  if (id) {
    check_announcement_id(*id);
    return *id;
  }
  // Sorted so that "-d a -d b" and "-d b -d a" are the same announcement.
  auto deps = request.at("departments").get<std::vector<std::string>>();
  std::sort(deps.begin(), deps.end());
  nlohmann::json canonical = request;
  canonical["departments"] = deps;
  // Channels say how, not what: "--channels twitter" now and "--channels email" later are
  // one announcement, and the second run adds its email deliveries to it.
  canonical.erase("channels");
  return derive_announcement_id(prefix, canonical);
}

// Names the announcement before anything is planned: channels may use the id (a page's address).
void name(Plan& plan, const std::string& prefix, const nlohmann::json& request, const std::optional<std::string>& id) {
  plan.announcement.id = announcement_id(prefix, request, id);
  plan.announcement.request_json = request.dump();
  plan.announcement.created_at = store::Clock::now();
  plan.announcement.operator_name = operator_name();
}

nlohmann::json template_request_json(const templates::Template& tmpl, const templates::Variables& given,
                                     const std::vector<const config::Department*>& departments,
                                     const std::vector<std::string>& channels, const std::vector<MediaItem>& media,
                                     const std::vector<channel::Attachment>& attachments) {
  nlohmann::json request{{"template", tmpl.name},
                         {"departments", department_ids(departments)},
                         {"channels", channels},
                         {"variables", variables_json(given)},
                         {"media", media_json(media)}};
  if (!attachments.empty()) request["attachments"] = attachments_json(attachments);
  return request;
}

}  // namespace

nlohmann::json variables_json(const templates::Variables& vars) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : vars.values) {
    nlohmann::json v = nlohmann::json::object();
    if (value.common) v["*"] = *value.common;
    for (const auto& [lang, text] : value.by_language) v[lang] = text;
    out[name] = v;
  }
  return out;
}

std::string template_announcement_id(const templates::Template& tmpl, const templates::Variables& given,
                                     const std::vector<const config::Department*>& departments,
                                     const std::vector<MediaItem>& media,
                                     const std::vector<channel::Attachment>& attachments,
                                     const std::optional<std::string>& id) {
  std::vector<MediaItem> all;
  for (const auto& m : tmpl.media) all.push_back(MediaItem{m.file, m.alt});
  all.insert(all.end(), media.begin(), media.end());
  return announcement_id(tmpl.name, template_request_json(tmpl, given, departments, {}, all, attachments), id);
}

std::string derive_announcement_id(const std::string& prefix, const nlohmann::json& canonical_request) {
  // nlohmann::json keeps object keys sorted, so dump() is canonical.
  return prefix + "-" + sha256_hex(canonical_request.dump()).substr(0, 12);
}

void check_announcement_id(const std::string& id) {
  static const std::regex pattern("[A-Za-z0-9._@:-]{1,128}");
  if (!std::regex_match(id, pattern))
    throw Error(ExitCode::usage, "--id '" + shown(id) + "': expected 1-128 letters, digits or . _ - @ :");
}

std::vector<MediaItem> check_media(const std::vector<std::string>& files, const std::vector<std::string>& alts) {
  if (files.size() != alts.size())
    throw Error(ExitCode::usage, "every --media FILE needs its own --alt TEXT (got " + std::to_string(files.size()) +
                                     " --media and " + std::to_string(alts.size()) + " --alt)");
  if (files.size() > 4) throw Error(ExitCode::usage, "at most 4 images per post; got " + std::to_string(files.size()));
  std::vector<MediaItem> out;
  Diagnostics problems;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string given = "--media " + shown(files[i]);
    const std::filesystem::path file = absolute(files[i]);
    auto bytes = read_whole_file(file, FileKind::media);
    if (!bytes) {
      problems.add(bytes.error().code, given + ": " + bytes.error().message);
      continue;
    }
    // The name goes into the upload's Content-Disposition header.
    if (auto why = line_text_problem(file.filename().string()))
      problems.add(ExitCode::data, given + ": the file name contains " + *why + "; expected a name without control characters, in UTF-8 (rename the file)");
    if (!image_media_type(bytes->substr(0, 16)))
      problems.add(ExitCode::data, given + ": not a JPEG, PNG, GIF or WEBP image; expected one of those");
    icu::UnicodeString alt = icu::UnicodeString::fromUTF8(alts[i]);
    if (alts[i].find_first_not_of(" \t\r\n") == std::string::npos)
      problems.add(ExitCode::data, "--alt for " + shown(files[i]) + " is empty; expected a description of the image for people who cannot see it");
    else if (auto at = invalid_utf8_at(alts[i]))
      problems.add(ExitCode::data, "--alt for " + shown(files[i]) + " is not valid UTF-8 (at byte " + std::to_string(*at + 1) +
                                       "); expected UTF-8 text");
    else if (alt.countChar32() > 1000)
      problems.add(ExitCode::data, "--alt for " + shown(files[i]) + " has " + std::to_string(alt.countChar32()) +
                                       " characters; expected at most 1000");
    MediaItem m;
    m.file = file;
    m.alt.text[""] = alts[i];
    out.push_back(std::move(m));
  }
  problems.throw_if_any();
  return out;
}

std::vector<channel::Attachment> check_attachments(const std::vector<std::string>& files) {
  const std::uintmax_t max_total = info(FileKind::attachment).max_bytes;
  std::vector<channel::Attachment> out;
  Diagnostics problems;
  std::uintmax_t total = 0;
  for (const auto& f : files) {
    const std::string given = "--attach " + shown(f);
    const std::filesystem::path file = absolute(f);
    auto bytes = read_whole_file(file, FileKind::attachment);
    if (!bytes) {
      problems.add(bytes.error().code, given + ": " + bytes.error().message);
      continue;
    }
    const std::string name = file.filename().string();
    bool named = true;
    for (const auto& spec : registry::channels()) {
      if (!spec.attachment_name_problem) continue;
      if (auto why = spec.attachment_name_problem(name)) {
        problems.add(ExitCode::data,
                     given + ": " + *why +
                         "; expected a name without line breaks or control characters, in UTF-8 (rename the file)");
        named = false;
        break;
      }
    }
    if (!named) continue;
    if (bytes->empty()) {
      problems.add(ExitCode::data, given + " is empty; expected the file to attach");
      continue;
    }
    total += bytes->size();
    out.push_back(channel::Attachment{file, name, attachment_content_type(file, bytes->substr(0, 16)),
                                      sha256_hex(*bytes), bytes->size()});
  }
  if (total > max_total)
    problems.add(ExitCode::data, "--attach files add up to " + describe_size(total) + "; expected at most " +
                                     describe_size(max_total) + " in all (mail servers refuse larger messages): link to large files instead");
  problems.throw_if_any();
  return out;
}

namespace {

// Each chosen channel's planner for each department that uses it; a department without the
// channel is passed over, and says so.
void plan_deliveries(Plan& plan, const config::Config& config,
                     const std::vector<const config::Department*>& departments,
                     const std::vector<templates::Message>* messages, const std::vector<std::string>* text_parts,
                     const std::vector<std::string>& channels, const std::vector<channel::Attachment>& attachments) {
  for (std::size_t i = 0; i < departments.size(); ++i) {
    const config::Department& d = *departments[i];
    for (const auto& spec : registry::channels()) {
      if (std::find(channels.begin(), channels.end(), spec.name) == channels.end()) continue;
      if (text_parts && !spec.takes_text) continue;
      if (!d.uses(spec.name)) {
        plan.skipped.push_back(d.id + ": " + spec.absent);
        continue;
      }
      channel::PlanRequest request{config,     d,          plan.announcement.id, messages ? &(*messages)[i] : nullptr,
                                   text_parts, plan.media, attachments};
      channel::PlanResult result;
      spec.plan(request, result);
      for (auto& delivery : result.deliveries) plan.deliveries.push_back(std::move(delivery));
      plan.skipped.insert(plan.skipped.end(), result.skipped.begin(), result.skipped.end());
      plan.warnings.insert(plan.warnings.end(), result.warnings.begin(), result.warnings.end());
    }
  }
}

// The chosen channels that take attachments, for "--attach needs ..." ("" when one is chosen).
std::string attachments_refused(const std::vector<std::string>& channels) {
  std::vector<std::string> takers;
  for (const auto& spec : registry::channels()) {
    if (!spec.takes_attachments) continue;
    if (std::find(channels.begin(), channels.end(), spec.name) != channels.end()) return "";
    takers.push_back(spec.name);
  }
  return registry::listing(takers);
}

}  // namespace

Plan plan_template(const TemplateRequest& request, const config::Config& config,
                   const std::vector<std::string>& channels, const std::vector<MediaItem>& media,
                   const std::vector<channel::Attachment>& attachments, const std::optional<std::string>& id) {
  Plan plan;
  // The template's own images first, then those given with --media.
  for (const auto& m : request.tmpl.media) plan.media.push_back(MediaItem{m.file, m.alt});
  plan.media.insert(plan.media.end(), media.begin(), media.end());
  if (plan.media.size() > 4)
    throw Error(ExitCode::usage, "template " + request.tmpl.name + " has " + std::to_string(request.tmpl.media.size()) +
                                     " images and --media adds " + std::to_string(media.size()) +
                                     "; expected at most 4 in all");
  if (!attachments.empty())
    if (auto takers = attachments_refused(channels); !takers.empty())
      throw Error(ExitCode::usage, "--attach adds files to " + takers +
                                       ", but --channels leaves it out; expected --channels to include " + takers);
  plan.announcement.template_name = request.tmpl.name;
  nlohmann::json canonical =
      template_request_json(request.tmpl, request.given, request.departments, channels, plan.media, attachments);
  name(plan, request.tmpl.name, canonical, id);
  plan_deliveries(plan, config, request.departments, &request.messages, nullptr, channels, attachments);
  return plan;
}

Plan plan_text(const std::string& text, const config::Config& config,
               const std::vector<const config::Department*>& departments, const std::vector<std::string>& channels,
               const std::vector<MediaItem>& media, const std::optional<std::string>& id) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(ExitCode::data, "--text is empty; expected the text to post");
  if (auto at = invalid_utf8_at(text))
    throw Error(ExitCode::data, "--text is not valid UTF-8 (at byte " + std::to_string(*at + 1) + "); expected UTF-8 text");
  std::vector<std::string> takers;
  bool any = false;
  for (const auto& spec : registry::channels()) {
    if (!spec.takes_text) continue;
    takers.push_back(spec.name);
    any = any || std::find(channels.begin(), channels.end(), spec.name) != channels.end();
  }
  if (!any)
    throw Error(ExitCode::usage, "--text posts to " + registry::listing(takers) +
                                     " only (the other channels need a template's "
                                     "texts); expected a TEMPLATE for --channels " +
                                     registry::listing(channels, ","));
  Plan plan;
  plan.media = media;
  std::vector<std::string> parts;
  try {
    parts = text::split_thread(text);
  } catch (const Error& e) {
    throw Error(e.code(), "--text: " + e.diagnostics().front().message);
  }
  nlohmann::json request{{"text", text}, {"departments", department_ids(departments)}, {"channels", channels},
                         {"media", media_json(media)}};
  name(plan, "text", request, id);
  plan_deliveries(plan, config, departments, nullptr, &parts, channels, {});
  return plan;
}

}  // namespace samvad::delivery
