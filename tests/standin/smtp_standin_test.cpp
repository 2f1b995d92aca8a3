#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "standin/smtp_standin_process.hpp"
#include "support/process.hpp"

// These tests drive the SMTP stand-in with the curl command-line client (its own SMTP client,
// independent of samvad's), so they pin the stand-in itself: what it refuses, what it records and
// how it reads a message.

using json = nlohmann::json;
using samvad::test::ProcessResult;
using samvad::test::SmtpStandinProcess;

namespace {

// A notice as samvad might send it: a Marathi From name and Subject in RFC 2047 encoded words (each
// split across two words), List-* headers, text and HTML alternatives (the HTML has a line starting
// with "." that curl dot-stuffs) and a PDF with an RFC 2231 Marathi file name (वेळापत्रक.pdf).
const std::string notice =
    "From: =?utf-8?b?4KSq4KS/4KSC4KSq4KSw4KWAIOCkmuCkv+CkguCkmuCkteCkoSDgpK7gpLngpL4=?=\r\n"
    " =?utf-8?b?4KSo4KSX4KSw4KSq4KS+4KSy4KS/4KSV4KS+?= <water@pcmc.example>\r\n"
    "To: subscribers@pcmc.example\r\n"
    "Subject: =?utf-8?b?4KSq4KS+4KSj4KWA4KSq4KWB4KSw4KS14KSg4KS+IOCkrOCkguCkpjog?=\r\n"
    " =?utf-8?b?4KSJ4KSm4KWN4KSv4KS+IOCkuOCkleCkvuCks+ClgCDgpa8g4KSk4KWHIOClqw==?=\r\n"
    "Date: Mon, 06 Jan 2025 09:00:00 +0530\r\n"
    "Message-ID: <notice-42@pcmc.example>\r\n"
    "List-Id: PCMC Water Supply <water.pcmc.example>\r\n"
    "List-Unsubscribe: <https://pcmc.example/unsubscribe?u=42>\r\n"
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
    "Auto-Submitted: auto-generated\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"mixed-1\"\r\n"
    "\r\n"
    "--mixed-1\r\n"
    "Content-Type: multipart/alternative; boundary=\"alt-1\"\r\n"
    "\r\n"
    "--alt-1\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "4KSo4KSu4KS44KWN4KSV4KS+4KSwLA0K4KSJ4KSm4KWN4KSv4KS+IOCkuOCkleCkvuCks+ClgCDg\r\n"
    "pa8g4KSk4KWHIOCkuOCkvuCkr+CkguCkleCkvuCks+ClgCDgpasg4KSq4KS+4KSj4KWA4KSq4KWB\r\n"
    "4KSw4KS14KSg4KS+IOCkrOCkguCkpiDgpLDgpL7gpLngpYDgpLIuDQo=\r\n"
    "--alt-1\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "<p>=E0=A4=AA=E0=A4=BE=E0=A4=A3=E0=A5=80=E0=A4=AA=E0=A5=81=E0=A4=B0=E0=A4=B5=\r\n"
    "=E0=A4=A0=E0=A4=BE =E0=A4=AC=E0=A4=82=E0=A4=A6</p>\r\n"
    ".<p>dot-stuffed line</p>\r\n"
    "--alt-1--\r\n"
    "--mixed-1\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Disposition: attachment;\r\n"
    " filename*=utf-8''%E0%A4%B5%E0%A5%87%E0%A4%B3%E0%A4%BE%E0%A4%AA%E0%A4%A4%E0%A5%8D%E0%A4%B0%E0%A4%95.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n"
    "\r\n"
    "JVBERi0xLjQKJSBzdGFuZC1pbgo=\r\n"  // "%PDF-1.4\n% stand-in\n"
    "--mixed-1--\r\n";

const std::string short_note = "From: water@pcmc.example\r\nSubject: short\r\n\r\nWater supply resumes at 6 pm.\r\n";

const std::string user = "samvad";
const std::string password = "s3cret";

SmtpStandinProcess::Options with_auth() {
  SmtpStandinProcess::Options options;
  options.user = user;
  options.password = password;
  return options;
}

// Sends `message` with curl -v to the stand-in, from water@pcmc.example to `rcpts`, carrying on
// past refused recipients. `extra`: more curl arguments (TLS, credentials). curl's stderr holds
// the dialogue: "< 250 OK" lines are the stand-in's replies.
ProcessResult curl_mail(const SmtpStandinProcess& smtp, const std::string& message,
                        const std::vector<std::string>& rcpts, const std::vector<std::string>& extra) {
  const samvad::test::TempDir dir;
  std::vector<std::string> argv{"/usr/bin/curl", "-sS",           "-v",          "--max-time",        "20",
                                "--url",         smtp.smtp_url(), "--mail-from", "water@pcmc.example"};
  for (const auto& rcpt : rcpts) {
    argv.push_back("--mail-rcpt");
    argv.push_back(rcpt);
  }
  argv.push_back("--mail-rcpt-allowfails");
  argv.push_back("--upload-file");
  argv.push_back(dir.write("message.eml", message).string());
  argv.insert(argv.end(), extra.begin(), extra.end());
  return samvad::test::run_process(argv);
}

// STARTTLS required by curl (--ssl-reqd), the stand-in's CA trusted, and the right credentials.
std::vector<std::string> tls_and_auth(const SmtpStandinProcess& smtp) {
  return {"--ssl-reqd", "--cacert", smtp.ca_file().string(), "--user", user + ":" + password};
}

// The connection's record once the stand-in has seen it close (it may lag curl's exit a little).
json closed_connection(const SmtpStandinProcess& smtp, int id) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (true) {
    for (const auto& c : smtp.connections())
      if (c["id"] == id && (c["closed"] == true || std::chrono::steady_clock::now() > deadline)) return c;
    if (std::chrono::steady_clock::now() > deadline) return json();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// The stand-in's lines in curl -v's dialogue ("< 250 OK" -> "250 OK"), in order.
std::vector<std::string> server_lines(const std::string& curl_stderr) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < curl_stderr.size()) {
    std::size_t end = curl_stderr.find('\n', start);
    if (end == std::string::npos) end = curl_stderr.size();
    std::string line = curl_stderr.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.starts_with("< ")) lines.push_back(line.substr(2));
    start = end + 1;
  }
  return lines;
}

