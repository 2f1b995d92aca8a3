#include <samvad/email/smtp.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>

#include <samvad/net/curl.hpp>
#include <samvad/net/http.hpp>
#include <samvad/net/url.hpp>

namespace samvad::email {

namespace {

// Where the conversation is, from the commands seen in the trace: each reply belongs to the
// last command sent (libcurl sends SMTP commands one at a time and waits for each reply).
enum class Step { greeting, ehlo, starttls, auth, mail, rcpt, data, body, quit, other };

struct Trace {
  Step step = Step::greeting;
  std::string rcpt;  // the address of the RCPT TO being answered
  std::vector<RecipientReply> recipients;
  int last_code = 0;
  std::string last_reply;
  // The last refusal (4xx/5xx): what ended the transaction, even if a QUIT answered after it.
  int refusal_code = 0;
  std::string refusal;
  Step refusal_step = Step::greeting;
  bool body_sent = false;   // DATA was answered 354: from here on the message may be delivered
  bool body_answered = false;
  std::string pending_in;  // an incomplete reply line carried to the next callback

  void command(std::string_view line) {
    auto starts = [&](const char* verb) {
      const std::size_t n = std::strlen(verb);
      if (line.size() < n) return false;
      for (std::size_t i = 0; i < n; ++i)
        if (std::toupper(static_cast<unsigned char>(line[i])) != verb[i]) return false;
      return true;
    };
    if (starts("EHLO") || starts("HELO")) step = Step::ehlo;
    else if (starts("STARTTLS")) step = Step::starttls;
    else if (starts("AUTH")) step = Step::auth;  // the rest of the line is a credential: not kept
    else if (starts("MAIL FROM:")) step = Step::mail;
    else if (starts("RCPT TO:")) {
      step = Step::rcpt;
      auto open = line.find('<');
      auto close = line.rfind('>');
      rcpt = open != std::string_view::npos && close != std::string_view::npos && close > open
                 ? std::string(line.substr(open + 1, close - open - 1))
                 : std::string();
    } else if (starts("DATA")) step = Step::data;
    else if (starts("QUIT")) step = Step::quit;
    else if (step != Step::auth) step = Step::other;  // AUTH LOGIN continuation lines stay AUTH
  }

  void reply(std::string_view line) {
    // Multi-line replies: "250-..." lines continue, "250 ..." (or a bare code) ends one.
    if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0]))) return;
    if (line.size() > 3 && line[3] == '-') return;
    const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    last_code = code;
    last_reply = std::string(line);
    if (code >= 400 && step != Step::rcpt) {
      refusal_code = code;
      refusal = last_reply;
      refusal_step = step;
    }
    switch (step) {
      case Step::rcpt:
        recipients.push_back(RecipientReply{rcpt, code, std::string(line)});
        break;
      case Step::data:
        if (code == 354) {
          body_sent = true;
          step = Step::body;
        }
        break;
      case Step::body:
        body_answered = true;
        break;
      default:
        break;
    }
  }

  void incoming(std::string_view data) {
    pending_in.append(data);
    for (std::size_t eol; (eol = pending_in.find('\n')) != std::string::npos;) {
      std::string_view line(pending_in.data(), eol);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      reply(line);
      pending_in.erase(0, eol + 1);
    }
  }
};

int on_trace(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* trace = static_cast<Trace*>(user);
  std::string_view text(data, size);
  if (type == CURLINFO_HEADER_OUT) {
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    trace->command(text);
  } else if (type == CURLINFO_HEADER_IN) {
    trace->incoming(text);
  }
  return 0;
}

// Reads an attachment's bytes without copying them into libcurl.
struct Reader {
  const std::string* bytes;
  std::size_t at = 0;
};

size_t read_part(char* buffer, size_t size, size_t count, void* user) {
  auto* r = static_cast<Reader*>(user);
  const std::size_t n = std::min(size * count, r->bytes->size() - r->at);
  std::memcpy(buffer, r->bytes->data() + r->at, n);
  r->at += n;
  return n;
}

