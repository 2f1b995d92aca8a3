// Email header fields as RFC 5322 wants them on the wire: non-ASCII text as RFC 2047
// encoded-words, long fields folded, attachment file names as RFC 2231 parameters, dates and
// Message-IDs in their RFC 5322 forms. No library on Debian offers these for C++ (libcurl's
// MIME API writes headers as given), so they are written here, as pure functions, and pinned by
// tests/email/header_encoding_test.cpp.
//
// Every function returns the physical lines of one header field, without CRLF: the first line
// starts with "Name: ", each further line with a single space (folding white space), so a
// caller can hand them to libcurl one slist entry each. No line is longer than 76 octets unless
// a single token (an address) is longer; none contains CR or LF. (Only a field name too long for
// any encoded-word after it, over 54 characters, gives a first line of just "Name:".)
// A field name that is not printable ASCII without ':' throws std::invalid_argument.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace samvad::email {

using HeaderLines = std::vector<std::string>;

// An unstructured field (Subject, or any free text). Pure printable ASCII is folded at spaces
// (before the last space of a run, so unfolding gives the value back unchanged); anything else
// becomes "=?UTF-8?B?...?=" encoded-words, each at most 75 characters, split only between whole
// UTF-8 characters (and, where a word has room, between grapheme clusters, so a Devanagari
// conjunct or an emoji ZWJ sequence is never cut), one word per line after the first. A value
// with any non-ASCII is encoded whole. ASCII is encoded too when it holds "=?" (a decoder would
// take it for an encoded-word), starts or ends with a space (unfolding would lose it), or has a
// word too long to fold within 76 octets.
// Throws std::invalid_argument when `value` contains CR or LF or is not valid UTF-8.
HeaderLines unstructured_field(std::string_view name, std::string_view value);

// A mailbox field (From, To, Reply-To): `display_name <address>`. An ASCII display name is
// written as an atom phrase when it can be (RFC 5322 atext words, single spaces), else as a
// quoted-string with '"' and '\' escaped; a non-ASCII one (or one holding "=?", or too long to
// fold) as encoded-words. An empty display name gives just the address, bare.
// `address` must already be a valid ASCII mailbox (address.hpp: is_ascii_address); anything
// else, or a display name header_text_problem refuses (a line break or other control
// character, invalid UTF-8), throws std::invalid_argument.
// Note: Python 3.11's email parser (CPython gh-128110) shows a space between two encoded-words
// of a display name; RFC 2047 section 6.2 says to ignore it, as mail clients do.
HeaderLines mailbox_field(std::string_view name, std::string_view display_name, std::string_view address);

// The RFC 2231 form of a file name for Content-Disposition / Content-Type parameters:
// `filename="ascii"` when it is plain printable ASCII without quotes or backslashes,
// else `filename*=UTF-8''%E0%A4...` (every octet outside attribute-char percent-encoded).
// Each parameter text stays within 70 characters: longer ones are split into RFC 2231
// continuations, `filename*0*=UTF-8''...`, `filename*1*=...` (never inside a UTF-8 character),
// or `filename*0="..."`, `filename*1="..."` for plain ASCII. Returned as the parameter texts, to
// be joined with "; " (a fold may follow each ";").
// Throws std::invalid_argument for a `file_name` header_text_problem refuses (a line break or
// other control character, invalid UTF-8), or a `parameter`
// that is not an RFC 2231 attribute.
std::vector<std::string> filename_parameters(std::string_view parameter, std::string_view file_name);

// "Date: Sat, 28 Nov 2026 08:24:07 +0530": RFC 5322 section 3.3, in the given IANA time zone
// ("Asia/Kolkata"), English day and month names whatever the locale; fractions of a second are
// dropped. Throws std::invalid_argument for a time zone ICU does not know.
std::string date_field(std::chrono::system_clock::time_point when, const std::string& time_zone);

// A new globally unique Message-ID, "<20261128T082407.1f3a9c0b5e7d2a46.label@domain>": the
// current UTC time, 64 random bits (OpenSSL RAND_bytes), an optional label (only [A-Za-z0-9.-]
// kept, without empty atoms between dots; left out when nothing remains) and the sender's
// domain, which must be an ASCII dot-atom (else std::invalid_argument). Returned with the angle
// brackets, as the field's value.
std::string new_message_id(std::string_view label, std::string_view domain);

}  // namespace samvad::email
