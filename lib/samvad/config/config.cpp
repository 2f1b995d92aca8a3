#include <samvad/config/config.hpp>

#include <cstdlib>
#include <regex>

#include <curl/curl.h>
#include <unicode/timezone.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <samvad/net/url.hpp>
#include <samvad/config/yaml_reader.hpp>
#include <samvad/core/suggest.hpp>
#include <samvad/email/address.hpp>
#include <samvad/core/text.hpp>

namespace samvad::config {

std::vector<std::string> Department::channels() const {
  std::vector<std::string> out;
  if (twitter) out.push_back("twitter");
  if (email) out.push_back("email");
  return out;
}

const Department* Config::find_department(std::string_view id) const {
  for (const auto& d : departments)
    if (d.id == id) return &d;
  return nullptr;
}

std::vector<std::string> Config::department_ids() const {
  std::vector<std::string> ids;
  for (const auto& d : departments) ids.push_back(d.id);
  return ids;
}

std::filesystem::path find_config_path(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  if (const char* env = std::getenv("SAMVAD_CONFIG"); env && *env) return env;
  return "departments.yaml";
}

namespace {

const std::vector<std::string> kTopKeys{"organization", "state", "twitter", "email", "departments"};
const std::vector<std::string> kOrganizationKeys{"name", "short_name", "website", "timezone", "languages"};
const std::vector<std::string> kTwitterDefaultKeys{"api_base", "ca_file"};
const std::vector<std::string> kTwitterDepartmentKeys{"handle", "api_base", "ca_file"};
const std::vector<std::string> kEmailDefaultKeys{"smtp_url", "from", "batch_size", "tls", "ca_file"};
const std::vector<std::string> kEmailDepartmentKeys{"list",     "subscribers", "unsubscribe", "smtp_url",
                                                    "from",     "batch_size",  "tls",         "ca_file"};
const std::vector<std::string> kFromKeys{"address", "name"};
const std::vector<std::string> kDepartmentKeys{"name", "hashtags", "languages", "twitter", "email"};

// Channel settings as written at the top level; a department's own block overrides them.
struct EmailDefaults {
  std::optional<std::string> smtp_url;
  std::optional<EmailSender> from;
  int batch_size = 50;
  SmtpTls tls = SmtpTls::starttls;
  std::optional<std::string> ca_file;
};

class ConfigReader {
 public:
  ConfigReader(const std::filesystem::path& path, Diagnostics& diags)
      : path_(path), dir_(path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path()),
        r_(path.string(), ExitCode::config, diags) {}

  Config read(const YAML::Node& root) {
    Config config;
    config.path = path_;
    config.dir = dir_;
    if (root.IsNull()) {
      r_.error(root, "the file is empty; expected organization: and departments:");
      return config;
    }
    auto top = r_.map(root, "the top level", kTopKeys);
    if (auto org = r_.required(root, top, "organization", "the top level")) config.organization = organization(*org);
    if (auto* s = find_entry(top, "state")) state(s->value, config);
    if (auto* t = find_entry(top, "twitter")) twitter_defaults(t->value);
    if (auto* e = find_entry(top, "email")) email_defaults(e->value);
    if (auto deps = r_.required(root, top, "departments", "the top level")) {
      for (auto& entry : r_.open_map(*deps, "departments")) {
        if (auto d = department(entry, config.organization)) config.departments.push_back(std::move(*d));
      }
      if (deps->IsMap() && deps->size() == 0) r_.error(*deps, "departments is empty; expected at least one department");
    }
    return config;
  }

 private:
  Organization organization(const YAML::Node& node) {
    Organization org;
    auto e = r_.map(node, "organization", kOrganizationKeys);
    if (auto n = r_.required(node, e, "name", "organization")) {
      if (auto name = r_.localized(*n, "organization.name")) org.name = *name;
    }
    if (auto* s = find_entry(e, "short_name"))
      if (auto v = r_.string(s->value, "organization.short_name")) org.short_name = *v;
    if (auto* w = find_entry(e, "website")) {
      if (auto v = r_.string(w->value, "organization.website")) {
        if (!net::is_web_url(*v)) r_.error(w->value, "organization.website is not an http(s) URL; expected like https://www.example.org");
        org.website = *v;
      }
    }
    if (auto* tz = find_entry(e, "timezone")) {
      if (auto v = r_.string(tz->value, "organization.timezone")) {
        if (!is_known_timezone(*v))
          r_.error(tz->value, "organization.timezone '" + shown(*v) + "' is not a known time zone; expected an IANA name like Asia/Kolkata");
        org.timezone = *v;
      }
    }
    if (auto* l = find_entry(e, "languages")) {
      if (auto langs = languages(l->value, "organization.languages")) org.languages = *langs;
    }
    return org;
  }

