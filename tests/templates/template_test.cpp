#include <catch2/catch.hpp>

#include <algorithm>

#include <samvad/templates/template.hpp>

#include "support/process.hpp"

using samvad::Diagnostic;
using samvad::Error;
using samvad::ExitCode;
using namespace samvad::templates;

namespace {

const char* kWaterCut = R"(kind: service-notice
title: {en: Water supply interruption, mr: पाणीपुरवठा खंडित}
variables:
  areas: {type: text, required: true, description: Affected areas, example: {en: "Nigdi, Akurdi", mr: "निगडी, आकुर्डी"}}
  date:  {type: date, required: true, example: 2026-12-03}
  from:  {type: time, required: true, example: "09:00"}
  to:    {type: time, required: true, example: "17:00"}
  link:  {type: url,  required: false}
thread: true
tweet:
  mr: "{{date.mr}} रोजी {{from.mr}} ते {{to.mr}} {{areas}} येथे पाणीपुरवठा बंद. {{#link}}{{link}}{{/link}}"
  en: "Water supply to {{areas}} off on {{date.en}}, {{from.en}}-{{to.en}}. {{#link}}{{link}}{{/link}}"
email:
  subject: {mr: "{{title}}: {{areas}}", en: "{{title}}: {{areas}}"}
  text:
    mr: |
      {{areas}}
      {{date.weekday.mr}}
    en: |
      {{areas}}
      {{date.weekday.en}}
  html: {mr: "<p>{{areas}}</p>", en: "<p>{{areas}}</p>"}
)";

// The problems a bad template produces, asserting that loading fails with exit code 78.
std::vector<Diagnostic> errors_of(const std::string& yaml) {
  try {
    parse_template(yaml, "t", "templates/t.yaml");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::config);
    for (const auto& d : e.diagnostics()) CHECK(d.code == ExitCode::config);
    return e.diagnostics();
  }
  FAIL("expected the template to be refused");
  return {};
}

Diagnostic only_config_error(const std::string& yaml) {
  auto errors = errors_of(yaml);
  REQUIRE(errors.size() == 1);
  return errors.front();
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("a template file is read into its parts", "[templates]") {
  Template t = parse_template(kWaterCut, "water-cut", "templates/water-cut.yaml");
  CHECK(t.name == "water-cut");
  CHECK(t.kind == "service-notice");
  CHECK(*t.title.find("mr") == "पाणीपुरवठा खंडित");
  CHECK(t.thread);
  REQUIRE(t.variables.size() == 5);
  const VariableSpec& areas = t.variables[0];
  CHECK(areas.name == "areas");
  CHECK(areas.type == VariableType::text);
  CHECK(areas.required);
  CHECK(areas.description == "Affected areas");
  REQUIRE(areas.example);
  CHECK_FALSE(areas.example->common);
  CHECK(areas.example->by_language.at("mr") == "निगडी, आकुर्डी");
  CHECK(areas.where.line == 4);
  CHECK(t.variables[1].type == VariableType::date);
  CHECK(t.variables[1].example->common == "2026-12-03");
  CHECK(t.variables[3].example->common == "17:00");
  CHECK(t.variables[4].type == VariableType::url);
  CHECK_FALSE(t.variables[4].required);
  CHECK_FALSE(t.variables[4].example);
  REQUIRE(t.tweet);
  REQUIRE(t.email);
  REQUIRE(t.email->html);
  CHECK(t.languages() == std::vector<std::string>{"en", "mr"});
  CHECK(t.text_location("tweet.en").line == 12);
  CHECK(t.text_location("email.text.mr").line == 16);
  CHECK(t.warnings.empty());
  CHECK(referenced_variables(t) == std::vector<std::string>{"areas", "date", "from", "to", "link"});
}

TEST_CASE("defaults: type text, optional, thread true, tweet-only and email-only templates", "[templates]") {
  Template tweet_only = parse_template(R"(kind: scheme
title: {en: T}
variables:
  note:
  when: {type: date}
tweet: {en: "{{note}} {{when.iso}}"}
)",
                                       "t", "t.yaml");
  CHECK(tweet_only.thread);
  CHECK(tweet_only.variables[0].type == VariableType::text);
  CHECK_FALSE(tweet_only.variables[0].required);
  CHECK_FALSE(tweet_only.email);

  Template email_only = parse_template(R"(kind: scheme
title: {en: T}
thread: false
email: {subject: {en: S}, text: {en: Body}}
)",
                                       "t", "t.yaml");
  CHECK_FALSE(email_only.thread);
  CHECK_FALSE(email_only.tweet);
  REQUIRE(email_only.email);
  CHECK_FALSE(email_only.email->html);
}