json rcpt(int connection, int transaction, const std::string& address, const std::string& reply) {
  return {{"connection", connection}, {"transaction", transaction}, {"address", address}, {"reply", reply}};
}

}  // namespace

TEST_CASE("a message sent with STARTTLS and AUTH is recorded with its envelope, bytes and analysis", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  smtp.start(with_auth());
  CHECK(smtp.port() > 0);
  CHECK(smtp.control_port() > 0);
  CHECK(smtp.smtp_url() == "smtp://127.0.0.1:" + std::to_string(smtp.port()));
  CHECK(smtp.get("/_standin/health") == json{{"ok", true}});

  const ProcessResult sent = curl_mail(smtp, notice, {"a@example.org", "b@example.org"}, tls_and_auth(smtp));
  INFO(sent.err);
  REQUIRE(sent.exit_code == 0);
  CHECK_THAT(sent.err, Catch::Contains("< 220 Ready to start TLS"));
  CHECK_THAT(sent.err, Catch::Contains("< 235 2.7.0 Authentication successful"));

  const json messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  const json& m = messages[0];
  CHECK(m["connection"] == 1);
  CHECK(m["transaction"] == 1);
  CHECK(m["tls"] == true);
  CHECK(m["auth_user"] == user);
  CHECK(m["mail_from"] == "water@pcmc.example");
  CHECK(m["rcpt_tos"] == json{"a@example.org", "b@example.org"});
  CHECK(m["reply"] == "250 OK");
  CHECK(SmtpStandinProcess::raw_message(m) == notice);  // dot-unstuffed back to the file's bytes

  const json& a = m["analysis"];
  CHECK_FALSE(a.contains("parse_error"));
  CHECK(a["defects"] == json::array());
  CHECK(a["subject"] == "पाणीपुरवठा बंद: उद्या सकाळी ९ ते ५");
  CHECK(a["from_name"] == "पिंपरी चिंचवड महानगरपालिका");  // no space where the encoded words meet
  CHECK(a["from_address"] == "water@pcmc.example");
  CHECK(a["to"] == json{"subscribers@pcmc.example"});
  CHECK(a["message_id"] == "<notice-42@pcmc.example>");
  CHECK(a["date"] == "Mon, 06 Jan 2025 09:00:00 +0530");
  CHECK(a["list_id"] == "PCMC Water Supply <water.pcmc.example>");
  CHECK(a["list_unsubscribe"] == "<https://pcmc.example/unsubscribe?u=42>");
  CHECK(a["list_unsubscribe_post"] == "List-Unsubscribe=One-Click");
  CHECK(a["auto_submitted"] == "auto-generated");
  CHECK(a["has_bcc"] == false);
  CHECK(a["bare_lf"] == false);
  CHECK(a["bare_cr"] == false);
  CHECK(a["max_line_octets"] == 103);  // the folded filename*= line
  REQUIRE(a["headers"].size() == 11);
  CHECK(a["headers"][0] == json{"From", "पिंपरी चिंचवड महानगरपालिका <water@pcmc.example>"});
  CHECK(a["headers"][2] == json{"Subject", "पाणीपुरवठा बंद: उद्या सकाळी ९ ते ५"});
  CHECK(a["content_type"] == "multipart/mixed");
  CHECK(a["structure"] == "multipart/mixed[multipart/alternative[text/plain,text/html],application/pdf]");
  CHECK(a["text_plain"] == "नमस्कार,\nउद्या सकाळी ९ ते सायंकाळी ५ पाणीपुरवठा बंद राहील.\n");
  CHECK(a["text_html"] == "<p>पाणीपुरवठा बंद</p>\n.<p>dot-stuffed line</p>");
  CHECK(a["transfer_encodings"] == json{"base64", "quoted-printable", "base64"});
  CHECK(a["attachments"] ==
        json::array({{{"filename", "वेळापत्रक.pdf"},
                      {"content_type", "application/pdf"},
                      {"size", 20},
                      {"sha256", "53c8ae92d0d39ece6f544e9dd234863477f91a22e967a1816224c9e9b8a87b33"},
                      {"disposition", "attachment"}}}));

  CHECK(smtp.rcpts() == json{rcpt(1, 1, "a@example.org", "250 OK"), rcpt(1, 1, "b@example.org", "250 OK")});
  CHECK(closed_connection(smtp, 1) ==
        json{{"id", 1}, {"tls", true}, {"auth_user", user}, {"transactions", 1}, {"closed", true}});

  CHECK(smtp.stop() == 0);
  CHECK_FALSE(smtp.running());
  CHECK(smtp.stderr_text().empty());
}