  void state(const YAML::Node& node, Config& config) {
    auto v = r_.string(node, "state");
    if (!v) return;
    if (v->empty() || v->back() == '/') {
      r_.error(node, "state is not a file path; expected the delivery store's file, like /var/lib/samvad/state.db");
      return;
    }
    std::filesystem::path p(*v);
    if (p.is_relative()) p = std::filesystem::absolute(dir_ / p);
    config.state = p.lexically_normal();
    config.state_where = r_.where(node);
  }

  std::optional<std::vector<LanguageCode>> languages(const YAML::Node& node, const std::string& what) {
    auto list = r_.string_list(node, what);
    if (!list) return std::nullopt;
    if (list->empty()) {
      r_.error(node, what + " is empty; expected at least one language, like [mr, en]");
      return std::nullopt;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const auto& code = (*list)[i];
      if (!is_language_code(code)) {
        r_.error(node[i], what + ": '" + shown(code) + "' is not a language code; expected codes like mr or en");
        return std::nullopt;
      }
      if (std::find(list->begin(), list->begin() + static_cast<long>(i), code) != list->begin() + static_cast<long>(i)) {
        r_.error(node[i], what + ": '" + shown(code) + "' is listed twice; expected each language once");
        return std::nullopt;
      }
    }
    return list;
  }

  static bool is_known_timezone(const std::string& id) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString canonical;
    UBool is_system = false;
    icu::TimeZone::getCanonicalID(icu::UnicodeString::fromUTF8(id), canonical, is_system, status);
    return U_SUCCESS(status) && is_system;
  }

  std::optional<std::string> file_path(const YAML::Node& node, const std::string& what) {
    auto v = r_.string(node, what);
    if (!v) return std::nullopt;
    std::filesystem::path p(*v);
    if (p.is_relative()) p = dir_ / p;
    return p.lexically_normal().string();
  }

  void api_base(const YAML::Node& node, const std::string& what, std::string& out) {
    auto v = r_.string(node, what);
    if (!v) return;
    if (auto problem = net::check_endpoint(*v, {"https"}, {"http"})) {
      r_.error(node, what + ": " + *problem);
      return;
    }
    // In the spelling the transport will use ("HTTPS://API.X.COM" is https://api.x.com).
    std::string url = net::parse_url(*v)->url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    out = url;
  }

  void twitter_defaults(const YAML::Node& node) {
    auto e = r_.map(node, "twitter", kTwitterDefaultKeys);
    if (auto* a = find_entry(e, "api_base")) api_base(a->value, "twitter.api_base", twitter_.api_base);
    if (auto* c = find_entry(e, "ca_file")) twitter_.ca_file = file_path(c->value, "twitter.ca_file");
  }

