#include <catch2/catch.hpp>

#include <chrono>
#include <set>

#include <samvad/oauth/signer.hpp>

using namespace samvad::oauth;

namespace {

// X developer docs, "Creating a signature" (developer.x.com/en/docs/authentication/oauth-1-0a/
// creating-a-signature): every value below is copied from that page.
Request x_docs_request() {
  return Request{"POST",
                 "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
                 {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}}};
}
Keys x_docs_keys() {
  return Keys{"xvz1evFS4wEEPTGEFPHBog", "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
              "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"};
}
Nonce x_docs_nonce() { return Nonce{"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958, {}}; }

const char* const x_docs_base_string =
    "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_"
    "key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_"
    "method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
    "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%"
    "2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521";

// RFC 5849 section 3.4.1.1: the request and the base string printed there.
const char* const rfc_3_4_1_1_url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";
const char* const rfc_3_4_1_1_body = "c2&a3=2+q";
const Params rfc_3_4_1_1_oauth{{"oauth_consumer_key", "9djdj82h48djs9d2"},
                               {"oauth_token", "kkk9d7dh3k39sjv7"},
                               {"oauth_signature_method", "HMAC-SHA1"},
                               {"oauth_timestamp", "137131201"},
                               {"oauth_nonce", "7d8f3e4a"}};
const char* const rfc_3_4_1_1_base_string =
    "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
    "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_"
    "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m"
    "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk"
    "9d7dh3k39sjv7";

// RFC 5849 section 1.2, the last exchange: the printer reads the photo with its token.
const char* const rfc_1_2_url = "http://photos.example.net/photos?file=vacation.jpg&size=original";
const char* const rfc_1_2_header =
    "OAuth realm=\"Photos\",\n"
    "        oauth_consumer_key=\"dpf43f3p2l4k3l03\",\n"
    "        oauth_token=\"nnch734d00sl2jdk\",\n"
    "        oauth_signature_method=\"HMAC-SHA1\",\n"
    "        oauth_timestamp=\"137131202\",\n"
    "        oauth_nonce=\"chapoH\",\n"
    "        oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\"";

std::string param(const Params& params, const std::string& name) {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return "<missing>";
}

}  // namespace

TEST_CASE("X's 'Creating a signature' example is reproduced byte for byte", "[oauth]") {
  const Params oauth = protocol_params(x_docs_keys(), x_docs_nonce());
  CHECK(signature_base_string(x_docs_request(), oauth) == x_docs_base_string);
  CHECK(hmac_sha1_signature(x_docs_base_string, x_docs_keys().consumer_secret, x_docs_keys().token_secret) ==
        "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
  // The header as X's "Authorizing a request" page shows it: sorted, every value encoded.
  CHECK(authorization_header(x_docs_request(), x_docs_keys(), x_docs_nonce()) ==
        "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", "
        "oauth_nonce=\"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg\", "
        "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\", "
        "oauth_signature_method=\"HMAC-SHA1\", "
        "oauth_timestamp=\"1318622958\", "
        "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\", "
        "oauth_version=\"1.0\"");
}

TEST_CASE("the X example's raw form body decodes to the value that was signed", "[oauth]") {
  // The body exactly as the docs' raw request carries it, with lower-case %2b and %2c.
  Request request = x_docs_request();
  request.form = parse_form("status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21");
  CHECK(request.form == Params{{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"}});
  CHECK(signature_base_string(request, protocol_params(x_docs_keys(), x_docs_nonce())) == x_docs_base_string);
}

TEST_CASE("RFC 5849 section 3.4.1.1: the base string of a request with query, body and repeated names", "[oauth]") {
  const Request request{"POST", rfc_3_4_1_1_url, parse_form(rfc_3_4_1_1_body)};
  CHECK(request.form == Params{{"c2", ""}, {"a3", "2 q"}});
  CHECK(signature_base_string(request, rfc_3_4_1_1_oauth) == rfc_3_4_1_1_base_string);

  // Section 3.4.1.3.2 prints the normalized parameters of the same request.
  Params all = query_params(rfc_3_4_1_1_url);
  CHECK(all == Params{{"b5", "=%3D"}, {"a3", "a"}, {"c@", ""}, {"a2", "r b"}});
  all.insert(all.end(), request.form.begin(), request.form.end());
  all.insert(all.end(), rfc_3_4_1_1_oauth.begin(), rfc_3_4_1_1_oauth.end());
  CHECK(normalized_parameters(all) ==
        "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2"
        "&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201"
        "&oauth_token=kkk9d7dh3k39sjv7");
}

TEST_CASE("RFC 5849 section 1.2: the photo request's signature, and verifying its header", "[oauth]") {
  const Request request{"GET", rfc_1_2_url, {}};
  const Params oauth{{"oauth_consumer_key", "dpf43f3p2l4k3l03"},
                     {"oauth_token", "nnch734d00sl2jdk"},
                     {"oauth_signature_method", "HMAC-SHA1"},
                     {"oauth_timestamp", "137131202"},
                     {"oauth_nonce", "chapoH"}};
  const std::string base = signature_base_string(request, oauth);
  CHECK(base ==
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%"
        "26oauth_nonce%3DchapoH%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131202%26oauth_token%"
        "3Dnnch734d00sl2jdk%26size%3Doriginal");
  CHECK(hmac_sha1_signature(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00") == "MdpQcU8iPSUjWoN/UDMsK2sui9I=");

  // What a server does: parse the header as the RFC prints it (realm, line breaks) and recompute.
  const auto parsed = parse_authorization_header(rfc_1_2_header);
  REQUIRE(parsed);
  CHECK(param(*parsed, "realm") == "Photos");
  CHECK(param(*parsed, "oauth_signature") == "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
  CHECK(signature_base_string(request, *parsed) == base);  // realm and oauth_signature are not signed
}

TEST_CASE("the base string URI keeps the path and a non-default port, lower-cases scheme and host", "[oauth]") {
  // The two examples of RFC 5849 section 3.4.1.2.
  CHECK(base_string_uri("HTTP://EXAMPLE.COM:80/r%20v/X?id=123") == "http://example.com/r%20v/X");
  CHECK(base_string_uri("https://www.example.net:8080/?q=1") == "https://www.example.net:8080/");
  CHECK(base_string_uri("https://api.x.com:443/2/tweets") == "https://api.x.com/2/tweets");
  CHECK(base_string_uri("http://127.0.0.1:45678/2/users/1001/tweets?max_results=5") ==
        "http://127.0.0.1:45678/2/users/1001/tweets");
  CHECK(base_string_uri("http://[::1]:8080/a#frag") == "http://[::1]:8080/a");
  CHECK(base_string_uri("https://api.x.com") == "https://api.x.com/");
  CHECK(query_params("https://api.x.com/2/media/upload?command=STATUS&media_id=17#x") ==
        Params{{"command", "STATUS"}, {"media_id", "17"}});
}

TEST_CASE("percent-encoding keeps only RFC 3986 unreserved characters and uses upper-case hex", "[oauth]") {
  CHECK(percent_encode("Ladies + Gentlemen") == "Ladies%20%2B%20Gentlemen");
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("!*'();:@&=+$,/?#[]%") == "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%25");
  CHECK(percent_encode("") == "");
  // Marathi (Devanagari) and emoji are encoded as their UTF-8 bytes.
  CHECK(percent_encode("पुणे पाणीपुरवठा") ==
        "%E0%A4%AA%E0%A5%81%E0%A4%A3%E0%A5%87%20%E0%A4%AA%E0%A4%BE%E0%A4%A3%E0%A5%80%E0%A4%AA%E0%A5%81%E0%A4%B0%E0%"
        "A4%B5%E0%A4%A0%E0%A4%BE");
  CHECK(percent_encode("💧") == "%F0%9F%92%A7");
  CHECK(percent_encode(std::string("a\0b", 3)) == "a%00b");
}

TEST_CASE("percent-decoding reverses encoding, accepts lower-case hex and leaves '+' and stray '%' alone", "[oauth]") {
  for (const std::string s : {"पाणीपुरवठा बंद 💧 (२४ तास)", "a+b c&d=e%f", "~!@#$%^&*()"})
    CHECK(percent_decode(percent_encode(s)) == s);
  CHECK(percent_decode("%e0%a4%aa") == "प");
  CHECK(percent_decode("a+b") == "a+b");
  CHECK(percent_decode("100%") == "100%");
  CHECK(percent_decode("%zz%4") == "%zz%4");
}

TEST_CASE("form bodies and token responses are parsed with '+' as space and %XX decoded", "[oauth]") {
  CHECK(parse_form("a=1&b=x+y&c&&d=%26%3D&e=") == Params{{"a", "1"}, {"b", "x y"}, {"c", ""}, {"d", "&="}, {"e", ""}});
  CHECK(parse_form("") == Params{});
  const auto token = parse_form(
      "oauth_token=Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik&oauth_token_secret="
      "Kd75W4OQfb2oJTV0vzGzeXftVAwgMnEK9MumzYcM&oauth_callback_confirmed=true");
  CHECK(param(token, "oauth_token") == "Z6eEdO8MOmk394WozF5oKyuAv855l4Mlqo7hhlSLik");
  CHECK(param(token, "oauth_callback_confirmed") == "true");

  const Params params{{"status", "पाणी + वीज, 100%"}, {"e", ""}, {"k=y", "a&b"}};
  CHECK(encode_form(params) ==
        "status=%E0%A4%AA%E0%A4%BE%E0%A4%A3%E0%A5%80%20%2B%20%E0%A4%B5%E0%A5%80%E0%A4%9C%2C%20100%25&e=&k%3Dy=a%26b");
  CHECK(parse_form(encode_form(params)) == params);
}

TEST_CASE("an authorization header parses back into the values that were signed", "[oauth]") {
  // A request-token request: no token yet, oauth_callback=oob as an extra protocol parameter.
  const Request request{"POST", "http://127.0.0.1:8080/oauth/request_token", {}};
  const Keys keys{"ck", "cs", "", ""};
  const Nonce nonce{"0123456789abcdef0123456789abcdef", 1700000000, {{"oauth_callback", "oob"}}};
  const std::string header = authorization_header(request, keys, nonce);
  const auto parsed = parse_authorization_header(header);
  REQUIRE(parsed);
  CHECK(param(*parsed, "oauth_callback") == "oob");
  CHECK(param(*parsed, "oauth_token") == "<missing>");
  CHECK(param(*parsed, "oauth_timestamp") == "1700000000");
  CHECK(param(*parsed, "oauth_nonce") == nonce.nonce);
  CHECK(param(*parsed, "oauth_signature") ==
        hmac_sha1_signature(signature_base_string(request, *parsed), keys.consumer_secret, ""));

  // Values that need encoding survive the round trip.
  const Nonce odd{"n o/n+ce", 1, {{"oauth_verifier", "12 34=\"56\""}}};
  const auto parsed_odd = parse_authorization_header(authorization_header(request, keys, odd));
  REQUIRE(parsed_odd);
  CHECK(param(*parsed_odd, "oauth_nonce") == "n o/n+ce");
  CHECK(param(*parsed_odd, "oauth_verifier") == "12 34=\"56\"");
}

TEST_CASE("authorization headers that are not OAuth or are malformed are refused", "[oauth]") {
  CHECK(parse_authorization_header("oauth a=\"1\",b=\"2\"") == Params{{"a", "1"}, {"b", "2"}});
  CHECK(parse_authorization_header("  OAuth   a = \"1\" ,  b=\"\"  ") == Params{{"a", "1"}, {"b", ""}});
  CHECK_FALSE(parse_authorization_header("Bearer AAAA"));
  CHECK_FALSE(parse_authorization_header("OAuth"));
  CHECK_FALSE(parse_authorization_header("OAuth "));
  CHECK_FALSE(parse_authorization_header("OAuthx a=\"1\""));
  CHECK_FALSE(parse_authorization_header("OAuth a=1"));
  CHECK_FALSE(parse_authorization_header("OAuth a=\"1"));
  CHECK_FALSE(parse_authorization_header("OAuth a=\"1\" b=\"2\""));
  CHECK_FALSE(parse_authorization_header("OAuth =\"1\""));
}

TEST_CASE("a Marathi post signs its UTF-8 bytes, twice encoded in the base string", "[oauth]") {
  const Request request{"POST", "https://api.x.com/1.1/statuses/update.json", {{"status", "पाणी"}}};
  const std::string base = signature_base_string(request, protocol_params(x_docs_keys(), x_docs_nonce()));
  CHECK_THAT(base, Catch::EndsWith("%26status%3D%25E0%25A4%25AA%25E0%25A4%25BE%25E0%25A4%25A3%25E0%25A5%2580"));
}

TEST_CASE("fresh nonces are 32 hex characters, never repeat, and carry the current time", "[oauth]") {
  std::set<std::string> seen;
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  for (int i = 0; i < 200; ++i) {
    const Nonce n = fresh_nonce();
    REQUIRE(n.nonce.size() == 32);
    CHECK(n.nonce.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(n.timestamp >= now - 5);
    CHECK(n.timestamp <= now + 5);
    CHECK(n.extra_oauth.empty());
    seen.insert(n.nonce);
  }
  CHECK(seen.size() == 200);
}