TEST_CASE("an unknown key is an error with its line and a suggestion", "[templates]") {
  auto top = only_config_error(replace(kWaterCut, "thread: true", "thred: true"));
  CHECK(top.to_string() ==
        "templates/t.yaml:9:1: unknown key 'thred' in the template (did you mean 'thread'?); "
        "expected one of: kind, title, variables, thread, tweet, email, media");

  auto var = only_config_error(
      replace(kWaterCut, "link:  {type: url,  required: false}", "link:  {type: url,  requird: false}"));
  CHECK(var.where->line == 8);
  CHECK(var.message.find("unknown key 'requird' in variable 'link' (did you mean 'required'?)") == 0);

  auto email = only_config_error(replace(kWaterCut, "  html:", "  htm:"));
  CHECK(email.where->line == 22);
  CHECK(email.message.find("(did you mean 'html'?)") != std::string::npos);
}

TEST_CASE("a text that uses an undeclared name is refused at that name's line", "[templates]") {
  auto in_block =
      only_config_error(replace(kWaterCut, "      {{date.weekday.en}}", "      {{date.weekday.en}} {{areaz}}"));
  CHECK(in_block.to_string() ==
        "templates/t.yaml:21:27: email.text.en: '{{areaz}}' is not a declared variable (did you mean 'areas'?); "
        "expected a variable declared under variables: (areas, date, from, to, link) or one of department, "
        "organization, title, lang");

  auto in_quotes = only_config_error(replace(kWaterCut, "Water supply to {{areas}}", "Water supply to {{ward}}"));
  CHECK(in_quotes.where->line == 12);
  CHECK(in_quotes.where->column == 24);
  CHECK(in_quotes.message.find("tweet.en: '{{ward}}' is not a declared variable") == 0);

  // Inside a section that renders only without the optional variable.
  auto inverted = only_config_error(
      replace(kWaterCut, "{{#link}}{{link}}{{/link}}\"\n  en", "{{^link}}{{website}}{{/link}}\"\n  en"));
  CHECK(inverted.message.find("tweet.mr: '{{website}}' is not a declared variable") == 0);
}

TEST_CASE("a field that does not exist is refused, with a suggestion", "[templates]") {
  auto field = only_config_error(replace(kWaterCut, "{{date.en}}", "{{date.isoo}}"));
  CHECK(field.message.find("tweet.en: '{{date.isoo}}': 'date' has no field 'isoo' (did you mean 'iso'?)") == 0);
  auto scalar =
      only_config_error(replace(kWaterCut, "\"{{title}}: {{areas}}\", en", "\"{{title.mr}}: {{areas}}\", en"));
  CHECK(scalar.message.find("'title' is a single value and has no field 'mr'") != std::string::npos);
  // Which languages exist depends on the departments, so {{date.hi}} is left to them.
  CHECK_NOTHROW(parse_template(replace(kWaterCut, "{{date.en}}", "{{date.hi}} {{department.name.hi}}"), "t", "t.yaml"));
}

TEST_CASE("mustache syntax errors are reported at the text", "[templates]") {
  auto unclosed =
      only_config_error(replace(kWaterCut, "{{#link}}{{link}}{{/link}}\"\n  en", "{{#link}}{{link}}\"\n  en"));
  CHECK(unclosed.where->line == 11);
  CHECK(unclosed.message.find("tweet.mr: invalid mustache: Unclosed section \"link\"") == 0);
  auto unclosed_tag = only_config_error(replace(kWaterCut, "{{date.weekday.mr}}", "{{date.weekday.mr"));
  CHECK(unclosed_tag.where->line == 18);
  CHECK(unclosed_tag.message.find("Unclosed tag") != std::string::npos);
}

TEST_CASE("every problem in a template is reported at once", "[templates]") {
  std::string yaml = replace(kWaterCut, "kind: service-notice", "kind: service-notise");
  yaml = replace(yaml, "example: 2026-12-03", "example: 2026-02-30");
  yaml = replace(yaml, "type: time, required: true, example: \"17:00\"", "type: clock, required: true");
  yaml = replace(yaml, "html: {mr: \"<p>{{areas}}</p>\", en: \"<p>{{areas}}</p>\"}", "html: {mr: \"<p>{{areas}}</p>\"}");
  auto errors = errors_of(yaml);
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].message ==
        "kind 'service-notise' is not known (did you mean 'service-notice'?); expected one of: service-notice, scheme, "
        "reply");
  CHECK(errors[1].message == "the example of variable 'date' is not a valid date; expected a real calendar date as YYYY-MM-DD, like 2026-12-03");
  CHECK(errors[1].where->line == 5);
  CHECK(errors[2].message.find("'clock' is not a variable type") == 0);
  CHECK(errors[3].message.find("email.html has no 'en' text but another email part has") == 0);
}