int seek_part(void* user, curl_off_t offset, int origin) {
  auto* r = static_cast<Reader*>(user);
  if (origin != SEEK_SET || offset < 0 || static_cast<std::size_t>(offset) > r->bytes->size()) return CURL_SEEKFUNC_FAIL;
  r->at = static_cast<std::size_t>(offset);
  return CURL_SEEKFUNC_OK;
}

// Quoted-printable keeps mostly-English text readable; Devanagari (three bytes a letter)
// would triple in it, so mostly-Marathi text goes as base64. Either keeps lines short.
const char* encoding_for(const std::string& text) {
  std::size_t high = 0;
  for (char c : text) high += static_cast<unsigned char>(c) >= 0x80 ? 1u : 0u;
  return high * 5 > text.size() ? "base64" : "quoted-printable";
}

bool add_text_part(curl_mime* mime, const std::string& text, const char* type) {
  curl_mimepart* part = curl_mime_addpart(mime);
  return part && curl_mime_data(part, text.data(), text.size()) == CURLE_OK &&
         curl_mime_type(part, type) == CURLE_OK && curl_mime_encoder(part, encoding_for(text)) == CURLE_OK;
}

bool tls_failure(CURLcode code) {
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
         code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CONNECT_ERROR || code == CURLE_USE_SSL_FAILED;
}

// The connection and envelope options of one transaction: the server (its scheme decides TLS),
// certificates, timeouts, login, the trace, MAIL FROM and RCPT TO. False when libcurl refused one.
bool set_envelope(CURL* h, const SmtpSettings& s, const net::UrlParts& url, char* error_buffer, Trace& trace,
                  const std::string& from, net::HeaderList& rcpts) {
  bool ok = true;
  auto set = [&ok](CURLcode code) { ok = ok && code == CURLE_OK; };
  set(curl_easy_setopt(h, CURLOPT_URL, url.url.c_str()));
  set(curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps"));
  set(curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L));
  set(net::verify_tls(h, s.ca_file));
  // smtps:// is TLS from the first byte; smtp:// must upgrade with STARTTLS before AUTH, except
  // on a loopback server configured with tls: none (a local test server).
  const bool plain_allowed = s.tls == SmtpTls::none && net::is_loopback_host(url.host);
  if (url.scheme == "smtp") set(curl_easy_setopt(h, CURLOPT_USE_SSL, plain_allowed ? CURLUSESSL_NONE : CURLUSESSL_ALL));
  if (net::is_loopback_host(url.host)) set(curl_easy_setopt(h, CURLOPT_NOPROXY, "*"));
  set(curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.connect_timeout.count())));
  set(curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(s.total_timeout.count())));
  set(curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer));
  if (s.username) set(curl_easy_setopt(h, CURLOPT_USERNAME, s.username->c_str()));
  if (s.password) set(curl_easy_setopt(h, CURLOPT_PASSWORD, s.password->c_str()));
  set(curl_easy_setopt(h, CURLOPT_VERBOSE, 1L));
  set(curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_trace));
  set(curl_easy_setopt(h, CURLOPT_DEBUGDATA, &trace));
  set(curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str()));
  set(curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts.get()));
#if LIBCURL_VERSION_NUM >= 0x080200
  set(curl_easy_setopt(h, CURLOPT_MAIL_RCPT_ALLOWFAILS, 1L));
#else
  set(curl_easy_setopt(h, CURLOPT_MAIL_RCPT_ALLLOWFAILS, 1L));
#endif
  return ok;
}

// The message as libcurl sends it, kept alive until the transaction ends: multipart/alternative
// (text, html), inside multipart/mixed when there are attachments.
struct Body {
  explicit Body(CURL* h) : root(h) {}
  net::HeaderList top;
  net::Mime root;
  std::vector<std::unique_ptr<Reader>> readers;
  std::vector<std::unique_ptr<net::HeaderList>> part_headers;
};

