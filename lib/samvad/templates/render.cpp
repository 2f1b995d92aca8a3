#include <samvad/templates/render.hpp>

#include <algorithm>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <samvad/core/text.hpp>
#include <samvad/templates/context.hpp>
#include <samvad/templates/mustache_text.hpp>
#include <samvad/text/thread_split.hpp>
#include <samvad/text/tweet_length.hpp>

namespace samvad::templates {

namespace {

std::string trim(const std::string& s) {
  const char* space = " \t\r\n";
  auto begin = s.find_first_not_of(space);
  if (begin == std::string::npos) return {};
  return s.substr(begin, s.find_last_not_of(space) - begin + 1);
}

// X counts characters after NFC normalization and mail clients compare text in NFC, so what
// samvad publishes is NFC whatever form the template or a value was typed in.
std::string nfc(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw Error(ExitCode::software, std::string("ICU has no NFC normalizer: ") + u_errorName(status));
  icu::UnicodeString normalized = normalizer->normalize(icu::UnicodeString::fromUTF8(s), status);
  if (U_FAILURE(status)) throw Error(ExitCode::software, std::string("ICU could not normalize text: ") + u_errorName(status));
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string what_for(const Template& tmpl, const config::Department& department) {
  return "template '" + tmpl.name + "' for department '" + department.id + "'";
}

// Every language the department publishes in must be written for each channel it uses.
void require_languages(const Template& tmpl, const config::Department& department, const std::vector<LanguageCode>& languages,
                       const Localized& texts, const std::string& key, Diagnostics& problems) {
  for (const auto& lang : languages)
    if (!texts.has(lang))
      problems.add(ExitCode::config,
                   "template '" + tmpl.name + "' has no " + lang + " text for " + key + ", but department '" +
                       department.id + "' publishes in " + join(languages, ", ") + "; expected " + key + "." + lang,
                   tmpl.where);
}

std::vector<std::string> tweet_parts(const Template& tmpl, const config::Department& department, const LanguageCode& lang,
                                     const std::string& text) {
  std::string what = "the " + lang + " tweet of " + what_for(tmpl, department);
  if (text.empty()) throw Error(ExitCode::data, what + " renders empty; expected some text (check the variables it uses)");
  if (!tmpl.thread) {
    const text::LengthConfig config = text::LengthConfig::v3();
    text::TweetLength length = text::measure_tweet(text, config);
    std::string limit = std::to_string(config.max_weighted_length);
    if (length.weighted_length > config.max_weighted_length)
      throw Error(ExitCode::data, what + " is " + std::to_string(length.weighted_length) + " characters long as X counts them (at most " +
                                      limit + " fit in one post) and the template says thread: false; "
                                      "expected a shorter text, or thread: true");
    if (!length.valid)
      throw Error(ExitCode::data, what + " contains a character X refuses (U+FFFE, U+FEFF or U+FFFF); expected plain text");
    return {text};
  }
  try {
    return text::split_thread(text);
  } catch (const Error& e) {
    throw Error(e.code(), what + ": " + e.diagnostics().front().message);
  }
}

}  // namespace

std::string render_text(const Template& tmpl, const std::string& key, const std::string& text,
                        const config::Config& config, const config::Department& department,
                        const ResolvedVariables& vars, const LanguageCode& lang) {
  SourceLocation where = tmpl.text_location(key);
  Escaping escaping = key.rfind("email.html", 0) == 0 ? Escaping::html : Escaping::none;
  MustacheResult result = render_mustache(text, render_context(tmpl, config, department, vars, lang), escaping);
  if (result.error)
    throw Error(ExitCode::config, key + ": invalid mustache: " + shown(*result.error, 200), where);
  // load_template has already refused these; a Template built in code has not.
  Diagnostics problems;
  std::vector<std::string> known = tmpl.variable_names();
  const std::vector<std::string> roots = context_roots();
  known.insert(known.end(), roots.begin(), roots.end());
  for (const auto& name : result.unresolved)
    if (std::find(known.begin(), known.end(), first_component(name)) == known.end())
      problems.add(ExitCode::config, key + ": '{{" + shown(name) + "}}' is not a declared variable", where);
  problems.throw_if_any();
  return nfc(trim(result.output));
}

// Section tags on lines of their own ({{#link}} … {{/link}}) leave blank lines behind when the
// section is empty; in a plain-text body one blank line between paragraphs is enough.
std::string collapse_blank_lines(const std::string& text) {
  std::string out;
  bool previous_blank = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (!(blank && previous_blank)) out += (blank ? std::string() : line) + "\n";
    previous_blank = blank;
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  out.pop_back();  // the loop adds a newline after the last line too
  return out;
}

Message render(const Template& tmpl, const config::Config& config, const config::Department& department,
               const ResolvedVariables& vars, Contents contents) {
  Message message;
  message.department = department.id;
  const std::vector<LanguageCode>& languages =
      department.languages.empty() ? config.organization.languages : department.languages;

  bool tweets = contents.tweets && tmpl.tweet;
  bool email = contents.email && tmpl.email.has_value();
  Diagnostics missing;
  if (tweets) require_languages(tmpl, department, languages, *tmpl.tweet, "tweet", missing);
  if (email) {
    require_languages(tmpl, department, languages, tmpl.email->subject, "email.subject", missing);
    require_languages(tmpl, department, languages, tmpl.email->text, "email.text", missing);
    if (tmpl.email->html) require_languages(tmpl, department, languages, *tmpl.email->html, "email.html", missing);
  }
  missing.throw_if_any();

  auto text_of = [&](const Localized& texts, const std::string& key, const LanguageCode& lang) {
    return render_text(tmpl, key + "." + lang, texts.text.at(lang), config, department, vars, lang);
  };

  if (tweets)
    for (const auto& lang : languages)
      message.tweets.push_back(TweetThread{lang, tweet_parts(tmpl, department, lang, text_of(*tmpl.tweet, "tweet", lang))});

  if (email) {
    std::vector<std::string> subjects, texts, htmls;
    EmailContent content;
    for (const auto& lang : languages) {
      LanguageContent one{lang, text_of(tmpl.email->subject, "email.subject", lang),
                          collapse_blank_lines(text_of(tmpl.email->text, "email.text", lang)),
                          tmpl.email->html ? text_of(*tmpl.email->html, "email.html", lang) : std::string()};
      subjects.push_back(one.subject);
      texts.push_back(one.text);
      if (tmpl.email->html) htmls.push_back("<div lang=\"" + lang + "\">" + one.html + "</div>");
      content.languages.push_back(std::move(one));
    }
    for (std::size_t i = 0; i < languages.size(); ++i)
      if (subjects[i].empty() || texts[i].empty())
        throw Error(ExitCode::data, "the " + languages[i] + " email " + (subjects[i].empty() ? "subject" : "text") +
                                        " of " + what_for(tmpl, department) +
                                        " renders empty; expected some text (check the variables it uses)");
    content.subject = join(subjects, kEmailSubjectSeparator);
    // A line break in a header would let a variable's value add headers of its own.
    if (content.subject.find_first_of(std::string("\r\n\0", 3)) != std::string::npos)
      throw Error(ExitCode::data, "the email subject of " + what_for(tmpl, department) +
                                      " contains a line break (header injection); expected a subject on one line, "
                                      "so no variable used in email.subject may contain a line break");
    content.text = join(texts, kEmailTextSeparator) + "\n";
    if (!htmls.empty()) content.html = join(htmls, "\n<hr>\n") + "\n";
    message.email = std::move(content);
  }
  return message;
}

}  // namespace samvad::templates
