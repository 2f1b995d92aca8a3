// Email address syntax (the email channel's lists and senders, and any address the configuration
// names) as RFC 5321 (section 4.1.2) defines a Mailbox, with internationalized
// (IDN) domains accepted and converted to their ASCII form for the SMTP envelope.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace samvad::net {

// The address with its domain in ASCII (punycode) form, or nullopt when it is not a valid
// RFC 5321 mailbox: Dot-string or Quoted-string local part (at most 64 octets), '@', and a
// domain of LDH labels (IDN allowed) or an address literal; at most 254 octets in all.
std::optional<std::string> normalize_address(std::string_view address);

bool is_valid_address(std::string_view address);

// A valid mailbox already in the ASCII form a header and the SMTP envelope carry as they are
// (an internationalized domain written as its xn-- A-labels): what mailbox_field takes for From
// and To, and what the configuration must give for a sender or a list address.
bool is_ascii_address(std::string_view address);

// RFC 5322 section 3.2.3 dot-atom-text: what new_message_id takes as a Message-ID's domain, so
// what a sender's domain must be (a domain name, not an address literal like [192.0.2.1]).
bool is_dot_atom_text(std::string_view text);

// Why text cannot go into a header as a display name (mailbox_field's check, and the
// configuration's for from.name): a line break or another control character, which would end
// the field or hide in it, or bytes that are not UTF-8. nullopt when it can.
std::optional<std::string> header_text_problem(std::string_view text);

// Why `url` cannot be a List-Unsubscribe URL (RFC 2369 writes it as is between < and >):
// nullopt for an https:// URL, or a mailto: URI of one valid ASCII address, in URI characters
// only (RFC 3986; no space, control character, non-ASCII letter, '<' or '>').
// message_headers and the configuration both ask this.
std::optional<std::string> unsubscribe_problem(std::string_view url);

// RFC 8058 one-click unsubscription (List-Unsubscribe-Post) is defined for an https URI only.
bool is_one_click_unsubscribe(std::string_view url);

// The key under which two addresses are the same recipient: the local part as written
// (RFC 5321 lets servers treat it case-sensitively) and the ASCII domain in lower case.
std::string recipient_key(std::string_view normalized_address);

}  // namespace samvad::net
