// What an announcement will send before anything is sent: its id (given, or derived from what
// was asked so the same command is the same announcement), and one delivery per department,
// channel and language with the exact texts of its parts.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/channel/channel.hpp>
#include <samvad/config/config.hpp>
#include <samvad/store/store.hpp>
#include <samvad/templates/render.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variables.hpp>

namespace samvad::delivery {

using channel::MediaItem;

struct Plan {
  store::Announcement announcement;
  std::vector<store::PlannedDelivery> deliveries;
  std::vector<MediaItem> media;
  std::vector<std::string> skipped;  // "fire-brigade: no email list", for the record
  std::vector<Diagnostic> warnings;  // invalid subscriber lines (skipped), with file:line
};

// Checks --channels against the registered ones (64 otherwise); empty means every channel.
std::vector<std::string> select_channels(const std::vector<std::string>& requested);

// The variables as they are recorded in an announcement's request: {name: {"*"|lang: value}}.
nlohmann::json variables_json(const templates::Variables& vars);

// "<prefix>-<12 hex digits of the SHA-256 of the canonical request>": deterministic, so
// running the same command twice names the same announcement.
std::string derive_announcement_id(const std::string& prefix, const nlohmann::json& canonical_request);

// An --id given by the user: 1-128 of letters, digits and . _ - @ : (64 otherwise).
void check_announcement_id(const std::string& id);

// Checks each --media file (exists: 66; an image X accepts: 65) and --alt text (required,
// at most 1000 characters: 65), at most 4 images (64).
std::vector<MediaItem> check_media(const std::vector<std::string>& files, const std::vector<std::string>& alts);

// Checks each --attach file: it exists and is readable (66), not empty and at most 20 MB in
// all (65). Content types from the bytes or the name; the SHA-256 pins what is sent.
std::vector<channel::Attachment> check_attachments(const std::vector<std::string>& files);

// A template rendered for some departments (app::compose): `messages` in the order of
// `departments`.
struct TemplateRequest {
  const templates::Template& tmpl;
  const templates::Variables& given;  // as the user gave them: part of what names the announcement
  const std::vector<const config::Department*>& departments;
  const std::vector<templates::Message>& messages;
};

// The id plan_template gives the announcement (`media`: those given with --media; the template's
// own come first), known before the template is rendered, so texts can name what depends on it
// (a notice page's address).
std::string template_announcement_id(const templates::Template& tmpl, const templates::Variables& given,
                                     const std::vector<const config::Department*>& departments,
                                     const std::vector<MediaItem>& media,
                                     const std::vector<channel::Attachment>& attachments,
                                     const std::optional<std::string>& id);

// The deliveries each channel's planner makes for each department that uses it (channel/spec.hpp),
// departments in order, channels in registry order.
Plan plan_template(const TemplateRequest& request, const config::Config& config,
                   const std::vector<std::string>& channels, const std::vector<MediaItem>& media,
                   const std::vector<channel::Attachment>& attachments, const std::optional<std::string>& id);

// A one-off text without a template (post --text): a post, or a thread when it is too long, on
// every chosen channel that takes a text.
Plan plan_text(const std::string& text, const config::Config& config,
               const std::vector<const config::Department*>& departments, const std::vector<std::string>& channels,
               const std::vector<MediaItem>& media, const std::optional<std::string>& id);

}  // namespace samvad::delivery
