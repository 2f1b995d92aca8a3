#include <catch2/catch.hpp>

#include <samvad/app/compose.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/templates/context.hpp>
#include <samvad/templates/render.hpp>
#include <samvad/text/tweet_length.hpp>
#include <samvad/twitter/settings.hpp>

using samvad::Diagnostic;
using samvad::Error;
using samvad::ExitCode;
using samvad::config::Config;
using samvad::config::Department;
using namespace samvad::templates;

namespace {

const char* kWaterCut = R"(kind: service-notice
title: {en: Water supply interruption, mr: पाणीपुरवठा खंडित}
variables:
  areas: {type: text, required: true, description: Affected areas}
  date:  {type: date, required: true}
  from:  {type: time, required: true}
  to:    {type: time, required: true}
  link:  {type: url}
tweet:
  mr: "{{date.weekday.mr}}, {{date.mr}} रोजी {{from.mr}} ते {{to.mr}} {{areas}} परिसरातील पाणीपुरवठा बंद राहील. {{#link}}अधिक माहिती: {{link}} {{/link}}{{department.hashtags_text}}"
  en: "Water supply to {{areas}} will be off on {{date.weekday.en}}, {{date.en}} from {{from.en}} to {{to.en}}. {{#link}}Details: {{link}} {{/link}}{{department.hashtags_text}}"
email:
  subject:
    mr: "{{title}}: {{areas}}"
    en: "{{title}}: {{areas}}"
  text:
    mr: |
      नमस्कार,

      {{areas}} - {{date.mr}}
    en: |
      Dear citizen,

      {{areas}} - {{date.en}}
  html:
    mr: "<p>{{areas}}</p>"
    en: "<p>{{areas}}</p>"
)";

Config pcmc() {
  Config c;
  c.path = "departments.yaml";
  c.organization.name.text = {{"en", "Pimpri Chinchwad Municipal Corporation"}, {"mr", "पिंपरी चिंचवड महानगरपालिका"}};
  c.organization.short_name = "PCMC";
  c.organization.website = "https://www.pcmcindia.gov.in";
  c.organization.languages = {"mr", "en"};
  Department water;
  water.id = "water-supply";
  water.name.text = {{"en", "Water Supply Department"}, {"mr", "पाणीपुरवठा विभाग"}};
  water.hashtags = {"PCMC", "WaterSupply"};
  water.languages = {"mr", "en"};
  auto account = std::make_shared<samvad::twitter::Account>();
  account->handle = "PCMCWaterSupply";
  water.channel_settings.push_back({samvad::twitter::kChannel, account});
  water.template_values = account->template_values();
  auto list = std::make_shared<samvad::email::ListSettings>();
  list->smtp_url = "smtp://mail.example.org:587";
  water.channel_settings.push_back({samvad::email::kChannel, list});
  c.departments.push_back(water);
  return c;
}

Template water_cut() { return parse_template(kWaterCut, "water-cut", "templates/water-cut.yaml"); }

ResolvedVariables resolve(const Template& t, std::initializer_list<const char*> args) {
  Variables given;
  for (const char* a : args) add_var_argument(given, a);
  std::vector<Diagnostic> warnings;
  return resolve_variables(t, given, false, warnings);
}

ResolvedVariables nigdi(const Template& t) {
  return resolve(t, {"areas.mr=निगडी, आकुर्डी", "areas.en=Nigdi, Akurdi", "date=2026-12-03", "from=09:00", "to=17:00"});
}

Error render_error(const Template& t, const Config& c, const Department& d, const ResolvedVariables& v) {
  try {
    render(t, c, d, v);
  } catch (const Error& e) {
    return e;
  }
  FAIL("expected rendering to fail");
  return Error(ExitCode::software, "unreachable");
}

}  // namespace