TEST_CASE("structural rules of a template", "[templates]") {
  CHECK(only_config_error("kind: scheme\ntitle: {en: T}\n").message ==
        "the template has neither tweet nor email; expected at least one of them");
  CHECK(only_config_error("kind: scheme\ntitle: {en: T}\nvariables:\n  title: {}\ntweet: {en: x}\n")
            .message.find("variable name 'title' is taken by the built-in {{title}}") == 0);
  CHECK(only_config_error("kind: scheme\ntitle: {en: T}\ntweet: {en: x, mr: y}\n")
            .message.find("title has no 'mr' text") == 0);
  CHECK(only_config_error("kind: scheme\ntitle: {en: T}\ntweet: {en: \"  \"}\n").message ==
        "tweet.en is empty; expected the text in en");
  CHECK(only_config_error("kind: scheme\ntitle: {en: T}\nvariables:\n  d: {type: date, example: {en: "
                          "2026-01-01}}\ntweet: {en: '{{d.iso}}'}\n")
            .message.find("is one value per language, but a date is the same in every language") != std::string::npos);
  CHECK(only_config_error("kind: scheme\ntitle: {en: T}\ntweet: {en: '{{> footer}}'}\n")
            .message.find("partials are not supported") != std::string::npos);
  CHECK(only_config_error("title: {en: T}\ntweet: {en: x}\n").message ==
        "missing key 'kind' in the template; expected it to be set");
  auto syntax = only_config_error("kind: scheme\ntitle: {en: T\n");
  CHECK(syntax.message.find("invalid YAML") == 0);
}

TEST_CASE("texts are published as written: ${...} is not expanded", "[templates]") {
  Template t = parse_template("kind: scheme\ntitle: {en: T}\ntweet: {en: 'costs ${PRICE}'}\n", "t", "t.yaml");
  CHECK(t.tweet->text.at("en") == "costs ${PRICE}");
}

TEST_CASE("a declared variable no text uses is a warning", "[templates]") {
  Template t = parse_template("kind: scheme\ntitle: {en: T}\nvariables:\n  spare: {}\ntweet: {en: x}\n", "t", "t.yaml");
  REQUIRE(t.warnings.size() == 1);
  CHECK(t.warnings[0].to_string() == "t.yaml:4:3: variable 'spare' is declared but no text uses it; expected {{spare}} in a text, or the declaration removed");
}

TEST_CASE("templates are found by name in the templates directory", "[templates]") {
  samvad::test::TempDir dir;
  dir.write("templates/water-cut.yaml", kWaterCut);
  dir.write("templates/road-closure.yaml", "kind: service-notice\ntitle: {en: Road}\ntweet: {en: closed}\n");
  dir.write("templates/README.txt", "not a template");
  auto templates = dir.path() / "templates";

  CHECK(template_names(templates) == std::vector<std::string>{"road-closure", "water-cut"});
  CHECK(find_template(templates, "water-cut") == templates / "water-cut.yaml");
  try {
    find_template(templates, "water-cutt");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::no_input);
    CHECK(e.diagnostics()[0].message == "no template 'water-cutt' in " + templates.string() +
                                            " (did you mean 'water-cut'?); available: road-closure, water-cut");
  }
  CHECK_THROWS_AS(find_template(templates, "../templates/water-cut"), Error);

  auto loaded = load_templates(templates);
  REQUIRE(loaded.size() == 2);
  CHECK(loaded[0].name == "road-closure");
  CHECK(loaded[1].name == "water-cut");
  CHECK(load_template(templates / "water-cut.yaml").path == templates / "water-cut.yaml");
}

TEST_CASE("loading a directory reports the problems of every file together", "[templates]") {
  samvad::test::TempDir dir;
  dir.write("a.yaml", "kind: scheme\ntitle: {en: T}\ntweet: {en: '{{x}}'}\n");
  dir.write("b.yaml", "kind: schem\ntitle: {en: T}\ntweet: {en: x}\n");
  try {
    load_templates(dir.path());
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::config);
    REQUIRE(e.diagnostics().size() == 2);
    CHECK(e.diagnostics()[0].where->file == (dir.path() / "a.yaml").string());
    CHECK(e.diagnostics()[1].where->file == (dir.path() / "b.yaml").string());
  }
}

