#include <samvad/delivery/plan.hpp>

#include <algorithm>
#include <regex>

#include <unicode/unistr.h>

#include <samvad/core/digest.hpp>
#include <samvad/core/file.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/core/text.hpp>
#include <samvad/email/address.hpp>
#include <samvad/email/channel.hpp>
#include <samvad/email/recipients.hpp>
#include <samvad/net/url.hpp>
#include <samvad/text/thread_split.hpp>
#include <samvad/twitter/client.hpp>

namespace samvad::delivery {

std::string MediaItem::alt_for(const LanguageCode& lang) const {
  if (const std::string* a = alt.find(lang)) return *a;
  if (const std::string* a = alt.find("")) return *a;
  return alt.text.empty() ? std::string() : alt.text.begin()->second;
}

std::vector<std::string> select_channels(const std::vector<std::string>& requested) {
  if (requested.empty()) return known_channels();
  std::vector<std::string> out;
  for (const auto& c : requested) {
    if (std::find(known_channels().begin(), known_channels().end(), c) == known_channels().end())
      throw Error(ExitCode::usage, "unknown channel '" + shown(c) + "'" + did_you_mean(c, known_channels()) +
                                       "; expected twitter or email");
    if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  }
  return out;
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

// What an X delivery sends besides its texts: the account it posts as, and the images of its
// first post with the alt text in its language, pinned by their bytes, so a rerun can tell when
// either changed (a thread never continues from another account).
std::string twitter_content(const config::Department& department, const std::vector<MediaItem>& media,
                            const std::string& language) {
  nlohmann::json content{{"account", department.twitter->handle}};
  if (!media.empty()) {
    nlohmann::json images = nlohmann::json::array();
    for (const auto& m : media)
      images.push_back({{"file", m.file.filename().string()}, {"sha256", sha256_hex(read_whole_file_or_throw(m.file, FileKind::media))},
                        {"alt", m.alt_for(language)}});
    content["media"] = images;
  }
  return content.dump();
}

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

std::vector<std::string> department_ids(const std::vector<const config::Department*>& departments) {
  std::vector<std::string> ids;
  for (const auto* d : departments) ids.push_back(d->id);
  return ids;
}

nlohmann::json attachments_json(const std::vector<email::Attachment>& attachments) {
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

bool uses(const std::vector<std::string>& channels, const char* channel) {
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

// The List-Id domain (RFC 2919): the organization's web site without "www.", else the sender's
// (which the configuration checked is a dot-atom). A site whose host cannot stand in a header
// as is (an IP address, a non-ASCII name) is passed over for the sender's.
std::string list_domain(const config::Organization& organization, const config::EmailList& list) {
  std::string host = organization.website.empty() ? std::string() : net::host_of(organization.website);
  if (host.rfind("www.", 0) == 0) host = host.substr(4);
  const bool usable = email::is_dot_atom_text(host) && std::all_of(host.begin(), host.end(), [](char c) {
                        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                      });
  return usable ? host : email::domain_of(list.from.address);
}

void plan_email(Plan& plan, const config::Department& d, const templates::EmailContent& rendered,
                const config::Organization& organization, const std::vector<email::Attachment>& attachments) {
  const config::EmailList& list = *d.email;
  email::Recipients recipients = email::load_recipients(list);
  plan.warnings.insert(plan.warnings.end(), recipients.problems.begin(), recipients.problems.end());
  if (recipients.addresses.empty()) {
    plan.skipped.push_back(d.id + ": the email list has no valid recipients");
    return;
  }
  templates::EmailContent content = rendered;
  if (list.unsubscribe) email::add_unsubscribe_footer(content.text, content.html, *list.unsubscribe);
  email::EmailMessage m;
  m.from_address = list.from.address;
  const std::string* name = d.languages.empty() ? nullptr : list.from.name.find(d.languages.front());
  m.from_name = name ? *name : (list.from.name.text.empty() ? std::string() : list.from.name.text.begin()->second);
  m.to = list.list;
  m.subject = content.subject;
  m.text = content.text;
  m.html = content.html;
  m.list_id = "<" + d.id + "." + list_domain(organization, list) + ">";
  m.unsubscribe = list.unsubscribe;
  m.attachments = attachments;
  m.time_zone = organization.timezone;

  store::PlannedDelivery delivery{d.id, "email", "*", {}, {}, {}};
  delivery.content = email::to_json(m);
  delivery.part_recipients = email::batches(recipients.addresses, list.batch_size);
  const std::string domain = email::domain_of(list.from.address);
  for (std::size_t i = 0; i < delivery.part_recipients.size(); ++i) {
    delivery.part_payloads.push_back(email::batch_payload(
        email::new_message_id(d.id + ".b" + std::to_string(i + 1), domain), delivery.part_recipients[i].size()));
  }
  plan.deliveries.push_back(std::move(delivery));
}

void finish(Plan& plan, const std::string& prefix, nlohmann::json request, const std::optional<std::string>& id) {
  if (id) {
    check_announcement_id(*id);
    plan.announcement.id = *id;
  } else {
    // Sorted so that "-d a -d b" and "-d b -d a" are the same announcement.
    auto deps = request.at("departments").get<std::vector<std::string>>();
    std::sort(deps.begin(), deps.end());
    nlohmann::json canonical = request;
    canonical["departments"] = deps;
    // Channels say how, not what: "--channels twitter" now and "--channels email" later are
    // one announcement, and the second run adds its email deliveries to it.
    canonical.erase("channels");
    plan.announcement.id = derive_announcement_id(prefix, canonical);
  }
  plan.announcement.request_json = request.dump();
  plan.announcement.created_at = store::Clock::now();
}

}  // namespace

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
    if (!twitter::image_media_type(bytes->substr(0, 16)))
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

std::vector<email::Attachment> check_attachments(const std::vector<std::string>& files) {
  const std::uintmax_t max_total = info(FileKind::attachment).max_bytes;
  std::vector<email::Attachment> out;
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
    // The name becomes the RFC 2231 filename parameter of a header: refused here, before
    // anything is planned or sent, with the message builder's own check (filename_parameters),
    // rather than failing the email when it is built.
    const std::string name = file.filename().string();
    if (auto why = email::header_text_problem(name)) {
      problems.add(ExitCode::data, given + ": the file name cannot be a mail header value: " + *why +
                                       "; expected a name without line breaks or control characters, in UTF-8 (rename the file)");
      continue;
    }
    if (bytes->empty()) {
      problems.add(ExitCode::data, given + " is empty; expected the file to attach");
      continue;
    }
    total += bytes->size();
    out.push_back(email::Attachment{file, name, email::attachment_content_type(file, bytes->substr(0, 16)),
                                    sha256_hex(*bytes), bytes->size()});
  }
  if (total > max_total)
    problems.add(ExitCode::data, "--attach files add up to " + describe_size(total) + "; expected at most " +
                                     describe_size(max_total) + " in all (mail servers refuse larger messages): link to large files instead");
  problems.throw_if_any();
  return out;
}

Plan plan_template(const app::Composed& composed, const config::Organization& organization,
                   const std::vector<std::string>& channels, const std::vector<MediaItem>& media,
                   const std::vector<email::Attachment>& attachments, const std::optional<std::string>& id) {
  Plan plan;
  // The template's own images first, then those given with --media.
  for (const auto& m : composed.tmpl.media) plan.media.push_back(MediaItem{m.file, m.alt});
  plan.media.insert(plan.media.end(), media.begin(), media.end());
  if (plan.media.size() > 4)
    throw Error(ExitCode::usage, "template " + composed.tmpl.name + " has " + std::to_string(composed.tmpl.media.size()) +
                                     " images and --media adds " + std::to_string(media.size()) + "; expected at most 4 in all");
  plan.announcement.template_name = composed.tmpl.name;
  for (std::size_t i = 0; i < composed.departments.size(); ++i) {
    const auto* d = composed.departments[i];
    const auto& message = composed.messages[i];
    if (uses(channels, "twitter")) {
      if (!d->twitter) plan.skipped.push_back(d->id + ": no X account");
      else if (message.tweets.empty()) plan.skipped.push_back(d->id + ": the template has no tweet");
      for (const auto& thread : message.tweets)
        plan.deliveries.push_back(store::PlannedDelivery{d->id, "twitter", thread.language, thread.parts,
                                                         twitter_content(*d, plan.media, thread.language), {}});
    }
    if (uses(channels, "email")) {
      if (!d->email) plan.skipped.push_back(d->id + ": no email list");
      else if (!message.email) plan.skipped.push_back(d->id + ": the template has no email");
      else plan_email(plan, *d, *message.email, organization, attachments);
    }
  }
  if (!attachments.empty() && !uses(channels, "email"))
    throw Error(ExitCode::usage, "--attach adds files to emails, but --channels leaves email out; expected --channels to include email");
  nlohmann::json request{{"template", composed.tmpl.name},
                         {"departments", department_ids(composed.departments)},
                         {"channels", channels},
                         {"variables", variables_json(composed.given)},
                         {"media", media_json(plan.media)}};
  if (!attachments.empty()) request["attachments"] = attachments_json(attachments);
  finish(plan, composed.tmpl.name, request, id);
  return plan;
}

Plan plan_text(const std::string& text, const std::vector<const config::Department*>& departments,
               const std::vector<std::string>& channels, const std::vector<MediaItem>& media,
               const std::optional<std::string>& id) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(ExitCode::data, "--text is empty; expected the text to post");
  if (auto at = invalid_utf8_at(text))
    throw Error(ExitCode::data, "--text is not valid UTF-8 (at byte " + std::to_string(*at + 1) + "); expected UTF-8 text");
  if (uses(channels, "email") && channels.size() == 1)
    throw Error(ExitCode::usage, "--text posts to X only (an email needs a template's subject and body); expected a TEMPLATE for --channels email");
  Plan plan;
  plan.media = media;
  std::vector<std::string> parts;
  try {
    parts = text::split_thread(text);
  } catch (const Error& e) {
    throw Error(e.code(), "--text: " + e.diagnostics().front().message);
  }
  for (const auto* d : departments) {
    if (!d->twitter) {
      plan.skipped.push_back(d->id + ": no X account");
      continue;
    }
    // A one-off text is in whatever language it was written in; "*" marks that.
    plan.deliveries.push_back(store::PlannedDelivery{d->id, "twitter", "*", parts, twitter_content(*d, media, "*"), {}});
  }
  nlohmann::json request{{"text", text}, {"departments", department_ids(departments)}, {"channels", channels},
                         {"media", media_json(media)}};
  finish(plan, "text", request, id);
  return plan;
}

}  // namespace samvad::delivery