  std::optional<EmailSender> sender(const YAML::Node& node, const std::string& what) {
    auto e = r_.map(node, what, kFromKeys);
    EmailSender s;
    bool ok = true;
    if (auto a = r_.required(node, e, "address", what)) {
      if (auto v = r_.string(*a, what + ".address")) {
        if (auto problem = address_problem(*v, /*sender=*/true)) {
          r_.error(*a, what + ".address " + *problem + "; expected like announcements@example.org");
          ok = false;
        }
        s.address = *v;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (auto* n = find_entry(e, "name")) {
      if (auto name = r_.localized(n->value, what + ".name")) {
        // The display name goes into the From header: checked as mailbox_field will check it.
        for (const auto& [lang, text] : name->text) {
          if (auto problem = email::header_text_problem(text)) {
            r_.error(n->value[lang], what + ".name." + lang + " cannot be a sender's name: " + *problem +
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
    auto ascii = email::normalize_address(address);
    if (!ascii) return "'" + shown(address) + "' is not a valid email address";
    if (!email::is_ascii_address(address))
      return "'" + shown(address) + "' is not written in ASCII, as email headers need it; write its domain in ASCII form: " + *ascii;
    if (sender && !email::is_dot_atom_text(ascii->substr(ascii->rfind('@') + 1)))
      return "'" + shown(address) + "' has an address literal for a domain, which cannot end a Message-ID; expected a domain name";
    return std::nullopt;
  }

  // Settings shared by the top-level email block and a department's own.
  void email_common(const std::vector<MapEntry>& e, const std::string& what, std::optional<std::string>& smtp_url,
                    std::optional<EmailSender>& from, int& batch_size, SmtpTls& tls, std::optional<std::string>& ca_file) {
    if (auto* u = find_entry(e, "smtp_url")) {
      if (auto v = r_.string(u->value, what + ".smtp_url")) {
        if (auto problem = net::check_endpoint(*v, {"smtp", "smtps"}, {}))
          r_.error(u->value, what + ".smtp_url: " + *problem);
        else
          smtp_url = smtp_url_as_sent(*v);
      }
    }
    if (auto* f = find_entry(e, "from")) {
      from = sender(f->value, what + ".from");
      if (!from) invalid_sender_ = true;  // already reported where it is written
    }
    if (auto* b = find_entry(e, "batch_size"))
      if (auto v = r_.integer(b->value, what + ".batch_size", 1, 100)) batch_size = static_cast<int>(*v);
    if (auto* t = find_entry(e, "tls")) {
      if (auto v = r_.string(t->value, what + ".tls")) {
        if (*v == "starttls")
          tls = SmtpTls::starttls;
        else if (*v == "none")
          tls = SmtpTls::none;
        else
          r_.error(t->value, what + ".tls '" + shown(*v) + "' is not known; expected starttls or none");
      }
    }
    if (auto* c = find_entry(e, "ca_file")) ca_file = file_path(c->value, what + ".ca_file");
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
    auto e = r_.map(node, "email", kEmailDefaultKeys);
    email_common(e, "email", email_.smtp_url, email_.from, email_.batch_size, email_.tls, email_.ca_file);
  }

  std::optional<EmailList> department_email(const YAML::Node& node, const std::string& what) {
    auto e = r_.map(node, what, kEmailDepartmentKeys);
    EmailList list;
    std::optional<std::string> smtp_url = email_.smtp_url;
    std::optional<EmailSender> from = email_.from;
    list.batch_size = email_.batch_size;
    list.tls = email_.tls;
    list.ca_file = email_.ca_file;
    email_common(e, what, smtp_url, from, list.batch_size, list.tls, list.ca_file);
    if (auto* u = find_entry(e, "smtp_url")) {
      list.smtp_url_where = r_.where(u->value);
      list.own_smtp_server = smtp_url && smtp_url != email_.smtp_url;
    }
    bool ok = true;
    if (!smtp_url) {
      r_.error(node, what + " has no smtp_url; expected email.smtp_url at the top level or in the department");
      ok = false;
    } else {
      list.smtp_url = *smtp_url;
      if (list.tls == SmtpTls::none && !net::is_loopback_url(*smtp_url)) {
        r_.error(node, what + ": tls: none is allowed only for a loopback SMTP server; expected starttls for " + net::host_of(*smtp_url));
        ok = false;
      }
    }
    if (!from) {
      if (!invalid_sender_) r_.error(node, what + " has no sender; expected email.from: {address: ..., name: ...}");
      ok = false;
    } else {
      list.from = *from;
    }
    if (auto* l = find_entry(e, "list")) {
      if (auto v = r_.string(l->value, what + ".list")) {
        if (auto problem = address_problem(*v, /*sender=*/false)) {
          r_.error(l->value, what + ".list " + *problem + "; expected like dept@lists.example.org");
          ok = false;
        }
        list.list = *v;
      }
    }
    if (auto* s = find_entry(e, "subscribers")) {
      list.subscribers = file_path(s->value, what + ".subscribers");
      list.subscribers_where = r_.where(s->value);
    }
    if (!list.list && !list.subscribers) {
      r_.error(node, what + " has neither list nor subscribers; expected a list address and/or a subscriber file");
      ok = false;
    }
    if (auto* u = find_entry(e, "unsubscribe")) {
      if (auto v = r_.string(u->value, what + ".unsubscribe")) {
        // Checked as message_headers will check it, for the List-Unsubscribe header.
        if (auto problem = email::unsubscribe_problem(*v)) {
          r_.error(u->value, what + ".unsubscribe cannot be a List-Unsubscribe URL: " + *problem);
          ok = false;
        } else if (auto mailto = net::parse_mailto(*v)) {
          list.unsubscribe = mailto->url;
        } else {
          list.unsubscribe = net::parse_url(*v)->url;
        }
      }
    }
    if (!ok) return std::nullopt;
    return list;
  }

  std::optional<TwitterAccount> department_twitter(const YAML::Node& node, const std::string& what) {
    auto e = r_.map(node, what, kTwitterDepartmentKeys);
    TwitterAccount account;
    account.api_base = twitter_.api_base;
    account.ca_file = twitter_.ca_file;
    bool ok = true;
    if (auto h = r_.required(node, e, "handle", what)) {
      if (auto v = r_.string(*h, what + ".handle")) {
        static const std::regex handle("[A-Za-z0-9_]{1,15}");
        if (!std::regex_match(*v, handle)) {
          r_.error(*h, what + ".handle '" + shown(*v) + "' is not an X handle; expected 1-15 letters, digits or _ without '@'");
          ok = false;
        }
        account.handle = *v;
      } else {
        ok = false;
      }
    } else {
      ok = false;
    }
    if (auto* a = find_entry(e, "api_base")) api_base(a->value, what + ".api_base", account.api_base);
    if (auto* c = find_entry(e, "ca_file")) account.ca_file = file_path(c->value, what + ".ca_file");
    if (!ok) return std::nullopt;
    return account;
  }

  std::optional<Department> department(const MapEntry& entry, const Organization& org) {
    static const std::regex id_pattern("[a-z0-9][a-z0-9-]{0,62}");
    std::string what = "departments." + entry.key;
    if (!std::regex_match(entry.key, id_pattern)) {
      r_.error(entry.key_node, "department id '" + shown(entry.key) +
                                   "' is not usable on the command line; expected lowercase letters, digits and -");
      return std::nullopt;
    }
    Department d;
    d.id = entry.key;
    d.where = r_.where(entry.key_node);
    d.languages = org.languages;
    auto e = r_.map(entry.value, what, kDepartmentKeys);
    if (auto* l = find_entry(e, "languages")) {
      if (auto langs = languages(l->value, what + ".languages")) d.languages = *langs;
    }
    if (auto n = r_.required(entry.value, e, "name", what)) {
      if (auto name = r_.localized(*n, what + ".name")) {
        d.name = *name;
        for (const auto& lang : d.languages)
          if (!d.name.has(lang))
            r_.error(*n, what + ".name has no '" + lang + "' text; expected a name in each of the department's languages");
      }
    }
    if (auto* h = find_entry(e, "hashtags")) {
      if (auto tags = r_.string_list(h->value, what + ".hashtags")) {
        for (std::size_t i = 0; i < tags->size(); ++i) {
          if (!is_hashtag_text((*tags)[i]))
            r_.error(h->value[i], what + ".hashtags: '" + shown((*tags)[i]) + "' is not a hashtag; expected letters, digits or _ without '#'");
        }
        d.hashtags = *tags;
      }
    }
    if (auto* t = find_entry(e, "twitter")) d.twitter = department_twitter(t->value, what + ".twitter");
    if (auto* m = find_entry(e, "email")) d.email = department_email(m->value, what + ".email");
    return d;
  }

  static bool is_hashtag_text(const std::string& tag) {
    if (tag.empty() || tag[0] == '#') return false;
    // Letters and marks of any script (Devanagari hashtags are common), digits and _.
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(tag);
    bool has_letter = false;
    for (int32_t i = 0; i < u.length();) {
      UChar32 c = u.char32At(i);
      if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_getIntPropertyValue(c, UCHAR_GENERAL_CATEGORY_MASK) & U_GC_M_MASK) {
        has_letter = true;
      } else if (!(u_isdigit(c) || c == '_')) {
        return false;
      }
      i += U16_LENGTH(c);
    }
    return has_letter;
  }

  std::filesystem::path path_;
  std::filesystem::path dir_;
  YamlReader r_;
  TwitterAccount twitter_;
  EmailDefaults email_;
  bool invalid_sender_ = false;  // a from: was given but refused: "no sender" would only repeat it
};

}  // namespace

namespace {
Config read_config(const YamlDocument& doc, const std::filesystem::path& path) {
  Diagnostics diags;
  Config config = ConfigReader(path, diags).read(doc.root);
  diags.throw_if_any();
  return config;
}
}  // namespace

Config parse_config(const std::string& yaml_text, const std::filesystem::path& path) {
  return read_config(parse_yaml(yaml_text, path.string(), ExitCode::config), path);
}

Config load_config(const std::filesystem::path& path) {
  return read_config(load_yaml_file(path, FileKind::config, ExitCode::config), path);
}

}  // namespace samvad::config
