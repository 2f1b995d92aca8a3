// One department's email as samvad records and sends it: the rendered subject and bodies, the
// sender, the list headers, the attachments. Recorded in the store as JSON when the
// announcement is planned, so a rerun sends exactly what the first run planned.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <samvad/channel/channel.hpp>
#include <samvad/email/header_encoding.hpp>

namespace samvad::email {

using Attachment = channel::Attachment;

struct EmailMessage {
  std::string from_address;  // ASCII mailbox
  std::string from_name;     // display name (UTF-8), may be empty
  std::optional<std::string> to;  // the list address; subscribers are never in a header
  std::string subject;
  std::string text;          // text/plain body (LF or CRLF line ends; sent as CRLF)
  std::string html;          // text/html body; empty: plain text only
  std::string list_id;       // "<water-supply.pcmcindia.gov.in>"
  std::optional<std::string> unsubscribe;  // https:// or mailto: URL
  std::vector<Attachment> attachments;
  std::string time_zone = "Asia/Kolkata";  // for the Date header: the organization's
};

std::string to_json(const EmailMessage& message);
// Throws Error(ExitCode::config) when the recorded text is not a message (a damaged store).
EmailMessage message_from_json(const std::string& json);

// The header fields of one copy, in order: From, To, Subject, Date, Message-ID, List-Id,
// List-Unsubscribe (+ List-Unsubscribe-Post for an https URL, RFC 8058), Auto-Submitted.
// MIME-Version and Content-Type come from the MIME structure. Never a Bcc.
HeaderLines message_headers(const EmailMessage& message, const std::string& message_id,
                            std::chrono::system_clock::time_point date);

// Adds the unsubscribe link to the end of both bodies (RFC 2369's header is not shown by every
// mail client); `html` stays empty when it is. Preview and delivery both call this, so the
// preview shows exactly what is sent.
void add_unsubscribe_footer(std::string& text, std::string& html, const std::string& url);

// The domain of an address ("pcmcindia.gov.in" for "water@pcmcindia.gov.in").
std::string domain_of(const std::string& address);

// Every line end (LF, CR or CRLF) as CRLF: SMTP bodies are CRLF only (RFC 5321 section 2.3.8).
std::string to_crlf(const std::string& text);

}  // namespace samvad::email