TEST_CASE("before STARTTLS, MAIL is refused with 530 and AUTH is not offered", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  smtp.start(with_auth());
  // Without --ssl-reqd curl does not ask for TLS; with --user but no AUTH offered it goes on without.
  const ProcessResult sent = curl_mail(smtp, short_note, {"a@example.org"}, {"--user", user + ":" + password});
  INFO(sent.err);
  CHECK(sent.exit_code == 55);  // CURLE_SEND_ERROR: "MAIL failed: 530"
  CHECK_THAT(sent.err, Catch::Contains("< 250-STARTTLS"));
  CHECK_THAT(sent.err, !Catch::Contains("AUTH "));
  CHECK_THAT(sent.err, Catch::Contains("< 530 Must issue a STARTTLS command first"));
  CHECK(smtp.messages().empty());
  CHECK(closed_connection(smtp, 1)["tls"] == false);

  // After STARTTLS, AUTH is offered.
  const ProcessResult secured = curl_mail(smtp, short_note, {"a@example.org"}, tls_and_auth(smtp));
  CHECK(secured.exit_code == 0);
  CHECK_THAT(secured.err, Catch::Contains("< 250-AUTH LOGIN PLAIN"));
  CHECK(smtp.messages().size() == 1);
}

TEST_CASE("a wrong password gets 535 and MAIL without AUTH gets 530", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  smtp.start(with_auth());
  for (const std::string method : {"PLAIN", "LOGIN"}) {
    const ProcessResult wrong = curl_mail(smtp, short_note, {"a@example.org"},
                                          {"--ssl-reqd", "--cacert", smtp.ca_file().string(), "--user", user + ":nope",
                                           "--login-options", "AUTH=" + method});
    INFO(wrong.err);
    CHECK(wrong.exit_code == 67);  // CURLE_LOGIN_DENIED
    CHECK_THAT(wrong.err, Catch::Contains("> AUTH " + method));
    CHECK_THAT(wrong.err, Catch::Contains("< 535 5.7.8 Authentication credentials invalid"));
  }
  const ProcessResult anonymous =
      curl_mail(smtp, short_note, {"a@example.org"}, {"--ssl-reqd", "--cacert", smtp.ca_file().string()});
  CHECK(anonymous.exit_code == 55);
  CHECK_THAT(anonymous.err, Catch::Contains("< 530 5.7.0 Authentication required"));

  const ProcessResult login = curl_mail(smtp, short_note, {"a@example.org"},
                                        {"--ssl-reqd", "--cacert", smtp.ca_file().string(), "--user",
                                         user + ":" + password, "--login-options", "AUTH=LOGIN"});
  CHECK(login.exit_code == 0);
  const json messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["auth_user"] == user);
  CHECK(messages[0]["connection"] == 4);
}

