// The public notice feed (`--channels feed`) driven through the real binary: the HTML page and
// the Atom feeds (RFC 4287) it writes are read back with libxml2 here, independently of the
// feed's own reader, and every rerun and retract is checked on the files themselves, byte for
// byte and modification time.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <nlohmann/json.hpp>

#include "support/e2e_helpers.hpp"
#include "support/sample_setup.hpp"
#include "support/x_setup.hpp"

using Catch::Contains;
using nlohmann::json;
using samvad::test::read_file;
using samvad::test::SampleSetup;
using samvad::test::XSetup;
namespace fs = std::filesystem;

namespace {

constexpr auto& parse = samvad::test::parse_json;
constexpr const char* kAtom = "http://www.w3.org/2005/Atom";
const std::string kBaseUrl = "https://www.pcmcindia.gov.in/notices";

// departments.yaml with `block` at the top level, before the departments.
void add_top_level(const SampleSetup& s, const std::string& block) {
  s.edit("departments.yaml", "# One entry per department.", block + "\n\n# One entry per department.");
}

// The corporation's feed in <setup>/www, published as kBaseUrl.
fs::path add_feed(const SampleSetup& s) {
  add_top_level(s, "feed: {dir: www, base_url: " + kBaseUrl + "}");
  return s.dir() / "www";
}

// The line of departments.yaml that holds `text`, 1-based.
int line_of(const SampleSetup& s, const std::string& text) {
  const std::string config = read_file(s.config());
  const auto pos = config.find(text);
  REQUIRE(pos != std::string::npos);
  return 1 + static_cast<int>(std::count(config.begin(), config.begin() + static_cast<std::ptrdiff_t>(pos), '\n'));
}

std::vector<std::string> post_feed(const std::string& id, std::vector<std::string> departments,
                                   const std::string& template_name = "water-supply-interruption") {
  std::vector<std::string> args{"post", template_name, "--channels", "feed", "--example", "--yes", "--id", id};
  for (const auto& d : departments) args.insert(args.end(), {"-d", d});
  return args;
}

std::string page_url(const std::string& department, const std::string& id, const std::string& base = kBaseUrl) {
  return base + "/" + department + "/" + id + ".html";
}

std::string str(const xmlChar* s) { return s ? reinterpret_cast<const char*>(s) : ""; }

std::string attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string out = str(v);
  xmlFree(v);
  return out;
}

std::string xml_lang(const xmlNode* n) {
  xmlChar* v = xmlGetNsProp(n, reinterpret_cast<const xmlChar*>("lang"), XML_XML_NAMESPACE);
  std::string out = str(v);
  xmlFree(v);
  return out;
}

std::string text(const xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  std::string out = str(v);
  xmlFree(v);
  return out;
}

bool atom_element(const xmlNode* n, const char* name) {
  return n->type == XML_ELEMENT_NODE && str(n->name) == name && n->ns && str(n->ns->href) == kAtom;
}

struct AtomEntry {
  std::string id, updated, lang, title, title_lang, content, content_type, content_lang, alternate;
};

struct AtomFeed {
  std::string id, title, updated, self;
  bool has_author = false;
  std::vector<AtomEntry> entries;
};

// RFC 3339 date-time, as RFC 4287 section 3.3 requires of `updated`.
bool rfc3339(const std::string& s) {
  static const std::regex re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))");
  return std::regex_match(s, re);
}