TEST_CASE("a Marathi tweet renders byte for byte", "[templates]") {
  Config c = pcmc();
  Template t = water_cut();
  Message m = render(t, c, c.departments[0], nigdi(t));
  CHECK(m.department == "water-supply");
  REQUIRE(m.tweets.size() == 2);
  CHECK(m.tweets[0].language == "mr");
  REQUIRE(m.tweets[0].parts.size() == 1);
  CHECK(m.tweets[0].parts[0] ==
        "गुरुवार, ३ डिसेंबर २०२६ रोजी सकाळ ९:०० ते संध्याकाळ ५:०० निगडी, आकुर्डी परिसरातील पाणीपुरवठा बंद राहील. "
        "#PCMC #WaterSupply");
  CHECK(m.tweets[1].language == "en");
  CHECK(m.tweets[1].parts[0] ==
        "Water supply to Nigdi, Akurdi will be off on Thursday, 3 December 2026 from 9:00 am to 5:00 pm. "
        "#PCMC #WaterSupply");
}

TEST_CASE("rendered text is NFC whatever form a value was typed in", "[templates]") {
  Config c = pcmc();
  Template t = water_cut();
  // र + nukta (U+0930 U+093C) composes to ऱ (U+0931) under NFC.
  auto vars = resolve(t, {"areas=\xE0\xA4\xB0\xE0\xA4\xBC", "date=2026-12-03", "from=09:00", "to=17:00"});
  Message m = render(t, c, c.departments[0], vars);
  CHECK(m.tweets[0].parts[0].find("\xE0\xA4\xB1 परिसरातील") != std::string::npos);
  CHECK(m.email->subject.find("\xE0\xA4\xB0\xE0\xA4\xBC") == std::string::npos);
}

TEST_CASE("optional variables left out render empty, and their sections not at all", "[templates]") {
  Config c = pcmc();
  Template t = water_cut();
  Message without = render(t, c, c.departments[0], nigdi(t));
  CHECK(without.tweets[1].parts[0].find("Details") == std::string::npos);
  auto with_link = resolve(t, {"areas=Nigdi", "date=2026-12-03", "from=09:00", "to=17:00", "link=https://pcmc.example/n?a=1&b=2"});
  Message with = render(t, c, c.departments[0], with_link);
  CHECK(with.tweets[1].parts[0].find("Details: https://pcmc.example/n?a=1&b=2 #PCMC") != std::string::npos);
}

TEST_CASE("one email carries every language in the department's order", "[templates]") {
  Config c = pcmc();
  Department english_first = c.departments[0];
  english_first.languages = {"en", "mr"};
  Template t = water_cut();
  Message m = render(t, c, english_first, nigdi(t));
  REQUIRE(m.email);
  CHECK(m.email->subject == "Water supply interruption: Nigdi, Akurdi | पाणीपुरवठा खंडित: निगडी, आकुर्डी");
  CHECK(m.email->text ==
        "Dear citizen,\n\nNigdi, Akurdi - 3 December 2026\n\n— — —\n\nनमस्कार,\n\nनिगडी, आकुर्डी - ३ डिसेंबर २०२६\n");
  CHECK(m.email->html == "<div lang=\"en\"><p>Nigdi, Akurdi</p></div>\n<hr>\n<div lang=\"mr\"><p>निगडी, आकुर्डी</p></div>\n");
  REQUIRE(m.tweets.size() == 2);
  CHECK(m.tweets[0].language == "en");
}

TEST_CASE("values are HTML-escaped in the html part only", "[templates]") {
  Config c = pcmc();
  Template t = water_cut();
  auto vars = resolve(t, {"areas=<b>& \"Nigdi\"", "date=2026-12-03", "from=09:00", "to=17:00"});
  Message m = render(t, c, c.departments[0], vars);
  CHECK(m.tweets[0].parts[0].find("<b>& \"Nigdi\" परिसरातील") != std::string::npos);
  CHECK(m.email->subject == "पाणीपुरवठा खंडित: <b>& \"Nigdi\" | Water supply interruption: <b>& \"Nigdi\"");
  CHECK(m.email->text.find("<b>& \"Nigdi\" - ३ डिसेंबर २०२६") != std::string::npos);
  CHECK(m.email->html ==
        "<div lang=\"mr\"><p>&lt;b&gt;&amp; &quot;Nigdi&quot;</p></div>\n<hr>\n"
        "<div lang=\"en\"><p>&lt;b&gt;&amp; &quot;Nigdi&quot;</p></div>\n");
}

