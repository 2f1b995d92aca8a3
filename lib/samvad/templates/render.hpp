// Turning a template, a department and resolved variables into what is published: one tweet
// (or thread) per department language, and one email carrying every language in order.
// Pure: no I/O, the same inputs always give the same message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/config/config.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variables.hpp>

namespace samvad::templates {

struct TweetThread {
  LanguageCode language;
  std::vector<std::string> parts;  // one part, or a thread whose parts end " (i/N)"
};

// One language of the long form, as rendered before the languages are joined.
struct LanguageContent {
  LanguageCode language;
  std::string subject;
  std::string text;
  std::string html;  // "" without email.html
};

struct EmailContent {
  std::vector<LanguageContent> languages;  // each language alone, in order (a notice page shows them apart)
  std::string subject;  // one line: the languages' subjects joined by " | "
  std::string text;     // the languages' texts joined by kEmailTextSeparator, ending in "\n"
  std::string html;     // <div lang="..">..</div> per language joined by "\n<hr>\n"; empty without email.html
};

struct Message {
  std::string department;  // the department id
  std::vector<TweetThread> tweets;  // in the department's language order; empty without twitter or tweet
  std::optional<EmailContent> email;  // without an email list or email texts: none
};

// Between the languages of the plain-text email body.
inline constexpr std::string_view kEmailTextSeparator = "\n\n— — —\n\n";
inline constexpr std::string_view kEmailSubjectSeparator = " | ";

// Runs of blank lines (left by empty sections on lines of their own) become one blank line.
std::string collapse_blank_lines(const std::string& text);

// What to render: only what will be sent is judged, so an email-only post is not stopped by a
// tweet that would be too long (preview and check render both and report it).
struct Contents {
  bool tweets = true;
  bool email = true;
};

// Renders `contents` (what the department's channels send: app::contents_for) for the
// department's languages in order. Throws Error:
//  78 when the template has no text in one of those languages for a content that is rendered (or a text refers to an
//  undeclared name, for a Template not made by load_template); 65 when a rendered tweet is empty, longer than one post
//  with thread: false, or cannot be
//     split into a thread of at most 25 posts; or when the subject would contain a line break
//     (header injection).
Message render(const Template& tmpl, const config::Config& config, const config::Department& department,
               const ResolvedVariables& vars, Contents contents = {});

// One text ("tweet.mr", "email.subject.en", ...) rendered in `lang`, trimmed and NFC-normalized.
// HTML-escapes values only for "email.html.*".
std::string render_text(const Template& tmpl, const std::string& key, const std::string& text,
                        const config::Config& config, const config::Department& department,
                        const ResolvedVariables& vars, const LanguageCode& lang);

}  // namespace samvad::templates