bool add_attachment(Body& body, const MimeContent::File& f) {
  curl_mimepart* part = curl_mime_addpart(body.root.get());
  body.readers.push_back(std::make_unique<Reader>(Reader{&f.bytes}));
  body.part_headers.push_back(std::make_unique<net::HeaderList>());
  std::string disposition = "Content-Disposition: attachment";
  for (const auto& p : filename_parameters("filename", f.name)) disposition += "; " + p;
  if (!part || !body.part_headers.back()->append(disposition)) return false;
  return curl_mime_data_cb(part, static_cast<curl_off_t>(f.bytes.size()), read_part, seek_part, nullptr,
                           body.readers.back().get()) == CURLE_OK &&
         curl_mime_type(part, f.content_type.c_str()) == CURLE_OK && curl_mime_encoder(part, "base64") == CURLE_OK &&
         curl_mime_headers(part, body.part_headers.back()->get(), 0) == CURLE_OK;
}

bool set_body(CURL* h, Body& body, const HeaderLines& headers, const MimeContent& content) {
  bool ok = true;
  for (const auto& line : headers) ok = ok && body.top.append(line);
  curl_mime* alternative = body.root.get();
  if (!content.files.empty()) {
    curl_mimepart* wrapper = curl_mime_addpart(body.root.get());
    alternative = curl_mime_init(h);
    // curl_mime_subparts takes ownership of `alternative` on success; free it ourselves otherwise.
    if (!wrapper || curl_mime_subparts(wrapper, alternative) != CURLE_OK) {
      curl_mime_free(alternative);
      return false;
    }
    ok = ok && curl_mime_type(wrapper, "multipart/alternative") == CURLE_OK;
  } else if (!content.html.empty()) {
    // The root's type comes from a Content-Type in the top-level headers (libcurl adds the boundary).
    ok = ok && body.top.append("Content-Type: multipart/alternative");
  }
  ok = ok && add_text_part(alternative, content.text, "text/plain; charset=UTF-8");
  if (!content.html.empty()) ok = ok && add_text_part(alternative, content.html, "text/html; charset=UTF-8");
  for (const auto& f : content.files) ok = ok && add_attachment(body, f);
  return ok && curl_easy_setopt(h, CURLOPT_HTTPHEADER, body.top.get()) == CURLE_OK &&
         curl_easy_setopt(h, CURLOPT_MIMEPOST, body.root.get()) == CURLE_OK &&
         curl_easy_setopt(h, CURLOPT_UPLOAD, 1L) == CURLE_OK;
}

