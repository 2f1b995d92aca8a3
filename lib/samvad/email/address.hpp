// Email address syntax as RFC 5321 (section 4.1.2) defines a Mailbox, with internationalized
// (IDN) domains accepted and converted to their ASCII form for the SMTP envelope.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace samvad::email {

// The address with its domain in ASCII (punycode) form, or nullopt when it is not a valid
// RFC 5321 mailbox: Dot-string or Quoted-string local part (at most 64 octets), '@', and a
// domain of LDH labels (IDN allowed) or an address literal; at most 254 octets in all.
std::optional<std::string> normalize_address(std::string_view address);

bool is_valid_address(std::string_view address);

// The key under which two addresses are the same recipient: the local part as written
// (RFC 5321 lets servers treat it case-sensitively) and the ASCII domain in lower case.
std::string recipient_key(std::string_view normalized_address);

}  // namespace samvad::email
