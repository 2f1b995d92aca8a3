// OAuth 1.0a request signing (RFC 5849, HMAC-SHA1) as the X API requires: a pure function of
// the request, the secrets, a nonce and a timestamp, so it is testable against published vectors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace samvad::oauth {

using Params = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 section 2.1 as RFC 5849 section 3.6 requires: only A-Z a-z 0-9 - . _ ~ stay as
// they are; every other octet of the UTF-8 input becomes %XX with upper-case hex.
std::string percent_encode(std::string_view s);
std::string percent_decode(std::string_view s);  // "+" stays "+"

// What is signed: the method, the URL (its query parameters are signed and the query is
// dropped from the base string URL), and the parameters of an
// application/x-www-form-urlencoded body. JSON and multipart bodies are not signed.
struct Request {
  std::string method;  // "POST"
  std::string url;     // "https://api.x.com/2/tweets?x=1"
  Params form;         // decoded name/value pairs of a form body, empty otherwise
};

struct Keys {
  std::string consumer_key;
  std::string consumer_secret;
  std::string token;         // empty while requesting a request token
  std::string token_secret;  // empty while requesting a request token
};

// The per-request values RFC 5849 section 3.3 asks for, plus protocol extras such as
// oauth_callback (request token) or oauth_verifier (access token).
struct Nonce {
  std::string nonce;
  long long timestamp = 0;  // seconds since the epoch
  Params extra_oauth;
};

// A fresh nonce (32 hex characters from RAND_bytes) and the current time.
Nonce fresh_nonce();

// Base string URI (section 3.4.1.2): lower-case scheme and host, default port dropped, no query.
std::string base_string_uri(const std::string& url);

// The decoded name/value pairs of the URL's query (form rules: "+" is a space), in order.
Params query_params(const std::string& url);

// Section 3.4.1.3.2: every name and value percent-encoded, sorted by name then value (byte
// order), joined as name=value&name=value.
std::string normalized_parameters(const Params& params);

// The oauth_* protocol parameters for a request (without oauth_signature), in sorted order:
// consumer key, nonce, HMAC-SHA1, timestamp, oauth_version 1.0 (as X's examples send it), the
// token when there is one, and nonce.extra_oauth.
Params protocol_params(const Keys& keys, const Nonce& nonce);

// Section 3.4.1: METHOD&enc(base string URI)&enc(normalized parameters), where the parameters
// are the query, the form body and `oauth_params`, each percent-encoded, sorted by name then value.
// "oauth_signature" and "realm" in `oauth_params` are left out (section 3.4.1.3.1), so the
// parameters parsed from a received header can be passed as they are.
std::string signature_base_string(const Request& request, const Params& oauth_params);

// Section 3.4.2: base64(HMAC-SHA1(key = enc(consumer_secret) & enc(token_secret), base string)).
std::string hmac_sha1_signature(std::string_view base_string, std::string_view consumer_secret,
                                std::string_view token_secret);

// The complete header value: OAuth oauth_consumer_key="...", oauth_nonce="...", ...
std::string authorization_header(const Request& request, const Keys& keys, const Nonce& nonce);

// Parses an Authorization header value back into its (decoded) parameters; nullopt when it
// is not an OAuth header. Used by the test stand-in to verify what samvad sends.
std::optional<Params> parse_authorization_header(std::string_view value);

// Decodes an application/x-www-form-urlencoded string (also the token responses of
// /oauth/request_token and /oauth/access_token).
Params parse_form(std::string_view body);
std::string encode_form(const Params& params);

}  // namespace samvad::oauth
