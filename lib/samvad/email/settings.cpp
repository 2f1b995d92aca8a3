#include <samvad/email/settings.hpp>

#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/text.hpp>
#include <samvad/email/header_encoding.hpp>
#include <samvad/email/message.hpp>
#include <samvad/net/mail_address.hpp>
#include <samvad/net/url.hpp>

namespace samvad::email {

std::vector<config::CredentialSection> credential_sections() {
  return {config::CredentialSection{kLoginSection, {"username", "password"}, true, true}};
}

const config::SecretSet* smtp_login_for(const config::Credentials& credentials, const config::Department& department) {
  if (const config::SecretSet* own = credentials.own_section(department.id, kLoginSection)) return own;
  // The shared login is the shared server's: another host never sees it, even if it asks.
  const ListSettings* list = list_of(department);
  if (list && list->own_smtp_server) return nullptr;
  return credentials.shared_section(kLoginSection);
}

std::optional<Diagnostic> smtp_login_problem(const config::Credentials& credentials,
                                             const config::Department& department) {
  const ListSettings* list = list_of(department);
  if (!list || !list->own_smtp_server || !credentials.shared_section(kLoginSection)) return std::nullopt;
  if (credentials.own_section(department.id, kLoginSection)) return std::nullopt;
  return Diagnostic{ExitCode::config,
                    "department " + department.id + " sends email through its own SMTP server (" + list->smtp_url +
                        "), and the shared smtp login goes only to email.smtp_url's server; expected departments." +
                        department.id + ".smtp: {username: ..., password: ...} in " + credentials.path.string(),
                    list->smtp_url_where};
}

namespace {

const std::vector<std::string> kDefaultKeys{"smtp_url", "from", "batch_size", "tls", "ca_file"};
const std::vector<std::string> kDepartmentKeys{"list", "subscribers", "unsubscribe", "smtp_url",
                                               "from", "batch_size",  "tls",         "ca_file"};
const std::vector<std::string> kFromKeys{"address", "name"};

// The top-level block: what a department's own block starts from.
struct Defaults {
  std::optional<std::string> smtp_url;
  std::optional<Sender> from;
  int batch_size = 50;
  SmtpTls tls = SmtpTls::starttls;
  std::optional<std::string> ca_file;
};

class SectionReader : public config::SectionReader {
 public:
  std::string key() const override { return kChannel; }

  void read_defaults(config::YamlReader& reader, const YAML::Node& node, const std::filesystem::path& dir) override {
    r_ = &reader;
    dir_ = dir;
    email_defaults(node);
  }

  std::shared_ptr<const config::ChannelSettings> read_department(config::YamlReader& reader, const YAML::Node* node,
                                                                 const std::string& what,
                                                                 const std::filesystem::path& dir) override {
    if (!node) return nullptr;  // no email list
    r_ = &reader;
    dir_ = dir;
    auto list = department_email(*node, what);
    if (!list) return nullptr;
    return std::make_shared<ListSettings>(std::move(*list));
  }

  // The top-level server and sender, addressing no one yet (Spec::addressed_to gives the heads).
  std::shared_ptr<const config::ChannelSettings> organization_settings() const override {
    if (!email_.smtp_url || !email_.from) return nullptr;
    auto list = std::make_shared<ListSettings>();
    list->smtp_url = *email_.smtp_url;
    list->from = *email_.from;
    list->batch_size = email_.batch_size;
    list->tls = email_.tls;
    list->ca_file = email_.ca_file;
    return list;
  }