// Reads an Atom feed with libxml2 and checks what RFC 4287 requires of it (sections 4.1.1 and
// 4.1.2: the Atom namespace, a feed's and every entry's id, title and updated, an author).
AtomFeed read_atom(const fs::path& file) {
  INFO(file);
  REQUIRE(fs::is_regular_file(file));
  const std::string xml = read_file(file);
  xmlDoc* doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), file.c_str(), nullptr, XML_PARSE_NONET);
  REQUIRE(doc != nullptr);
  AtomFeed feed;
  const xmlNode* root = xmlDocGetRootElement(doc);
  const bool is_feed = root && atom_element(root, "feed");
  CHECK(is_feed);
  for (const xmlNode* n = is_feed ? root->children : nullptr; n; n = n->next) {
    if (atom_element(n, "id")) feed.id = text(n);
    if (atom_element(n, "title")) feed.title = text(n);
    if (atom_element(n, "updated")) feed.updated = text(n);
    if (atom_element(n, "author")) feed.has_author = true;
    if (atom_element(n, "link") && attr(n, "rel") == "self") feed.self = attr(n, "href");
    if (!atom_element(n, "entry")) continue;
    AtomEntry e;
    e.lang = xml_lang(n);
    for (const xmlNode* c = n->children; c; c = c->next) {
      if (atom_element(c, "id")) e.id = text(c);
      if (atom_element(c, "updated")) e.updated = text(c);
      if (atom_element(c, "title")) {
        e.title = text(c);
        e.title_lang = xml_lang(c);
      }
      if (atom_element(c, "content")) {
        e.content = text(c);
        e.content_type = attr(c, "type");
        e.content_lang = xml_lang(c);
      }
      if (atom_element(c, "link") && attr(c, "rel") == "alternate") e.alternate = attr(c, "href");
    }
    feed.entries.push_back(e);
  }
  xmlFreeDoc(doc);
  CHECK_THAT(feed.id, Catch::StartsWith("tag:"));
  CHECK_FALSE(feed.title.empty());
  CHECK(rfc3339(feed.updated));
  CHECK(feed.has_author);
  for (const auto& e : feed.entries) {
    INFO(e.id);
    CHECK_THAT(e.id, Catch::StartsWith("tag:"));
    CHECK(rfc3339(e.updated));
    CHECK_FALSE(e.lang.empty());
    CHECK(e.title_lang == e.lang);
    CHECK(e.content_lang == e.lang);
    CHECK_FALSE(e.title.empty());
    CHECK(e.content_type == "html");
    CHECK_FALSE(e.content.empty());
  }
  return feed;
}

// The entries of one announcement (their ids end in "/<department>/<id>/<language>" after the tag's date).
std::vector<AtomEntry> entries_of(const AtomFeed& feed, const std::string& department, const std::string& id) {
  std::vector<AtomEntry> out;
  for (const auto& e : feed.entries)
    if (e.id.find(":" + department + "/" + id + "/") != std::string::npos) out.push_back(e);
  return out;
}

struct Page {
  std::string html_lang;
  std::vector<std::string> section_langs;
  std::string raw;
};