TEST_CASE("the stand-in's --max-recipients answers 452 to the recipients beyond the limit", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  SmtpStandinProcess::Options options = with_auth();
  options.max_recipients = 2;
  smtp.start(options);
  const ProcessResult sent = curl_mail(
      smtp, short_note, {"a@example.org", "b@example.org", "c@example.org", "d@example.org"}, tls_and_auth(smtp));
  INFO(sent.err);
  CHECK(sent.exit_code == 0);  // --mail-rcpt-allowfails: sent to the accepted ones
  CHECK(smtp.rcpts() == json{rcpt(1, 1, "a@example.org", "250 OK"), rcpt(1, 1, "b@example.org", "250 OK"),
                             rcpt(1, 1, "c@example.org", "452 4.5.3 Too many recipients"),
                             rcpt(1, 1, "d@example.org", "452 4.5.3 Too many recipients")});
  const json messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["rcpt_tos"] == json{"a@example.org", "b@example.org"});
}

TEST_CASE("rcpt faults refuse chosen addresses or the RCPTs after the Nth, as many times as asked", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  smtp.start(with_auth());
  smtp.add_faults(
      json::array({{{"on", "rcpt"}, {"address", "Busy@Example.org"}, {"reply", "450 4.2.1 Mailbox busy"}, {"times", 1}},
                   {{"on", "rcpt"}, {"address", "gone@example.org"}, {"reply", "550 5.1.1 No such user"}}}));
  const std::vector<std::string> to{"busy@example.org", "gone@example.org", "ok@example.org"};
  CHECK(curl_mail(smtp, short_note, to, tls_and_auth(smtp)).exit_code == 0);
  CHECK(curl_mail(smtp, short_note, to, tls_and_auth(smtp)).exit_code == 0);
  CHECK(smtp.rcpts() ==
        json{rcpt(1, 1, "busy@example.org", "450 4.2.1 Mailbox busy"),
             rcpt(1, 1, "gone@example.org", "550 5.1.1 No such user"), rcpt(1, 1, "ok@example.org", "250 OK"),
             rcpt(2, 1, "busy@example.org", "250 OK"),  // its one time is used up
             rcpt(2, 1, "gone@example.org", "550 5.1.1 No such user"), rcpt(2, 1, "ok@example.org", "250 OK")});
  const json messages = smtp.messages();
  REQUIRE(messages.size() == 2);
  CHECK(messages[0]["rcpt_tos"] == json{"ok@example.org"});
  CHECK(messages[1]["rcpt_tos"] == json{"busy@example.org", "ok@example.org"});
  // The unlimited rule stays queued; the used-up one is gone.
  CHECK(smtp.get("/_standin/faults") ==
        json::array({{{"on", "rcpt"}, {"address", "gone@example.org"}, {"reply", "550 5.1.1 No such user"}}}));

  smtp.reset();
  smtp.add_faults({{"on", "rcpt"}, {"after", 2}, {"reply", "452 4.5.3 Too many recipients"}, {"times", 1}});
  const ProcessResult all_refused =
      curl_mail(smtp, short_note, {"a@example.org", "b@example.org", "c@example.org"}, tls_and_auth(smtp));
  CHECK(all_refused.exit_code == 0);
  const json rcpts = smtp.rcpts();
  REQUIRE(rcpts.size() == 3);
  CHECK(rcpts[1]["reply"] == "250 OK");
  CHECK(rcpts[2]["reply"] == "452 4.5.3 Too many recipients");
}