TEST_CASE("a line break reaching the subject is refused as header injection", "[templates]") {
  Config c = pcmc();
  Template t = water_cut();
  auto vars = resolve(t, {"areas=Nigdi\r\nBcc: everyone@example.org", "date=2026-12-03", "from=09:00", "to=17:00"});
  Error e = render_error(t, c, c.departments[0], vars);
  CHECK(e.code() == ExitCode::data);
  CHECK(std::string(e.what()).find("header injection") != std::string::npos);

  // The same value is fine for a department without email.
  Department tweets_only = c.departments[0];
  tweets_only.channel_settings.pop_back();  // no email list
  Message m = render(t, c, tweets_only, vars, samvad::app::contents_for(tweets_only, {}));
  CHECK_FALSE(m.email);
}

TEST_CASE("a long tweet becomes a thread, unless the template says thread: false", "[templates]") {
  Config c = pcmc();
  std::string yaml = R"(kind: scheme
title: {en: Scheme, mr: योजना}
variables:
  details: {required: true}
thread: true
tweet:
  mr: "{{details}}"
  en: "{{details}}"
)";
  Template threaded = parse_template(yaml, "scheme", "scheme.yaml");
  std::string sentence = "Citizens may apply online for the scheme with their documents. ";
  std::string details;
  for (int i = 0; i < 8; ++i) details += sentence;
  Variables given;
  given.values["details"].common = details;
  std::vector<Diagnostic> warnings;
  auto vars = resolve_variables(threaded, given, false, warnings);

  Message m = render(threaded, c, c.departments[0], vars);
  REQUIRE(m.tweets.size() == 2);
  const auto& parts = m.tweets[1].parts;
  REQUIRE(parts.size() >= 2);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string suffix = " (" + std::to_string(i + 1) + "/" + std::to_string(parts.size()) + ")";
    CHECK(parts[i].size() > suffix.size());
    CHECK(parts[i].compare(parts[i].size() - suffix.size(), suffix.size(), suffix) == 0);
    CHECK(samvad::text::measure_tweet(parts[i]).valid);
  }

  yaml.replace(yaml.find("thread: true"), 12, "thread: false");
  Template single = parse_template(yaml, "scheme", "scheme.yaml");
  Error e = render_error(single, c, c.departments[0], vars);
  CHECK(e.code() == ExitCode::data);
  CHECK(std::string(e.what()) ==
        "the mr tweet of template 'scheme' for department 'water-supply' is " +
            std::to_string(samvad::text::measure_tweet(details.substr(0, details.size() - 1)).weighted_length) +
            " characters long as X counts them (at most 280 fit in one post) and the template says thread: false; "
            "expected a shorter text, or thread: true");

  // Only what is sent is judged: the same values make a good email when tweets are left out.
  Template with_email = parse_template(
      yaml + "email:\n  subject: {mr: योजना, en: Scheme}\n  text: {mr: \"{{details}}\", en: \"{{details}}\"}\n", "scheme",
      "scheme.yaml");
  CHECK(render_error(with_email, c, c.departments[0], vars).code() == ExitCode::data);
  Message email_only = render(with_email, c, c.departments[0], vars, Contents{.tweets = false, .email = true});
  CHECK(email_only.tweets.empty());
  REQUIRE(email_only.email);
  CHECK_THAT(email_only.email->text, Catch::Contains(sentence));
  CHECK(render(threaded, c, c.departments[0], vars, Contents{.tweets = true, .email = false}).email == std::nullopt);
}

TEST_CASE("a department language the template is not written in is a configuration error", "[templates]") {
  Config c = pcmc();
  Department hindi = c.departments[0];
  hindi.languages = {"mr", "en", "hi"};
  Template t = water_cut();
  Error e = render_error(t, c, hindi, nigdi(t));
  CHECK(e.code() == ExitCode::config);
  CHECK(e.diagnostics().size() == 4);  // tweet, subject, text, html
  CHECK(e.diagnostics()[0].message ==
        "template 'water-cut' has no hi text for tweet, but department 'water-supply' publishes in mr, en, hi; "
        "expected tweet.hi");
}

