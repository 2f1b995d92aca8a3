// Checking a template's texts before anything is rendered for real: mustache syntax, and
// every name a text refers to is a declared variable or a context root (and, for those, a
// field that exists). The texts are rendered against stand-in values twice - once with every
// variable and optional context field present, once with only the required ones - so that
// names inside {{#section}} and {{^section}} blocks are both seen.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/core/error.hpp>
#include <samvad/templates/mustache_text.hpp>
#include <samvad/templates/template.hpp>

namespace samvad::templates {

// One text of a template: "tweet.mr", "email.subject.en", ...
struct TemplateText {
  std::string key;
  LanguageCode lang;
  const std::string* text = nullptr;
  Escaping escaping = Escaping::none;
};
// Tweets, then email subject, text and html, each in language order.
std::vector<TemplateText> template_texts(const Template& tmpl);

// Where a text's YAML scalar begins in `source` (yaml-cpp's byte offset), so a problem at a
// byte of the text can be shown at its own line and column.
struct TextOrigin {
  std::string key;
  std::size_t pos = 0;
};

// The location of byte `offset` of `text` (the value of the scalar starting at `origin`),
// when it can be traced back through the YAML quoting: plain and quoted one-line scalars
// and literal blocks (|). Otherwise `start`, the scalar's own location.
SourceLocation locate_in_text(const std::string& source, const SourceLocation& start, std::size_t pos,
                              const std::string& text, std::size_t offset);

// Every problem with the texts of `tmpl`, code 78, located inside `source` where possible.
// Fields of `untyped` variables (whose declared type was wrong) are not judged, so one typo
// in a type is one error rather than one per use.
std::vector<Diagnostic> check_texts(const Template& tmpl, const std::string& source, const std::vector<TextOrigin>& origins,
                                    const std::vector<std::string>& untyped = {});

// Warnings (code 78, for `samvad check`) for each {{{name}}} and {{&name}} in an email.html
// text: the value goes into the HTML unescaped, so a value holding <, > or & breaks the markup
// or adds HTML of its own (a link, an image) to a message sent in the corporation's name.
std::vector<Diagnostic> unescaped_html_tags(const Template& tmpl, const std::string& source,
                                            const std::vector<TextOrigin>& origins);

// The context a text sees with stand-in values: `everything` present, or only what is
// always there (required variables, no hashtags, no handle, no website).
nlohmann::json probe_context(const Template& tmpl, const LanguageCode& lang, bool everything);

}  // namespace samvad::templates