TEST_CASE("mail and data faults: 451 to MAIL, 451 after DATA with the message still recorded, latency",
          "[smtp-standin]") {
  SmtpStandinProcess smtp;
  SmtpStandinProcess::Options options = with_auth();
  options.latency_ms = 300;
  smtp.start(options);
  smtp.add_faults(json::array({{{"on", "mail"}, {"reply", "451 4.3.0 Try later"}, {"times", 1}},
                               {{"on", "data"}, {"reply", "451 4.3.0 Try later"}, {"times", 1}},
                               {{"on", "data"}, {"latency_ms", 300}, {"times", 1}}}));

  const ProcessResult mail_refused = curl_mail(smtp, short_note, {"a@example.org"}, tls_and_auth(smtp));
  CHECK(mail_refused.exit_code == 55);
  CHECK_THAT(mail_refused.err, Catch::Contains("< 451 4.3.0 Try later"));
  CHECK(smtp.messages().empty());
  CHECK(smtp.rcpts().empty());
  CHECK(closed_connection(smtp, 1)["transactions"] == 0);

  const ProcessResult data_refused = curl_mail(smtp, short_note, {"a@example.org"}, tls_and_auth(smtp));
  CHECK(data_refused.exit_code != 0);
  CHECK_THAT(data_refused.err, Catch::Contains("< 451 4.3.0 Try later"));
  json messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["reply"] == "451 4.3.0 Try later");
  CHECK(SmtpStandinProcess::raw_message(messages[0]) == short_note);

  // --latency-ms 300 plus the rule's 300 before the 250.
  const auto before = std::chrono::steady_clock::now();
  const ProcessResult slow = curl_mail(smtp, short_note, {"a@example.org"}, tls_and_auth(smtp));
  const auto took = std::chrono::steady_clock::now() - before;
  CHECK(slow.exit_code == 0);
  CHECK(took >= std::chrono::milliseconds(600));
  messages = smtp.messages();
  REQUIRE(messages.size() == 2);
  CHECK(messages[1]["reply"] == "250 OK");
  CHECK(smtp.get("/_standin/faults").empty());
}

TEST_CASE("a data drop fault records the message and closes the connection without answering", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  smtp.start(with_auth());
  smtp.add_faults({{"on", "data"}, {"drop", true}, {"times", 1}});
  const ProcessResult dropped = curl_mail(smtp, short_note, {"a@example.org"}, tls_and_auth(smtp));
  INFO(dropped.err);
  CHECK(dropped.exit_code == 56);  // CURLE_RECV_ERROR: the connection ended where the 250 should be
  const auto replies = server_lines(dropped.err);
  REQUIRE_FALSE(replies.empty());
  CHECK(replies.back() == "354 End data with <CR><LF>.<CR><LF>");  // nothing after it
  const json messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["reply"].is_null());
  CHECK(SmtpStandinProcess::raw_message(messages[0]) == short_note);
  CHECK(closed_connection(smtp, 1)["closed"] == true);

  CHECK(curl_mail(smtp, short_note, {"a@example.org"}, tls_and_auth(smtp)).exit_code == 0);  // times: 1
  CHECK(smtp.stop() == 0);
  CHECK(smtp.stderr_text().empty());
}

