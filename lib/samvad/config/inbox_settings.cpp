#include <samvad/config/inbox_settings.hpp>

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <samvad/core/text.hpp>
#include <samvad/net/mail_address.hpp>

namespace samvad::config {

namespace {

const std::vector<std::string> kInboxKeys{"catch_all", "keywords", "digest_to"};

// A keyword matches whole words, so it must hold one: a letter (of any script, with its marks)
// or a digit. "#", "!!" or a lone space would match nothing, silently.
bool has_word_character(const std::string& keyword) {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(keyword);
  for (int32_t i = 0; i < u.length();) {
    const UChar32 c = u.char32At(i);
    if (u_hasBinaryProperty(c, UCHAR_ALPHABETIC) || u_isdigit(c)) return true;
    i += U16_LENGTH(c);
  }
  return false;
}

void read_keywords(YamlReader& r, const YAML::Node& node, const std::string& what, InboxSettings& inbox) {
  for (const auto& entry : r.open_map(node, what)) {
    const std::string lang_what = what + "." + entry.key;
    if (!is_language_code(entry.key)) {
      r.error(entry.key_node, lang_what + ": '" + shown(entry.key) + "' is not a language code; expected mr, en, ...");
      continue;
    }
    auto words = r.string_list(entry.value, lang_what);
    if (!words) continue;
    for (std::size_t i = 0; i < words->size(); ++i) {
      if (!has_word_character((*words)[i]))
        r.error(entry.value[i],
                lang_what + "[" + std::to_string(i) + "]: '" + shown((*words)[i]) +
                    "' has no letter or digit; expected a word or phrase to find in what citizens write");
    }
    if (words->empty()) r.error(entry.value, lang_what + " is empty; expected at least one keyword");
    inbox.keywords[entry.key] = std::move(*words);
  }
}

void read_digest_to(YamlReader& r, const YAML::Node& node, const std::string& what, InboxSettings& inbox) {
  std::vector<std::pair<std::string, YAML::Node>> given;
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i)
      if (auto a = r.string(node[i], what + "[" + std::to_string(i) + "]")) given.emplace_back(*a, node[i]);
  } else if (auto a = r.string(node, what)) {
    given.emplace_back(*a, node);
  }
  for (const auto& [address, at] : given) {
    if (!net::is_ascii_address(address)) {
      r.error(at, what + ": '" + shown(address) +
                      "' is not an email address in ASCII form; expected an address like head.water@pcmc.example.org");
      continue;
    }
    inbox.digest_to.push_back(address);
  }
}

}  // namespace

InboxSettings read_inbox(YamlReader& r, const YAML::Node& node, const std::string& what) {
  InboxSettings inbox;
  inbox.where = r.where(node);
  for (const auto& entry : r.map(node, what, kInboxKeys)) {
    if (entry.key == "catch_all") {
      if (auto b = r.boolean(entry.value, what + ".catch_all")) inbox.catch_all = *b;
    } else if (entry.key == "keywords") {
      read_keywords(r, entry.value, what + ".keywords", inbox);
    } else if (entry.key == "digest_to") {
      read_digest_to(r, entry.value, what + ".digest_to", inbox);
    }
  }
  return inbox;
}

}  // namespace samvad::config
