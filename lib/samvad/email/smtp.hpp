// SMTP over libcurl: one session per department list, its connection opened on first use and
// reused for every transaction (batch). TLS always verified: STARTTLS required on smtp://
// (plain only for a loopback server configured with tls: none), implicit on smtps://.
//
// libcurl reports one result per transaction; samvad needs every recipient's own answer (a
// 550 for one address must not fail the other 49). With CURLOPT_MAIL_RCPT_ALLOWFAILS libcurl
// goes on past refused recipients, and its protocol trace (CURLOPT_DEBUGFUNCTION: commands
// out, replies in, one RCPT at a time) gives each RCPT's reply. The trace is parsed here and
// nothing of it is kept but reply codes and texts: the AUTH line carries the password.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <samvad/email/header_encoding.hpp>
#include <samvad/email/settings.hpp>

namespace samvad::email {

struct SmtpSettings {
  std::string url;  // smtp://host:port or smtps://host:port
  SmtpTls tls = SmtpTls::starttls;
  std::optional<std::string> ca_file;
  std::optional<std::string> username;  // revealed only for the session's lifetime
  std::optional<std::string> password;
  std::chrono::milliseconds connect_timeout{15'000};
  std::chrono::milliseconds total_timeout{300'000};  // one transaction, message upload included
};

// The message bytes of one email, ready for any number of transactions.
struct MimeContent {
  std::string text;  // CRLF line ends
  std::string html;  // CRLF line ends; empty: text/plain alone
  struct File {
    std::string name;
    std::string content_type;
    std::string bytes;
  };
  std::vector<File> files;
};

struct RecipientReply {
  std::string address;
  int code = 0;       // 250, 450, 452, 550, ...
  std::string reply;  // "550 5.1.1 No such user"
};

struct TransactionResult {
  bool accepted = false;  // the server took the message (250 after DATA) for the accepted recipients
  std::vector<RecipientReply> recipients;  // one per RCPT TO answered, in the order sent
  int code = 0;           // the reply that ended the transaction (250 when accepted); 0 without one
  std::string reply;      // its text
  std::string error;      // why it was not accepted, for the user (never a secret)
  bool transient = false;        // worth trying again: a 4xx, a lost connection, a timeout
  bool maybe_delivered = false;  // the whole message went out and no answer came back
  bool every_recipient_refused = false;  // nothing sent; `recipients` holds each one's reply
};

class SmtpSession {
 public:
  explicit SmtpSession(SmtpSettings settings);
  ~SmtpSession();
  SmtpSession(const SmtpSession&) = delete;
  SmtpSession& operator=(const SmtpSession&) = delete;

  // One transaction: MAIL FROM, RCPT TO each recipient, DATA with the headers and `content`.
  TransactionResult send(const std::string& envelope_from, const std::vector<std::string>& recipients,
                         const HeaderLines& headers, const MimeContent& content);

  // How many connections the session has opened so far (1 when every transaction reused it).
  long connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace samvad::email
