// What an announcement will send before anything is sent: its id (given, or derived from what
// was asked so the same command is the same announcement), and one delivery per department,
// channel and language with the exact texts of its parts.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/compose.hpp>
#include <samvad/config/config.hpp>
#include <samvad/email/message.hpp>
#include <samvad/store/store.hpp>

namespace samvad::delivery {

// An image attached to the first post of every thread, with its alt text per language
// (a single --alt text is used for every language).
struct MediaItem {
  std::filesystem::path file;
  Localized alt;
  std::string alt_for(const LanguageCode& lang) const;
};

struct Plan {
  store::Announcement announcement;
  std::vector<store::PlannedDelivery> deliveries;
  std::vector<MediaItem> media;
  std::vector<std::string> skipped;  // "fire-brigade: no email list", for the record
  std::vector<Diagnostic> warnings;  // invalid subscriber lines (skipped), with file:line
};

inline const std::vector<std::string>& known_channels() {
  static const std::vector<std::string> channels{"twitter", "email"};
  return channels;
}

// Checks --channels against the known ones (64 otherwise); empty means every channel
// (twitter and email).
std::vector<std::string> select_channels(const std::vector<std::string>& requested);

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
std::vector<email::Attachment> check_attachments(const std::vector<std::string>& files);

// One delivery per department, channel and language: X threads per language; one email per
// department (language "*", every language in it) in batches of email.batch_size recipients,
// each batch with its own Message-ID.
Plan plan_template(const app::Composed& composed, const config::Organization& organization,
                   const std::vector<std::string>& channels, const std::vector<MediaItem>& media,
                   const std::vector<email::Attachment>& attachments, const std::optional<std::string>& id);

// A one-off text without a template (post --text): a tweet, or a thread when it is too long,
// to each department's X account.
Plan plan_text(const std::string& text, const std::vector<const config::Department*>& departments,
               const std::vector<std::string>& channels, const std::vector<MediaItem>& media,
               const std::optional<std::string>& id);

}  // namespace samvad::delivery