// Why a transaction libcurl ended with `code` was not accepted, and whether trying again may help.
void explain_failure(TransactionResult& result, CURLcode code, const Trace& trace, const std::string& host,
                     const std::string& detail, std::size_t recipients_sent) {
  const bool all_refused = !trace.body_sent && !result.recipients.empty() &&
                           result.recipients.size() == recipients_sent &&
                           std::none_of(result.recipients.begin(), result.recipients.end(),
                                        [](const RecipientReply& r) { return r.code / 100 == 2; });
  if (code == CURLE_LOGIN_DENIED) {
    result.error = "the SMTP server " + host + " refused the login (" + trace.refusal +
                   "); expected a valid smtp username and password in credentials.yaml";
    result.transient = trace.refusal_code / 100 == 4;
  } else if (code == CURLE_USE_SSL_FAILED) {
    result.error = "the SMTP server " + host + " does not offer STARTTLS; samvad never sends mail unencrypted "
                   "(expected a server with STARTTLS, or an smtps:// URL)";
  } else if (tls_failure(code)) {
    // Only a broken handshake may pass; whom to trust does not change by trying again.
    const bool certificate = code != CURLE_SSL_CONNECT_ERROR;
    result.error = "TLS with the SMTP server " + host + " failed: " +
                   (certificate ? "its certificate could not be verified (" + detail + ")" : detail) +
                   " (certificates are always verified; a private CA goes in email.ca_file)";
    result.transient = !certificate;
  } else if (all_refused) {
    // Every recipient was refused: their own replies say why; nothing was sent.
    result.every_recipient_refused = true;
    result.error = "the SMTP server " + host + " refused every recipient of the batch (last: " +
                   result.recipients.back().reply + ")";
    result.transient = std::all_of(result.recipients.begin(), result.recipients.end(),
                                   [](const RecipientReply& r) { return r.code / 100 == 4; });
  } else if (trace.body_sent && !trace.body_answered) {
    result.error = "the connection to " + host + " ended after the message was sent, before the server answered: " + detail;
    result.transient = true;
    result.maybe_delivered = true;
  } else if (trace.refusal_code >= 400) {
    result.error = "the SMTP server " + host + " answered " + trace.refusal;
    result.transient = trace.refusal_code / 100 == 4;
  } else {
    result.error = "cannot send through " + host + ": " + detail;
    result.transient = true;
  }
}

}  // namespace

struct SmtpSession::Impl {
  SmtpSettings settings;
  net::EasyHandle easy;
  long connections = 0;
};

SmtpSession::SmtpSession(SmtpSettings settings) : impl_(std::make_unique<Impl>()) {
  net::global_init();
  impl_->settings = std::move(settings);
}

SmtpSession::~SmtpSession() = default;

long SmtpSession::connections_opened() const { return impl_->connections; }

TransactionResult SmtpSession::send(const std::string& envelope_from, const std::vector<std::string>& recipients,
                                    const HeaderLines& headers, const MimeContent& content) {
  TransactionResult result;
  CURL* h = impl_->easy.get();
  if (h == nullptr) {
    result.error = "libcurl could not start";
    result.transient = true;
    return result;
  }
  // Options are set afresh each time; the handle keeps its connection between transactions.
  curl_easy_reset(h);
  // The scheme decides TLS, so it is read by the one URL parser, in whatever case it was
  // written ("SMTP://" is smtp://), and libcurl gets the URL in the spelling that was checked.
  const auto url = net::parse_url(impl_->settings.url);
  if (!url || (url->scheme != "smtp" && url->scheme != "smtps") || url->has_userinfo) {
    result.error = "the SMTP URL is not smtp://host:port or smtps://host:port";
    return result;
  }
  char error_buffer[CURL_ERROR_SIZE] = {};
  Trace trace;
  const std::string from = "<" + envelope_from + ">";
  net::HeaderList rcpts;
  bool ok = true;
  for (const auto& r : recipients) ok = ok && rcpts.append("<" + r + ">");
  Body body(h);
  ok = ok && set_envelope(h, impl_->settings, *url, error_buffer, trace, from, rcpts) &&
       set_body(h, body, headers, content);
  if (!ok) {
    result.error = "libcurl refused the SMTP settings (is libcurl built with SMTP and TLS?)";
    return result;
  }

  const CURLcode code = curl_easy_perform(h);
  long opened = 0;
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &opened);
  impl_->connections += opened;
  // The handle must not keep pointers to this call's lists and readers.
  curl_easy_setopt(h, CURLOPT_MIMEPOST, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, nullptr);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);

  result.recipients = std::move(trace.recipients);
  result.code = trace.refusal_code ? trace.refusal_code : trace.last_code;
  result.reply = trace.refusal_code ? trace.refusal : trace.last_reply;
  if (code == CURLE_OK) {
    result.accepted = true;
    return result;
  }
  explain_failure(result, code, trace, url->host, error_buffer[0] ? error_buffer : curl_easy_strerror(code),
                  recipients.size());
  return result;
}

}  // namespace samvad::email
