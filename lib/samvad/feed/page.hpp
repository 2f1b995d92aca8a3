// The public page of one announcement for one department: a complete, self-contained HTML5
// document with every language of the notice, where an X thread's "full notice: ..." link leads
// and what a feed entry points to. Pure: the same Notice always gives the same bytes, so a rerun
// rewrites nothing.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/core/localized.hpp>

namespace samvad::feed {

// One language of the notice, as the template rendered it for email.
struct LanguageText {
  LanguageCode lang;
  std::string title;  // the email subject in this language
  std::string html;   // the email's HTML body in this language alone, or "" when the template has none
  std::string text;   // the plain-text email body in this language (used when html is "")
};

struct Notice {
  std::string announcement_id;  // [A-Za-z0-9._@:-]{1,128}
  std::string department_id;
  Localized department_name;
  Localized organization_name;
  std::string time_zone;  // IANA name, for the publication time shown on the page
  // When the announcement was first recorded (not "now"): the page shows it, feed entries carry
  // it as `updated` and their ids its date, so every rerun writes the same bytes.
  std::chrono::system_clock::time_point published;
  std::vector<LanguageText> languages;  // in the department's order; the first is the page's language
};

// The page as UTF-8 bytes. <html lang> is the first language; each language is a
// <section lang="..">. No scripts, no external resources, and a Content-Security-Policy that
// allows neither. Throws Error (65) for a notice without languages.
std::string render_page(const Notice& notice);

// The body of one language as an HTML fragment: `html` sanitized (see sanitize_html), or `text`
// escaped, as paragraphs (a blank line between) with <br> for single line breaks. The page's
// sections and the feed entries' content carry exactly this.
std::string body_fragment(const LanguageText& text);

// An HTML fragment from a template without what could run or load anything: script, style,
// iframe and other active or document-level elements with their content, object, embed, form
// and the like without the element (their content stays, sanitized), comments, on* event-handler attributes, srcset,
// and URL attributes whose scheme is not http, https, mailto or tel (javascript:, vbscript:, data: ...). Ordinary
// markup and its text stay.
std::string sanitize_html(std::string_view html);

}  // namespace samvad::feed