 private:
  std::optional<Sender> sender(const YAML::Node& node, const std::string& what) {
    auto e = r_->map(node, what, kFromKeys);
    Sender s;
    bool ok = true;
    if (auto a = r_->required(node, e, "address", what)) {
      if (auto v = r_->string(*a, what + ".address")) {
        if (auto problem = address_problem(*v, /*sender=*/true)) {
          r_->error(*a, what + ".address " + *problem + "; expected like announcements@example.org");
          ok = false;
        }
        s.address = *v;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (auto* n = config::find_entry(e, "name")) {
      if (auto name = r_->localized(n->value, what + ".name")) {
        // The display name goes into the From header: checked as mailbox_field will check it.
        for (const auto& [lang, text] : name->text) {
          if (auto problem = net::header_text_problem(text)) {
            r_->error(n->value[lang], what + ".name." + lang + " cannot be a sender's name: " + *problem +
                                          "; expected one line of text");
            ok = false;
          }
        }
        s.name = *name;
      }
    }
    if (!ok) return std::nullopt;
    return s;
  }

  // Why an address cannot be a sender's or a list's: it goes into From or To and the SMTP
  // envelope as written, so it must be a valid address already in ASCII (mailbox_field's
  // is_ascii_address); a sender's domain also ends every Message-ID (new_message_id's
  // is_dot_atom_text), so it cannot be an address literal.
  static std::optional<std::string> address_problem(const std::string& address, bool sender) {
    auto ascii = net::normalize_address(address);
    if (!ascii) return "'" + shown(address) + "' is not a valid email address";
    if (!net::is_ascii_address(address))
      return "'" + shown(address) +
             "' is not written in ASCII, as email headers need it; write its domain in ASCII form: " + *ascii;
    if (sender && !net::is_dot_atom_text(ascii->substr(ascii->rfind('@') + 1)))
      return "'" + shown(address) +
             "' has an address literal for a domain, which cannot end a Message-ID; expected a domain name";
    return std::nullopt;
  }

  // Settings shared by the top-level email block and a department's own.
  void email_common(const std::vector<config::MapEntry>& e, const std::string& what,
                    std::optional<std::string>& smtp_url, std::optional<Sender>& from, int& batch_size, SmtpTls& tls,
                    std::optional<std::string>& ca_file) {
    if (auto* u = config::find_entry(e, "smtp_url")) {
      if (auto v = r_->string(u->value, what + ".smtp_url")) {
        if (auto problem = net::check_endpoint(*v, {"smtp", "smtps"}, {}))
          r_->error(u->value, what + ".smtp_url: " + *problem);
        else
          smtp_url = smtp_url_as_sent(*v);
      }
    }
    if (auto* f = config::find_entry(e, "from")) {
      from = sender(f->value, what + ".from");
      if (!from) invalid_sender_ = true;  // already reported where it is written
    }
    if (auto* b = config::find_entry(e, "batch_size"))
      if (auto v = r_->integer(b->value, what + ".batch_size", 1, 100)) batch_size = static_cast<int>(*v);
    if (auto* t = config::find_entry(e, "tls")) {
      if (auto v = r_->string(t->value, what + ".tls")) {
        if (*v == "starttls")
          tls = SmtpTls::starttls;
        else if (*v == "none")
          tls = SmtpTls::none;
        else
          r_->error(t->value, what + ".tls '" + shown(*v) + "' is not known; expected starttls or none");
      }
    }
    if (auto* c = config::find_entry(e, "ca_file"))
      ca_file = config::read_file_path(*r_, c->value, what + ".ca_file", dir_);
  }

  // The URL in the spelling libcurl is given ("SMTP://Mail.Example.org" is smtp://mail.example.org:
  // STARTTLS whatever the case), without the "/" the parser adds when there is no path.
  static std::string smtp_url_as_sent(const std::string& written) {
    const auto parts = net::parse_url(written);
    std::string url = parts->url;
    if (parts->path == "/" && !parts->query && !url.empty() && url.back() == '/') url.pop_back();
    return url;
  }

  void email_defaults(const YAML::Node& node) {
    auto e = r_->map(node, "email", kDefaultKeys);
    email_common(e, "email", email_.smtp_url, email_.from, email_.batch_size, email_.tls, email_.ca_file);
  }

  std::optional<ListSettings> department_email(const YAML::Node& node, const std::string& what) {
    auto e = r_->map(node, what, kDepartmentKeys);
    ListSettings list;
    std::optional<std::string> smtp_url = email_.smtp_url;
    std::optional<Sender> from = email_.from;
    list.batch_size = email_.batch_size;
    list.tls = email_.tls;
    list.ca_file = email_.ca_file;
    email_common(e, what, smtp_url, from, list.batch_size, list.tls, list.ca_file);
    if (auto* u = config::find_entry(e, "smtp_url")) {
      list.smtp_url_where = r_->where(u->value);
      list.own_smtp_server = smtp_url && smtp_url != email_.smtp_url;
    }
    const bool ok = server_and_sender(node, what, smtp_url, from, list);
    if (!recipients(node, e, what, list) || !ok) return std::nullopt;
    return list;
  }

  // The server and the sender, from the department or the top-level defaults.
  bool server_and_sender(const YAML::Node& node, const std::string& what, const std::optional<std::string>& smtp_url,
                         const std::optional<Sender>& from, ListSettings& list) {
    bool ok = true;
    if (!smtp_url) {
      r_->error(node, what + " has no smtp_url; expected email.smtp_url at the top level or in the department");
      ok = false;
    } else {
      list.smtp_url = *smtp_url;
      if (list.tls == SmtpTls::none && !net::is_loopback_url(*smtp_url)) {
        r_->error(node, what + ": tls: none is allowed only for a loopback SMTP server; expected starttls for " +
                            net::host_of(*smtp_url));
        ok = false;
      }
    }
    if (!from) {
      if (!invalid_sender_) r_->error(node, what + " has no sender; expected email.from: {address: ..., name: ...}");
      ok = false;
    } else {
      list.from = *from;
    }
    return ok;
  }

  // Who the list reaches (a list address, a subscriber file or both) and how to leave it.
  bool recipients(const YAML::Node& node, const std::vector<config::MapEntry>& e, const std::string& what,
                  ListSettings& list) {
    bool ok = true;
    if (auto* l = config::find_entry(e, "list")) {
      if (auto v = r_->string(l->value, what + ".list")) {
        if (auto problem = address_problem(*v, /*sender=*/false)) {
          r_->error(l->value, what + ".list " + *problem + "; expected like dept@lists.example.org");
          ok = false;
        }
        list.list = *v;
      }
    }
    if (auto* s = config::find_entry(e, "subscribers")) {
      list.subscribers = config::read_file_path(*r_, s->value, what + ".subscribers", dir_);
      list.subscribers_where = r_->where(s->value);
    }
    if (!list.list && !list.subscribers) {
      r_->error(node, what + " has neither list nor subscribers; expected a list address and/or a subscriber file");
      ok = false;
    }
    if (auto* u = config::find_entry(e, "unsubscribe")) {
      if (auto v = r_->string(u->value, what + ".unsubscribe")) {
        // Checked as message_headers will check it, for the List-Unsubscribe header_->
        if (auto problem = net::unsubscribe_problem(*v)) {
          r_->error(u->value, what + ".unsubscribe cannot be a List-Unsubscribe URL: " + *problem);
          ok = false;
        } else if (auto mailto = net::parse_mailto(*v)) {
          list.unsubscribe = mailto->url;
        } else {
          list.unsubscribe = net::parse_url(*v)->url;
        }
      }
    }
    return ok;
  }

  config::YamlReader* r_ = nullptr;
  std::filesystem::path dir_;
  Defaults email_;
  bool invalid_sender_ = false;  // a from: was given but refused: "no sender" would only repeat it
};

}  // namespace

std::unique_ptr<config::SectionReader> make_section_reader() { return std::make_unique<SectionReader>(); }

}  // namespace samvad::email