TEST_CASE("a connect fault greets with 421 and closes the connection", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  smtp.start(with_auth());
  smtp.add_faults({{"on", "connect"}, {"reply", "421 4.3.2 Service not available"}, {"times", 1}});
  const ProcessResult refused = curl_mail(smtp, short_note, {"a@example.org"}, tls_and_auth(smtp));
  INFO(refused.err);
  CHECK(refused.exit_code == 8);  // CURLE_WEIRD_SERVER_REPLY
  CHECK(server_lines(refused.err) == std::vector<std::string>{"421 4.3.2 Service not available"});
  CHECK_THAT(refused.err, !Catch::Contains("> EHLO"));
  CHECK(closed_connection(smtp, 1) ==
        json{{"id", 1}, {"tls", false}, {"auth_user", nullptr}, {"transactions", 0}, {"closed", true}});

  CHECK(curl_mail(smtp, short_note, {"a@example.org"}, tls_and_auth(smtp)).exit_code == 0);
  CHECK(smtp.messages().size() == 1);
}

TEST_CASE("implicit TLS: smtps:// speaks TLS from the first byte", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  SmtpStandinProcess::Options options = with_auth();
  options.tls = "implicit";
  smtp.start(options);
  CHECK(smtp.smtp_url() == "smtps://127.0.0.1:" + std::to_string(smtp.port()));
  const ProcessResult sent = curl_mail(smtp, short_note, {"a@example.org"},
                                       {"--cacert", smtp.ca_file().string(), "--user", user + ":" + password});
  INFO(sent.err);
  CHECK(sent.exit_code == 0);
  CHECK_THAT(sent.err, !Catch::Contains("STARTTLS"));
  CHECK_THAT(sent.err, Catch::Contains("< 250-AUTH LOGIN PLAIN"));
  const json messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["tls"] == true);
  CHECK(messages[0]["auth_user"] == user);

  // A client that does not trust the throwaway CA is turned away by its own TLS check.
  const ProcessResult untrusted = curl_mail(smtp, short_note, {"a@example.org"}, {"--user", user + ":" + password});
  CHECK(untrusted.exit_code == 60);  // CURLE_PEER_FAILED_VERIFICATION
  CHECK(smtp.messages().size() == 1);
  CHECK(smtp.stop() == 0);
  CHECK(smtp.stderr_text().empty());  // aiosmtpd's warning about AUTH without STARTTLS is silenced
}

TEST_CASE("without TLS: AUTH in the clear, and bare LF, bare CR, long lines, Bcc and broken MIME in the analysis",
          "[smtp-standin]") {
  SmtpStandinProcess smtp;
  SmtpStandinProcess::Options options = with_auth();
  options.tls = "none";
  smtp.start(options);
  CHECK_THROWS_AS(smtp.ca_file(), std::logic_error);
  const std::string sloppy =
      "From: water@pcmc.example\r\nBcc: hidden@example.org\r\nSubject: sloppy\r\n\r\n"
      "bare\nline feed\r\ncarriage\rreturn\r\n" +
      std::string(1200, 'x') + "\r\n";
  const ProcessResult sent = curl_mail(smtp, sloppy, {"a@example.org"}, {"--user", user + ":" + password});
  INFO(sent.err);
  CHECK(sent.exit_code == 0);
  const std::string broken =
      "From: water@pcmc.example\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n"
      "Content-Type: text/plain\r\n\r\nno closing boundary\r\n";
  CHECK(curl_mail(smtp, broken, {"a@example.org"}, {"--user", user + ":" + password}).exit_code == 0);

  const json messages = smtp.messages();
  REQUIRE(messages.size() == 2);
  CHECK(messages[0]["tls"] == false);
  CHECK(messages[0]["auth_user"] == user);
  CHECK(SmtpStandinProcess::raw_message(messages[0]) == sloppy);
  const json& a = messages[0]["analysis"];
  CHECK(a["bare_lf"] == true);
  CHECK(a["bare_cr"] == true);
  CHECK(a["max_line_octets"] == 1200);  // recorded: aiosmtpd alone would answer 500 to a line over 1001
  CHECK(a["has_bcc"] == true);
  CHECK(a["from_name"].is_null());
  CHECK_FALSE(a.contains("parse_error"));

  const json& b = messages[1]["analysis"];
  CHECK(b["parse_error"] == "CloseBoundaryNotFoundDefect");  // policy.strict refuses it
  CHECK(b["defects"] == json{"CloseBoundaryNotFoundDefect"});
  CHECK(b["structure"] == "multipart/mixed[text/plain]");  // still described
}