TEST_CASE("only the channels both the department and the template have are rendered", "[templates]") {
  Config c = pcmc();
  Template t = water_cut();
  Department email_only = c.departments[0];
  email_only.channel_settings.erase(email_only.channel_settings.begin());  // no X account
  const Contents contents = samvad::app::contents_for(email_only, {});
  Message m = render(t, c, email_only, nigdi(t), contents);
  CHECK(m.tweets.empty());
  CHECK(m.email);

  Template tweet_only = parse_template("kind: scheme\ntitle: {en: T, mr: T}\ntweet: {en: hello, mr: नमस्कार}\n", "t", "t.yaml");
  Message none = render(tweet_only, c, email_only, {}, contents);
  CHECK(none.tweets.empty());
  CHECK_FALSE(none.email);
}

TEST_CASE("a hand-built template that names an undeclared variable fails to render", "[templates]") {
  Config c = pcmc();
  Template t;
  t.name = "manual";
  t.title.text = {{"mr", "T"}, {"en", "T"}};
  t.tweet = samvad::Localized{{{"mr", "{{nope}}"}, {"en", "x"}}};
  Error e = render_error(t, c, c.departments[0], {});
  CHECK(e.code() == ExitCode::config);
  CHECK(std::string(e.what()).find("'{{nope}}' is not a declared variable") != std::string::npos);
}

TEST_CASE("the context a text sees", "[templates]") {
  Config c = pcmc();
  Template t = parse_template(R"(kind: scheme
title: {en: Scheme, mr: योजना}
variables:
  amount: {type: number}
  date: {type: date}
  at: {type: time}
  link: {type: url}
tweet: {mr: "{{amount.mr}} {{date.mr}} {{at.mr}} {{link}}", en: "{{amount.local}}"}
)",
                              "scheme", "scheme.yaml");
  auto vars = resolve(t, {"amount=100000", "date=2022-07-26", "at=09:00", "link=https://pcmc.example/"});
  nlohmann::json ctx = render_context(t, c, c.departments[0], vars, "mr");
  CHECK(ctx["amount"] == nlohmann::json{{"value", "100000"}, {"mr", "१,००,०००"}, {"en", "1,00,000"}, {"local", "१,००,०००"}});
  CHECK(ctx["date"] == nlohmann::json{{"iso", "2022-07-26"},
                                      {"mr", "२६ जुलै २०२२"},
                                      {"en", "26 July 2022"},
                                      {"local", "२६ जुलै २०२२"},
                                      {"weekday", {{"mr", "मंगळवार"}, {"en", "Tuesday"}, {"local", "मंगळवार"}}}});
  CHECK(ctx["at"] == nlohmann::json{{"iso", "09:00"}, {"mr", "सकाळ ९:००"}, {"en", "9:00 am"}, {"local", "सकाळ ९:००"}});
  CHECK(ctx["link"] == "https://pcmc.example/");
  CHECK(ctx["department"] == nlohmann::json{{"id", "water-supply"},
                                            {"name",
                                             {{"en", "Water Supply Department"},
                                              {"mr", "पाणीपुरवठा विभाग"},
                                              {"local", "पाणीपुरवठा विभाग"}}},
                                            {"hashtags", {"PCMC", "WaterSupply"}},
                                            {"hashtags_text", "#PCMC #WaterSupply"},
                                            {"handle", "PCMCWaterSupply"}});
  CHECK(ctx["organization"]["short_name"] == "PCMC");
  CHECK(ctx["organization"]["website"] == "https://www.pcmcindia.gov.in");
  CHECK(ctx["organization"]["name"]["local"] == "पिंपरी चिंचवड महानगरपालिका");
  CHECK(ctx["title"] == "योजना");
  CHECK(ctx["lang"] == "mr");
  CHECK(render_context(t, c, c.departments[0], vars, "en")["amount"]["local"] == "1,00,000");
}

TEST_CASE("empty sections on lines of their own leave one blank line in a text body", "[templates]") {
  using samvad::templates::collapse_blank_lines;
  CHECK(collapse_blank_lines("a.\n\n\n\nb\n  \n\t\nc") == "a.\n\nb\n\nc");
  CHECK(collapse_blank_lines("नमस्कार,\n\nमजकूर") == "नमस्कार,\n\nमजकूर");
  CHECK(collapse_blank_lines("x") == "x");
}
