#include <samvad/inbox/digest.hpp>

#include <algorithm>

#include <samvad/templates/mustache_text.hpp>
#include <samvad/text/localize.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::inbox {

namespace {

struct Wording {
  const char* subject;
  const char* text;
  const char* html;
};

const Wording kEnglish{
    "Citizens' posts to {{department}}: {{open}} open, {{new}} new ({{date}})",
    "Citizens' posts to {{department}} since {{since}}:\nnew {{new}}, answered {{answered}}, open {{open}}, "
    "open for more than 24 hours {{open_over_24h}}.\n\n{{#items}}{{#first}}Open, oldest first:\n{{/first}}"
    "- {{age}} ago, @{{author}}: {{text}}\n  {{url}}\n{{/items}}{{^items}}Nothing is open.\n{{/items}}"
    "\nTo answer: samvad reply ID TEMPLATE (samvad inbox -d {{department_id}} lists the ids).\n",
    "<p>Citizens' posts to {{department}} since {{since}}: new {{new}}, answered {{answered}}, open {{open}}, "
    "open for more than 24 hours {{open_over_24h}}.</p>\n{{#items}}{{#first}}<p>Open, oldest first:</p>\n{{/first}}"
    "<p>{{age}} ago, @{{author}}: {{text}}<br><a href=\"{{url}}\">{{url}}</a></p>\n{{/items}}"
    "{{^items}}<p>Nothing is open.</p>\n{{/items}}"};

const Wording kMarathi{
    "{{department}}: नागरिकांच्या {{open}} पोस्ट प्रलंबित, {{new}} नवीन ({{date}})",
    "{{since}} पासून {{department}} ला नागरिकांनी केलेल्या पोस्ट:\nनवीन {{new}}, उत्तर दिलेल्या {{answered}}, "
    "प्रलंबित {{open}}, २४ तासांहून अधिक प्रलंबित {{open_over_24h}}.\n\n{{#items}}{{#first}}प्रलंबित, जुन्या आधी:\n"
    "{{/first}}- {{age}} पूर्वी, @{{author}}: {{text}}\n  {{url}}\n{{/items}}{{^items}}काहीही प्रलंबित नाही.\n{{/items}}",
    "<p>{{since}} पासून {{department}} ला नागरिकांनी केलेल्या पोस्ट: नवीन {{new}}, उत्तर दिलेल्या {{answered}}, "
    "प्रलंबित {{open}}, २४ तासांहून अधिक प्रलंबित {{open_over_24h}}.</p>\n{{#items}}{{#first}}<p>प्रलंबित, जुन्या आधी:"
    "</p>\n{{/first}}<p>{{age}} पूर्वी, @{{author}}: {{text}}<br><a href=\"{{url}}\">{{url}}</a></p>\n{{/items}}"
    "{{^items}}<p>काहीही प्रलंबित नाही.</p>\n{{/items}}"};

std::string number(std::size_t n, const LanguageCode& lang) { return text::format_number(std::to_string(n), lang); }

// "3 h", "2 d" (numbers in the language's digits).
std::string age(std::chrono::system_clock::duration d, const LanguageCode& lang) {
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(d).count();
  const bool mr = lang == "mr";
  if (hours < 1)
    return number(static_cast<std::size_t>(
                      std::max<long long>(0, std::chrono::duration_cast<std::chrono::minutes>(d).count())),
                  lang) +
           (mr ? " मिनिटे" : " min");
  if (hours < 48) return number(static_cast<std::size_t>(hours), lang) + (mr ? " तास" : " h");
  return number(static_cast<std::size_t>(hours / 24), lang) + (mr ? " दिवस" : " days");
}

nlohmann::json context(const config::Department& department, const config::Config& config, const DigestFigures& f,
                       std::chrono::system_clock::time_point since, std::chrono::system_clock::time_point now,
                       const LanguageCode& lang) {
  const std::string& tz = config.organization.timezone;
  const std::string* name = department.name.find(lang);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : f.open_items)
    items.push_back({{"first", items.empty()},
                     {"age", age(now - item.created_at, lang)},
                     {"author", item.author.username},
                     {"text", item.text},
                     {"url", item.url}});
  return {{"department", name ? *name : department.id},
          {"department_id", department.id},
          {"since", text::format_timestamp(since, tz)},
          {"date", text::format_timestamp(now, tz).substr(0, 10)},
          {"new", number(f.new_items, lang)},
          {"answered", number(f.answered, lang)},
          {"open", number(f.open, lang)},
          {"open_over_24h", number(f.open_over_24h, lang)},
          {"items", items}};
}

}  // namespace

DigestFigures digest_figures(const std::vector<store::InboxItem>& items, std::chrono::system_clock::time_point since,
                             std::chrono::system_clock::time_point now) {
  DigestFigures f;
  for (const auto& item : items) {
    if (item.created_at >= since) ++f.new_items;
    if (item.answered_at && *item.answered_at >= since) ++f.answered;
    if (item.state != store::ItemState::open) continue;
    ++f.open;
    if (now - item.created_at > std::chrono::hours(24)) ++f.open_over_24h;
    f.open_items.push_back(item);
  }
  std::sort(f.open_items.begin(), f.open_items.end(),
            [](const auto& a, const auto& b) { return a.created_at < b.created_at; });
  return f;
}

templates::Message digest_message(const config::Department& department, const config::Config& config,
                                  const DigestFigures& figures, std::chrono::system_clock::time_point since,
                                  std::chrono::system_clock::time_point now) {
  templates::EmailContent email;
  for (const auto& lang : department.languages) {
    const Wording& w = lang == "mr" ? kMarathi : kEnglish;
    const auto ctx = context(department, config, figures, since, now, lang);
    templates::LanguageContent c{lang, templates::render_mustache(w.subject, ctx, templates::Escaping::none).output,
                                 templates::render_mustache(w.text, ctx, templates::Escaping::none).output,
                                 templates::render_mustache(w.html, ctx, templates::Escaping::html).output};
    email.subject += (email.languages.empty() ? "" : std::string(templates::kEmailSubjectSeparator)) + c.subject;
    email.text += (email.languages.empty() ? "" : std::string(templates::kEmailTextSeparator)) + c.text;
    email.html += (email.languages.empty() ? "" : "\n<hr>\n") + ("<div lang=\"" + lang + "\">" + c.html + "</div>");
    email.languages.push_back(std::move(c));
  }
  return templates::Message{department.id, {}, email};
}

}  // namespace samvad::inbox