TEST_CASE("a missing template file or directory is exit code 66", "[templates]") {
  samvad::test::TempDir dir;
  try {
    load_template(dir.path() / "nope.yaml");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::no_input);
  }
  try {
    load_templates(dir.path() / "missing");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::no_input);
  }
}

TEST_CASE("the templates directory is --templates, else templates/ beside the config", "[templates]") {
  samvad::config::Config config;
  config.path = "/etc/samvad/departments.yaml";
  config.dir = "/etc/samvad";
  CHECK(templates_dir(std::string("/srv/t"), config) == "/srv/t");
  CHECK(templates_dir(std::nullopt, config) == "/etc/samvad/templates");
}

TEST_CASE("the sample templates shipped with samvad load", "[templates]") {
  auto dir = samvad::test::source_dir() / "templates";
  if (!std::filesystem::is_directory(dir)) return;
  auto all = load_templates(dir);
  CHECK_FALSE(all.empty());
  for (const auto& t : all) {
    INFO(t.name);
    CHECK(t.warnings.empty());
  }
}

TEST_CASE("a template may declare images with alt text per language, checked when loaded", "[templates]") {
  samvad::test::TempDir dir;
  dir.write("templates/images/map.png", "\x89PNG\r\n\x1a\n");
  const std::string head = "kind: service-notice\ntitle: {en: T, mr: शी}\ntweet: {en: \"hello\", mr: \"नमस्कार\"}\n";
  auto file = dir.write("templates/with-map.yaml",
                        head + "media:\n  - file: images/map.png\n    alt: {en: Map of the affected areas, mr: बाधित भागांचा नकाशा}\n");
  auto t = samvad::templates::load_template(file);
  REQUIRE(t.media.size() == 1);
  CHECK(t.media[0].file == dir.path() / "templates/images/map.png");
  CHECK(*t.media[0].alt.find("mr") == "बाधित भागांचा नकाशा");

  auto missing = dir.write("templates/missing.yaml", head + "media:\n  - file: images/nope.png\n    alt: {en: x}\n");
  try {
    samvad::templates::load_template(missing);
    FAIL("expected an error");
  } catch (const samvad::Error& e) {
    CHECK(e.code() == samvad::ExitCode::config);
    CHECK_THAT(e.what(), Catch::Contains("missing.yaml:5:11: media[0].file:") && Catch::Contains("does not exist"));
  }
  auto no_alt = dir.write("templates/no-alt.yaml", head + "media:\n  - file: images/map.png\n");
  CHECK_THROWS_WITH(samvad::templates::load_template(no_alt), Catch::Contains("missing key 'alt' in media[0]"));
}

TEST_CASE("an unescaped {{{name}}} or {{&name}} in email.html is a warning at its tag", "[templates]") {
  std::string yaml = replace(kWaterCut, R"(html: {mr: "<p>{{areas}}</p>", en: "<p>{{areas}}</p>"})",
                             R"(html: {mr: "<p>{{{areas}}}</p>", en: "<p>{{& areas}} {{{link}}}</p>"})");
  Template t = parse_template(yaml, "t", "t.yaml");
  REQUIRE(t.warnings.size() == 3);
  CHECK(t.warnings[0].code == ExitCode::config);
  CHECK(t.warnings[0].to_string() ==
        "t.yaml:22:44: email.html.en: '{{& areas}}' puts its value into the HTML unescaped, so a value with <, > or & "
        "breaks the markup or adds HTML of its own; expected {{areas}}, which escapes it");
  CHECK_THAT(t.warnings[1].to_string(), Catch::StartsWith("t.yaml:22:56: email.html.en: '{{{link}}}'"));
  CHECK_THAT(t.warnings[2].to_string(), Catch::StartsWith("t.yaml:22:18: email.html.mr: '{{{areas}}}'") &&
                                            Catch::EndsWith("expected {{areas}}, which escapes it"));
  // Unescaped tags elsewhere are fine: tweets, subjects and plain text are never HTML.
  Template plain = parse_template(replace(kWaterCut, "{{areas}} येथे", "{{{areas}}} येथे"), "t", "t.yaml");
  CHECK(plain.warnings.empty());
}
