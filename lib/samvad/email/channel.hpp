// The email channel of the delivery engine: sends a department's recorded message to its
// recipients batch by batch over one SMTP session, each batch marked in flight before its
// transaction and settled after it with every recipient's outcome, so a rerun resumes at the
// first unsent batch and sends a batch twice only if a crash cut its transaction short (with
// the same Message-ID, so mail clients fold the copies).
#pragma once

#include <memory>

#include <samvad/channel/channel.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/email/smtp.hpp>

namespace samvad::email {

std::unique_ptr<channel::Sender> make_sender();

// The SMTP settings for a department's list with its login (Credentials::smtp_for: its own,
// else the shared one, which goes only to the shared server).
SmtpSettings settings_for(const config::Department& department, const config::Credentials& credentials);

// What a batch part records: {"message_id": "<...>", "recipients": N}.
std::string batch_payload(const std::string& message_id, std::size_t recipients);
std::string message_id_of(const std::string& batch_payload);

}  // namespace samvad::email