Page read_page(const fs::path& file) {
  INFO(file);
  REQUIRE(fs::is_regular_file(file));
  Page p;
  p.raw = read_file(file);
  htmlDocPtr doc = htmlReadMemory(p.raw.data(), static_cast<int>(p.raw.size()), nullptr, "UTF-8",
                                  HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  REQUIRE(doc != nullptr);
  const xmlNode* root = xmlDocGetRootElement(doc);
  REQUIRE(root);
  CHECK(str(root->name) == "html");
  p.html_lang = attr(root, "lang");
  std::vector<const xmlNode*> stack{root};
  while (!stack.empty()) {
    const xmlNode* n = stack.back();
    stack.pop_back();
    if (n->type == XML_ELEMENT_NODE && str(n->name) == "section") p.section_langs.push_back(attr(n, "lang"));
    for (const xmlNode* c = n->last; c; c = c->prev) stack.push_back(c);
  }
  xmlFreeDoc(doc);
  return p;
}

struct FileState {
  std::string bytes;  // "" for a folder
  bool folder = false;
  timespec mtime{};
};

// Every file and folder under `root`, with bytes and modification time.
std::map<std::string, FileState> snapshot(const fs::path& root) {
  std::map<std::string, FileState> out;
  auto add = [&](const fs::path& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    FileState f;
    f.folder = S_ISDIR(st.st_mode);
    if (!f.folder) f.bytes = read_file(p);
    f.mtime = st.st_mtim;
    out[p.string()] = f;
  };
  add(root);
  for (const auto& e : fs::recursive_directory_iterator(root)) add(e.path());
  return out;
}

// Sets every file's and folder's times under `root` to 2020-01-01, so a rewrite (or a file
// created and renamed in a folder) shows in the modification time.
void backdate(const fs::path& root) {
  const timespec old{1577836800, 0};
  const timespec times[2] = {old, old};
  REQUIRE(::utimensat(AT_FDCWD, root.c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
  for (const auto& e : fs::recursive_directory_iterator(root))
    REQUIRE(::utimensat(AT_FDCWD, e.path().c_str(), times, AT_SYMLINK_NOFOLLOW) == 0);
}

void require_unchanged(const std::map<std::string, FileState>& before, const std::map<std::string, FileState>& after) {
  std::vector<std::string> names_before, names_after;
  for (const auto& [name, f] : before) names_before.push_back(name);
  for (const auto& [name, f] : after) names_after.push_back(name);
  REQUIRE(names_after == names_before);
  for (const auto& [name, f] : before) {
    INFO(name);
    const FileState& g = after.at(name);
    CHECK(g.bytes == f.bytes);
    CHECK(g.mtime.tv_sec == f.mtime.tv_sec);
    CHECK(g.mtime.tv_nsec == f.mtime.tv_nsec);
  }
}

std::vector<json> feed_deliveries(const json& report) {
  std::vector<json> out;
  for (const auto& d : report.at("deliveries"))
    if (d.at("channel") == "feed") out.push_back(d);
  return out;
}

}  // namespace

TEST_CASE("post --channels feed writes each department's page and Atom feed and the corporation's, without credentials",
          "[e2e][feed]") {
  SampleSetup s;
  const fs::path www = add_feed(s);
  fs::remove(s.credentials());  // the feed needs no secret
  auto r = s.run({"post", "water-supply-interruption", "-d", "water-supply", "-d", "education", "--channels", "feed",
                  "--example", "--yes", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string id = parse(r).at("announcement");

  // Pages: every language of the department, as <section lang>, the first one the page's.
  const std::map<std::string, std::vector<std::string>> languages{{"water-supply", {"mr", "en"}},
                                                                  {"education", {"mr"}}};
  for (const auto& [department, langs] : languages) {
    INFO(department);
    const fs::path file = www / department / (id + ".html");
    Page page = read_page(file);
    CHECK_THAT(page.raw, Catch::StartsWith("<!DOCTYPE html>") && Contains("<html lang=\"" + langs.front() + "\""));
    CHECK(page.html_lang == langs.front());
    CHECK(page.section_langs == langs);
    CHECK_THAT(page.raw, !Contains("<script") && !Contains("<SCRIPT"));
    CHECK_THAT(page.raw, Contains("पाणीपुरवठा"));  // the email's body, in Marathi, as UTF-8
    CHECK((fs::status(file).permissions() & fs::perms::others_read) != fs::perms::none);  // the web server reads it

    // The department's feed: one entry per language, each linking to the page.
    AtomFeed feed = read_atom(www / department / "feed.atom");
    CHECK(feed.self == kBaseUrl + "/" + department + "/feed.atom");
    REQUIRE(feed.entries.size() == langs.size());
    for (std::size_t i = 0; i < langs.size(); ++i) {
      CHECK(feed.entries[i].alternate == page_url(department, id));
      CHECK_THAT(feed.entries[i].id, Catch::EndsWith(department + "/" + id + "/" + feed.entries[i].lang));
    }
    std::vector<std::string> entry_langs;
    for (const auto& e : feed.entries) entry_langs.push_back(e.lang);
    std::sort(entry_langs.begin(), entry_langs.end());
    std::vector<std::string> sorted = langs;
    std::sort(sorted.begin(), sorted.end());
    CHECK(entry_langs == sorted);
  }

  // The corporation's feed holds both departments' entries.
  AtomFeed all = read_atom(www / "feed.atom");
  CHECK(all.self == kBaseUrl + "/feed.atom");
  CHECK(all.entries.size() == 3);
  CHECK(entries_of(all, "water-supply", id).size() == 2);
  CHECK(entries_of(all, "education", id).size() == 1);
  for (const auto& e : entries_of(all, "education", id)) CHECK(e.alternate == page_url("education", id));

  // status lists the feed deliveries as delivered, with the page's URL.
  auto status = s.run({"status", "--json"});
  REQUIRE(status.exit_code == 0);
  auto deliveries = feed_deliveries(parse(status));
  REQUIRE(deliveries.size() == 2);
  for (const auto& d : deliveries) {
    const std::string url = page_url(d.at("department"), id);
    CHECK(d.at("status") == "delivered");
    CHECK(d.at("page") == url);
    CHECK(d.at("urls") == json::array({url}));
    CHECK(d.at("parts").at(0).at("url") == url);
  }
  auto text = s.run({"status"});
  CHECK_THAT(text.out, Contains(page_url("water-supply", id)));
}

TEST_CASE("running the same feed post again sends nothing and leaves every file as it was, modification time included",
          "[e2e][feed]") {
  SampleSetup s;
  const fs::path www = add_feed(s);
  auto args = post_feed("water-cut-7", {"water-supply", "education"});
  args.push_back("--json");
  auto first = s.run(args);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  backdate(www);
  auto before = snapshot(www);

  auto again = s.run(args);
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(parse(again).at("deliveries") == parse(first).at("deliveries"));
  const nlohmann::json again_report = parse(again);  // kept: a temporary's member would dangle in the loop
  for (const auto& d : again_report.at("deliveries")) CHECK(d.at("attempts") == 1);
  require_unchanged(before, snapshot(www));
  // Without --json, too (a rerun takes the same path whatever the output).
  CHECK(s.run(post_feed("water-cut-7", {"water-supply", "education"})).exit_code == 0);
  require_unchanged(before, snapshot(www));
}

TEST_CASE("with --all every department's entries reach the one corporation feed, written by parallel workers",
          "[e2e][feed]") {
  SampleSetup s;
  const fs::path www = add_feed(s);
  auto r = s.run({"post", "health-camp", "--all", "--channels", "feed", "--example", "--yes", "--jobs", "8", "--id",
                  "camp-1", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto deliveries = feed_deliveries(parse(r));
  REQUIRE(deliveries.size() == 9);  // every department of the sample
  std::size_t languages = 0;
  for (const auto& d : deliveries) {
    const std::string department = d.at("department");
    INFO(department);
    languages += d.at("languages").size();
    CHECK(fs::is_regular_file(www / department / "camp-1.html"));
    CHECK(read_atom(www / department / "feed.atom").entries.size() == d.at("languages").size());
  }
  AtomFeed all = read_atom(www / "feed.atom");
  CHECK(all.entries.size() == languages);
  for (const auto& d : deliveries)
    CHECK(entries_of(all, d.at("department"), "camp-1").size() == d.at("languages").size());
  // No temporary file is left behind in any folder.
  for (const auto& e : fs::recursive_directory_iterator(www)) {
    const std::string name = e.path().filename().string();
    INFO(e.path());
    CHECK((name == ".samvad-feed.lock" || name.front() != '.'));
  }
}

TEST_CASE("post without --channels sends tweets, emails and notice pages, the feed needs no credentials",
          "[e2e][feed]") {
  XSetup x;
  x.with_email();
  const fs::path www = add_feed(x.sample);
  auto r = x.run(
      {"post", "water-supply-interruption", "-d", "water-supply", "-d", "education", "--example", "--yes", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto j = parse(r);
  const std::string id = j.at("announcement");
  std::map<std::string, int> by_channel;
  for (const auto& d : j.at("deliveries")) {
    CHECK(d.at("status") == "delivered");
    ++by_channel[d.at("channel").get<std::string>()];
  }
  CHECK(by_channel["twitter"] == 2);  // water-supply mr + en; education has no X account
  CHECK(by_channel["email"] == 2);
  CHECK(by_channel["feed"] == 2);
  CHECK(x.live_posts("water-supply").size() == 2);
  CHECK(x.smtp.messages().size() == 2);
  CHECK(fs::is_regular_file(www / "water-supply" / (id + ".html")));
  CHECK(fs::is_regular_file(www / "education" / (id + ".html")));
  CHECK(read_atom(www / "feed.atom").entries.size() == 3);
  // credentials.yaml names no feed, and check agrees.
  CHECK_THAT(read_file(x.sample.credentials()), !Contains("feed"));
  auto check = x.run({"--credentials", x.sample.credentials().string(), "check"});
  INFO(check.err);
  CHECK(check.exit_code == 0);
}

TEST_CASE("a department's own feed block puts its pages and feed elsewhere, the corporation feed keeps every entry",
          "[e2e][feed]") {
  SampleSetup s;
  const fs::path www = add_feed(s);
  // water-supply: another folder (relative to departments.yaml), the same base_url;
  // health: the same folder, another base_url.
  s.edit("departments.yaml", "    hashtags: [PCMC, WaterSupply]\n",
         "    hashtags: [PCMC, WaterSupply]\n    feed: {dir: water-www}\n");
  s.edit("departments.yaml", "    hashtags: [PCMC, PCMCHealth]\n",
         "    hashtags: [PCMC, PCMCHealth]\n    feed: {base_url: \"https://health.example.org/notices/\"}\n");
  const fs::path water = s.dir() / "water-www";
  auto r = s.run(post_feed("notice-o", {"water-supply", "health", "roads"}));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);

  CHECK(fs::is_regular_file(water / "water-supply" / "notice-o.html"));
  CHECK_FALSE(fs::exists(www / "water-supply"));
  CHECK_FALSE(fs::exists(water / "feed.atom"));  // the corporation feed stays where the top level says
  AtomFeed water_feed = read_atom(water / "water-supply" / "feed.atom");
  REQUIRE(water_feed.entries.size() == 2);
  for (const auto& e : water_feed.entries) CHECK(e.alternate == page_url("water-supply", "notice-o"));

  const std::string health_base = "https://health.example.org/notices";
  CHECK(fs::is_regular_file(www / "health" / "notice-o.html"));
  AtomFeed health_feed = read_atom(www / "health" / "feed.atom");
  CHECK(health_feed.self == health_base + "/health/feed.atom");
  for (const auto& e : health_feed.entries) CHECK(e.alternate == page_url("health", "notice-o", health_base));

  CHECK(fs::is_regular_file(www / "roads" / "notice-o.html"));
  AtomFeed all = read_atom(www / "feed.atom");
  CHECK(all.entries.size() == 6);
  for (const auto& e : entries_of(all, "water-supply", "notice-o"))
    CHECK(e.alternate == page_url("water-supply", "notice-o"));
  for (const auto& e : entries_of(all, "health", "notice-o"))
    CHECK(e.alternate == page_url("health", "notice-o", health_base));
  for (const auto& e : entries_of(all, "roads", "notice-o")) CHECK(e.alternate == page_url("roads", "notice-o"));
  CHECK(entries_of(all, "water-supply", "notice-o").size() == 2);
  CHECK(entries_of(all, "health", "notice-o").size() == 2);
  CHECK(entries_of(all, "roads", "notice-o").size() == 2);

  // The post's own output and status name each page where it is served.
  auto status = parse(s.run({"status", "notice-o", "--json"}));
  for (const auto& d : feed_deliveries(status))
    if (d.at("department") == "health") CHECK(d.at("page") == page_url("health", "notice-o", health_base));

  // Retracting the overridden department takes its page from its own folder and its entries
  // from both feeds; the other departments' stay.
  auto retracted = s.run({"retract", "notice-o", "-d", "water-supply", "--yes"});
  INFO(retracted.err);
  REQUIRE(retracted.exit_code == 0);
  CHECK_FALSE(fs::exists(water / "water-supply" / "notice-o.html"));
  CHECK(read_atom(water / "water-supply" / "feed.atom").entries.empty());
  AtomFeed after = read_atom(www / "feed.atom");
  CHECK(entries_of(after, "water-supply", "notice-o").empty());
  CHECK(entries_of(after, "health", "notice-o").size() == 2);
  CHECK(entries_of(after, "roads", "notice-o").size() == 2);
  CHECK(fs::is_regular_file(www / "health" / "notice-o.html"));
}

TEST_CASE("retract removes an announcement's pages and feed entries, leaves the others, and is exactly once",
          "[e2e][feed]") {
  SampleSetup s;
  const fs::path www = add_feed(s);
  fs::remove(s.credentials());
  REQUIRE(s.run(post_feed("notice-a", {"water-supply", "education"})).exit_code == 0);
  REQUIRE(s.run(post_feed("notice-b", {"water-supply", "education"}, "health-camp")).exit_code == 0);
  REQUIRE(read_atom(www / "feed.atom").entries.size() == 6);

  auto r = s.run({"-v", "retract", "notice-a", "--yes"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* department : {"water-supply", "education"}) {
    INFO(department);
    CHECK_FALSE(fs::exists(www / department / "notice-a.html"));
    CHECK(fs::is_regular_file(www / department / "notice-b.html"));
    AtomFeed feed = read_atom(www / department / "feed.atom");
    CHECK(entries_of(feed, department, "notice-a").empty());
    CHECK_FALSE(entries_of(feed, department, "notice-b").empty());
    CHECK(entries_of(feed, department, "notice-b").size() == feed.entries.size());
  }
  AtomFeed all = read_atom(www / "feed.atom");
  CHECK(all.entries.size() == 3);
  CHECK(entries_of(all, "water-supply", "notice-a").empty());
  CHECK(entries_of(all, "education", "notice-a").empty());
  auto status = parse(s.run({"status", "notice-a", "--json"}));
  CHECK(status.at("status") == "retracted");
  for (const auto& d : status.at("deliveries")) CHECK(d.at("status") == "retracted");
  auto other = parse(s.run({"status", "notice-b", "--json"}));
  CHECK(other.at("status") == "delivered");

  // Again: nothing left to do, nothing touched.
  backdate(www);
  auto before = snapshot(www);
  auto again = s.run({"retract", "notice-a", "--yes"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  require_unchanged(before, snapshot(www));
  // A rerun of the post does not bring it back.
  CHECK(s.run(post_feed("notice-a", {"water-supply", "education"})).exit_code == 0);
  require_unchanged(before, snapshot(www));

  // Retracting the last announcement leaves valid, empty feeds.
  REQUIRE(s.run({"retract", "notice-b", "--yes"}).exit_code == 0);
  CHECK_FALSE(fs::exists(www / "water-supply" / "notice-b.html"));
  CHECK(read_atom(www / "water-supply" / "feed.atom").entries.empty());
  CHECK(read_atom(www / "feed.atom").entries.empty());
}

TEST_CASE("a template without email texts has nothing for the notice feed: skipped, and alone nothing to send (64)",
          "[e2e][feed]") {
  SampleSetup s;
  const fs::path www = add_feed(s);
  s.write("templates/press-meet.yaml",
          "kind: service-notice\ntitle: {en: Press meet, mr: पत्रकार परिषद}\n"
          "tweet: {en: \"Press meet at 3 pm. #PCMC\", mr: \"दुपारी ३ वाजता पत्रकार परिषद. #PCMC\"}\n");
  auto r = s.run({"post", "press-meet", "-d", "water-supply", "--channels", "feed", "--yes"});
  CHECK(r.exit_code == 64);
  CHECK_THAT(r.err, Contains("nothing to send"));
  CHECK_FALSE(fs::exists(www));

  auto dry = s.run({"post", "press-meet", "-d", "water-supply", "--dry-run", "--json"});
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  auto j = parse(dry);
  CHECK(j.at("skipped").dump().find("water-supply: the template has no email texts for the notice page") !=
        std::string::npos);
  for (const auto& d : j.at("deliveries")) CHECK(d.at("channel") == "twitter");
}

TEST_CASE(
    "a feed block without base_url, or with plain http to another host, is a configuration error at its line (78)",
    "[e2e][feed]") {
  SECTION("missing base_url") {
    SampleSetup s;
    add_top_level(s, "feed: {dir: x}");
    const int line = line_of(s, "feed: {dir: x}");
    for (const auto& args : {std::vector<std::string>{"check"}, post_feed("n-1", {"water-supply"})}) {
      auto r = s.run(args);
      INFO(r.err);
      CHECK(r.exit_code == 78);
      CHECK_THAT(r.err, Contains("departments.yaml:" + std::to_string(line) + ":") && Contains("base_url"));
    }
  }
  SECTION("http:// to a host that is not this machine") {
    SampleSetup s;
    add_top_level(s, "feed: {dir: www, base_url: http://www.pcmcindia.gov.in/notices}");
    const int line = line_of(s, "feed: {dir: www");
    auto r = s.run({"check"});
    INFO(r.err);
    CHECK(r.exit_code == 78);
    CHECK_THAT(r.err, Contains("departments.yaml:" + std::to_string(line) + ":") && Contains("feed.base_url") &&
                          Contains("https"));
    CHECK(s.run(post_feed("n-1", {"water-supply"})).exit_code == 78);
    CHECK_FALSE(fs::exists(s.dir() / "www"));
  }
  SECTION("a department's override, at its own line") {
    SampleSetup s;
    add_feed(s);
    s.edit("departments.yaml", "    hashtags: [PCMC, PCMCHealth]\n",
           "    hashtags: [PCMC, PCMCHealth]\n    feed: {base_url: \"http://health.example.org/notices\"}\n");
    const int line = line_of(s, "feed: {base_url: \"http://health");
    auto r = s.run({"check"});
    INFO(r.err);
    CHECK(r.exit_code == 78);
    CHECK_THAT(r.err,
               Contains("departments.yaml:" + std::to_string(line) + ":") && Contains("departments.health.feed"));
  }
  SECTION("http:// to a loopback host is accepted (a local test server)") {
    SampleSetup s;
    add_top_level(s, "feed: {dir: www, base_url: \"http://127.0.0.1:8080/notices\"}");
    auto r = s.run(post_feed("n-1", {"water-supply"}));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(read_atom(s.dir() / "www" / "feed.atom").entries.at(0).alternate ==
          "http://127.0.0.1:8080/notices/water-supply/n-1.html");
  }
}

TEST_CASE("a feed folder that cannot be written fails that delivery (69) naming the path, --retry-failed delivers it",
          "[e2e][feed]") {
  SampleSetup s;
  const fs::path www = add_feed(s);
  fs::create_directories(www);
  s.write("www/water-supply", "a file where the department's folder belongs\n");
  auto r = s.run(post_feed("notice-f", {"water-supply", "health"}));
  INFO(r.err);
  CHECK(r.exit_code == 69);
  CHECK_THAT(r.err, Contains((www / "water-supply").string()));
  // The other department went out, and nothing of the failed one is in the corporation feed.
  CHECK(fs::is_regular_file(www / "health" / "notice-f.html"));
  AtomFeed all = read_atom(www / "feed.atom");
  CHECK(entries_of(all, "water-supply", "notice-f").empty());
  CHECK(entries_of(all, "health", "notice-f").size() == 2);
  auto status = parse(s.run({"status", "notice-f", "--json"}));
  for (const auto& d : feed_deliveries(status)) {
    if (d.at("department") != "water-supply") continue;
    CHECK(d.at("status") == "failed");
    CHECK_THAT(d.at("error").get<std::string>(), Contains((www / "water-supply").string()));
  }

  fs::remove(www / "water-supply");
  auto retried = s.run([] {
    auto args = post_feed("notice-f", {"water-supply", "health"});
    args.push_back("--retry-failed");
    return args;
  }());
  INFO(retried.err);
  CHECK(retried.exit_code == 0);
  CHECK(fs::is_regular_file(www / "water-supply" / "notice-f.html"));
  CHECK(entries_of(read_atom(www / "feed.atom"), "water-supply", "notice-f").size() == 2);
  CHECK(parse(s.run({"status", "notice-f", "--json"})).at("status") == "delivered");
}

TEST_CASE("check accepts a configuration with a feed, departments lists it, and a dry run shows the page URL",
          "[e2e][feed]") {
  SampleSetup s;
  const fs::path www = add_feed(s);
  auto check = s.run({"check"});
  INFO(check.err);
  CHECK(check.exit_code == 0);
  CHECK_THAT(check.out, Contains("check passed"));

  auto departments = s.run({"departments", "--json"});
  REQUIRE(departments.exit_code == 0);
  for (const auto& d : parse(departments)) {
    INFO(d.at("id"));
    const auto& channels = d.at("channels");
    CHECK(std::find(channels.begin(), channels.end(), "feed") != channels.end());
    if (d.at("id") == "education") CHECK(channels == json::array({"email", "feed"}));
  }
  CHECK_THAT(s.run({"departments"}).out, Contains("twitter,email,feed"));

  auto dry = s.run({"post", "water-supply-interruption", "-d", "water-supply", "--channels", "feed", "--example",
                    "--id", "notice-d", "--dry-run"});
  INFO(dry.err);
  CHECK(dry.exit_code == 0);
  CHECK_THAT(dry.out, Contains("Page: " + page_url("water-supply", "notice-d")));
  auto dry_json = s.run({"post", "water-supply-interruption", "-d", "water-supply", "--channels", "feed", "--example",
                         "--id", "notice-d", "--dry-run", "--json"});
  REQUIRE(dry_json.exit_code == 0);
  auto deliveries = parse(dry_json).at("deliveries");
  REQUIRE(deliveries.size() == 1);
  CHECK(deliveries[0].at("page") == page_url("water-supply", "notice-d"));
  CHECK_FALSE(fs::exists(www));  // a dry run writes nothing
}