TEST_CASE("reset forgets messages, rcpts, connections and faults", "[smtp-standin]") {
  SmtpStandinProcess smtp;
  smtp.start(with_auth());
  smtp.add_faults({{"on", "rcpt"}, {"address", "gone@example.org"}, {"reply", "550 5.1.1 No such user"}});
  CHECK(curl_mail(smtp, short_note, {"a@example.org", "gone@example.org"}, tls_and_auth(smtp)).exit_code == 0);
  CHECK(smtp.messages().size() == 1);
  CHECK(smtp.rcpts().size() == 2);
  CHECK(smtp.connections().size() == 1);

  smtp.reset();
  CHECK(smtp.messages().empty());
  CHECK(smtp.rcpts().empty());
  CHECK(smtp.connections().empty());
  CHECK(smtp.get("/_standin/faults").empty());

  CHECK(curl_mail(smtp, short_note, {"gone@example.org"}, tls_and_auth(smtp)).exit_code == 0);
  const json messages = smtp.messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["rcpt_tos"] == json{"gone@example.org"});
  CHECK(messages[0]["connection"] == 2);  // connection ids keep growing across a reset
}

TEST_CASE("bad arguments exit 2, the control API answers 404 to unknown paths and 400 to bad bodies",
          "[smtp-standin]") {
  const samvad::test::TempDir dir;
  const auto standin = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/python3", SAMVAD_SMTP_STANDIN});
    return samvad::test::run_process(args);
  };
  const ProcessResult bad_tls = standin({"--tls", "sometimes", "--dir", dir.path().string()});
  CHECK(bad_tls.exit_code == 2);
  CHECK(bad_tls.out.empty());
  CHECK_THAT(bad_tls.err, Catch::Contains("--tls"));
  const ProcessResult no_dir = standin({"--tls", "starttls"});
  CHECK(no_dir.exit_code == 2);
  CHECK_THAT(no_dir.err, Catch::Contains("--dir"));
  CHECK(standin({"--tls", "none", "--auth", "no-colon"}).exit_code == 2);

  SmtpStandinProcess smtp;
  smtp.start();
  CHECK_THROWS_WITH(smtp.get("/_standin/nothing"), Catch::Contains("HTTP 404"));
  CHECK_THROWS_WITH(smtp.post_json("/_standin/faults", {{"on", "rset"}, {"reply", "500 no"}}),
                    Catch::Contains("HTTP 400"));
  CHECK_THROWS_WITH(smtp.post_json("/_standin/faults", {{"on", "data"}, {"reply", "fine"}}),
                    Catch::Contains("HTTP 400"));
  CHECK_THROWS_WITH(smtp.post_json("/_standin/faults", {{"on", "data"}, {"drop", true}, {"reply", "250 OK"}}),
                    Catch::Contains("HTTP 400"));
  const ProcessResult bad_json = samvad::test::run_process(
      {"/usr/bin/curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: application/json",
       "--data", "{not json", smtp.control_url() + "/_standin/faults"});
  CHECK(bad_json.out == "400");
  CHECK(smtp.get("/_standin/faults").empty());
  CHECK(smtp.stop() == 0);
}
