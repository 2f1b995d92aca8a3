#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <samvad/core/error.hpp>
#include <samvad/feed/atom.hpp>
#include <samvad/feed/files.hpp>
#include <samvad/feed/publish.hpp>
#include "feed/feed_fixtures.hpp"
#include "support/process.hpp"

namespace fs = std::filesystem;
using samvad::feed::FeedSettings;
using samvad::feed::publish;
using samvad::feed::read_feed;
using samvad::feed::withdraw;
using samvad::test::read_file;
using samvad::test::sample_notice;
using samvad::test::TempDir;

namespace {

const std::string kBase = "https://www.pcmcindia.gov.in/notices";

samvad::Error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const samvad::Error& e) {
    return e;
  }
  FAIL("no error");
  throw;
}

// Every file under `dir` with its bytes and modification time.
std::map<std::string, std::pair<std::string, fs::file_time_type>> snapshot(const fs::path& dir) {
  std::map<std::string, std::pair<std::string, fs::file_time_type>> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out[e.path().string()] = {read_file(e.path()), fs::last_write_time(e.path())};
  return out;
}

}  // namespace

TEST_CASE("publishing writes the page, the department's feed and the corporation's feed", "[feed]") {
  TempDir tmp;
  const FeedSettings settings{tmp.path() / "notices", kBase};
  const auto result = publish(settings, settings, sample_notice());
  CHECK(result.changed);
  CHECK(result.page_url == kBase + "/water-supply/ann-1.html");
  CHECK(samvad::feed::page_url(settings, "water-supply", "ann-1") == result.page_url);
  CHECK(result.page == tmp.path() / "notices" / "water-supply" / "ann-1.html");
  CHECK(result.department_feed == tmp.path() / "notices" / "water-supply" / "feed.atom");
  CHECK(result.corporation_feed == tmp.path() / "notices" / "feed.atom");
  CHECK_THAT(read_file(result.page), Catch::Contains("<section lang=\"mr\">"));
  for (const auto& file : {result.department_feed, result.corporation_feed}) {
    auto feed = read_feed(read_file(file), file.string());
    REQUIRE(feed.entries.size() == 2);
    CHECK(feed.entries[0].link == result.page_url);
    CHECK(feed.entries[1].id == "tag:www.pcmcindia.gov.in,2026-12-03:water-supply/ann-1/mr");
  }
  CHECK(read_feed(read_file(result.corporation_feed), "").self_url == kBase + "/feed.atom");
  CHECK((fs::status(result.page).permissions() & fs::perms::others_read) !=
        fs::perms::none);  // the web server reads it
  // Nothing left behind but the lock files.
  std::set<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(tmp.path())) names.insert(e.path().filename().string());
  CHECK(names == std::set<std::string>{"notices", "water-supply", "ann-1.html", "feed.atom", ".samvad-feed.lock"});
}

TEST_CASE("a rerun of publish changes no byte and no modification time", "[feed]") {
  TempDir tmp;
  const FeedSettings settings{tmp.path() / "notices", kBase};
  publish(settings, settings, sample_notice("ann-1"));
  publish(settings, settings, sample_notice("ann-2", "water-supply", 5));
  // Back-date every file, so a rewrite within the same clock tick would still show.
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (const auto& e : fs::recursive_directory_iterator(tmp.path()))
    if (e.is_regular_file()) fs::last_write_time(e.path(), old);
  const auto before = snapshot(tmp.path());
  const auto again = publish(settings, settings, sample_notice("ann-1"));
  CHECK_FALSE(again.changed);
  CHECK(snapshot(tmp.path()) == before);
}

TEST_CASE("withdrawing removes the page and the entries from both feeds, and again is fine", "[feed]") {
  TempDir tmp;
  const FeedSettings settings{tmp.path() / "notices", kBase};
  const auto first = publish(settings, settings, sample_notice("ann-1"));
  publish(settings, settings, sample_notice("ann-2", "health", 5));
  CHECK(withdraw(settings, settings, "water-supply", "ann-1"));
  CHECK_FALSE(fs::exists(first.page));
  CHECK(read_feed(read_file(first.department_feed), "").entries.empty());
  auto overall = read_feed(read_file(first.corporation_feed), "");
  REQUIRE(overall.entries.size() == 2);
  for (const auto& e : overall.entries) CHECK_THAT(e.id, Catch::Contains(":health/ann-2/"));
  const auto before = snapshot(tmp.path());
  CHECK_FALSE(withdraw(settings, settings, "water-supply", "ann-1"));
  CHECK_FALSE(withdraw(settings, settings, "roads", "never-published"));
  CHECK(snapshot(tmp.path()) == before);
}

TEST_CASE("a department with its own dir keeps its pages and feed there, its notices in the overall feed", "[feed]") {
  TempDir tmp;
  const FeedSettings corporation{tmp.path() / "notices", kBase};
  const FeedSettings own{tmp.path() / "tax-site", "https://tax.pcmcindia.gov.in/n"};
  const auto result = publish(own, corporation, sample_notice("ann-1", "property-tax"));
  CHECK(result.page == tmp.path() / "tax-site" / "property-tax" / "ann-1.html");
  CHECK(result.page_url == "https://tax.pcmcindia.gov.in/n/property-tax/ann-1.html");
  CHECK(fs::exists(tmp.path() / "tax-site" / "property-tax" / "feed.atom"));
  CHECK_FALSE(fs::exists(tmp.path() / "notices" / "property-tax"));
  auto overall = read_feed(read_file(tmp.path() / "notices" / "feed.atom"), "");
  REQUIRE(overall.entries.size() == 2);
  CHECK(overall.entries[0].link == result.page_url);
  CHECK(overall.entries[0].id == "tag:tax.pcmcindia.gov.in,2026-12-03:property-tax/ann-1/en");
  CHECK(overall.id == "tag:www.pcmcindia.gov.in,2026-12-03:feed");
  withdraw(own, corporation, "property-tax", "ann-1");
  CHECK(read_feed(read_file(tmp.path() / "notices" / "feed.atom"), "").entries.empty());
  CHECK_FALSE(fs::exists(result.page));
}

TEST_CASE("parallel publishes of several departments lose no entry of the corporation feed", "[feed]") {
  TempDir tmp;
  const FeedSettings settings{tmp.path() / "notices", kBase};
  const std::vector<std::string> departments{"water-supply", "health", "roads", "education"};
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (std::size_t d = 0; d < departments.size(); ++d) {
    workers.emplace_back([&, d] {
      try {
        for (int i = 0; i < 10; ++i)
          publish(settings, settings,
                  sample_notice("ann-" + std::to_string(i), departments[d], static_cast<int>(d) * 10 + i));
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& w : workers) w.join();
  CHECK(failures == 0);
  auto overall = read_feed(read_file(tmp.path() / "notices" / "feed.atom"), "");
  CHECK(overall.entries.size() == 80);
  std::set<std::string> ids;
  for (const auto& e : overall.entries) ids.insert(e.id);
  CHECK(ids.size() == 80);
  for (const auto& d : departments)
    CHECK(read_feed(read_file(tmp.path() / "notices" / d / "feed.atom"), "").entries.size() == 20);
}

TEST_CASE("an existing feed samvad did not write stops publishing and is left untouched", "[feed]") {
  TempDir tmp;
  const FeedSettings settings{tmp.path() / "notices", kBase};
  const std::string foreign =
      "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>hand made</title></channel></rss>\n";
  const fs::path overall = tmp.write("notices/feed.atom", foreign, 0644);
  auto e = error_of([&] { publish(settings, settings, sample_notice()); });
  CHECK(e.code() == samvad::ExitCode::data);
  CHECK_THAT(e.diagnostics().front().to_string(),
             Catch::StartsWith(overall.string() + ":2: not an Atom feed written by samvad"));
  CHECK(read_file(overall) == foreign);
  CHECK_FALSE(fs::exists(tmp.path() / "notices" / "water-supply" / "ann-1.html"));  // nothing half done
  CHECK(error_of([&] { withdraw(settings, settings, "water-supply", "ann-1"); }).code() == samvad::ExitCode::data);
  CHECK(read_file(overall) == foreign);
}

TEST_CASE("ids that could leave the feed folder are refused", "[feed]") {
  TempDir tmp;
  const FeedSettings settings{tmp.path() / "notices", kBase};
  for (const char* bad : {"../x", ".hidden", "a/b", "", "..", "ann 1"}) {
    INFO(bad);
    CHECK(error_of([&] { publish(settings, settings, sample_notice(bad)); }).code() == samvad::ExitCode::data);
    CHECK(error_of([&] { withdraw(settings, settings, "water-supply", bad); }).code() == samvad::ExitCode::data);
  }
  CHECK(error_of([&] { samvad::feed::page_url(settings, "../etc", "ann-1"); }).code() == samvad::ExitCode::data);
  CHECK(samvad::feed::page_url(settings, "roads", "2026-12-03.road_closure@pcmc:7") ==
        kBase + "/roads/2026-12-03.road_closure@pcmc:7.html");
  CHECK_FALSE(fs::exists(tmp.path() / "x"));
}

TEST_CASE("a feed folder that cannot be created is an error naming it", "[feed]") {
  TempDir tmp;
  tmp.write("notices", "a file where the folder should be", 0644);
  const FeedSettings settings{tmp.path() / "notices", kBase};
  auto e = error_of([&] { publish(settings, settings, sample_notice()); });
  CHECK(e.code() == samvad::ExitCode::cant_create);
  CHECK_THAT(e.diagnostics().front().message, Catch::Contains((tmp.path() / "notices").string()));
}

TEST_CASE("write_atomically leaves an identical file alone and replaces a different one whole", "[feed]") {
  TempDir tmp;
  const fs::path file = tmp.path() / "a" / "page.html";
  samvad::feed::create_folders(file.parent_path());
  CHECK(samvad::feed::write_atomically(file, "one"));
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(1);
  fs::last_write_time(file, old);
  CHECK_FALSE(samvad::feed::write_atomically(file, "one"));
  CHECK(fs::last_write_time(file) == old);
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  CHECK(samvad::feed::write_atomically(file, "two"));
  CHECK(read_file(file) == "two");
  CHECK(fs::status(file).permissions() == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  CHECK(std::distance(fs::directory_iterator(file.parent_path()), fs::directory_iterator()) == 1);  // no temp file left
}

TEST_CASE("publishes from several processes at once lose no entry of the corporation feed", "[feed]") {
  TempDir tmp;
  const FeedSettings settings{tmp.path() / "notices", kBase};
  const std::vector<std::string> departments{"water-supply", "health", "roads"};
  std::vector<pid_t> children;
  for (std::size_t d = 0; d < departments.size(); ++d) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int status = 0;
      try {
        for (int i = 0; i < 8; ++i)
          publish(settings, settings,
                  sample_notice("ann-" + std::to_string(i), departments[d], static_cast<int>(d) * 10 + i));
      } catch (...) {
        status = 1;
      }
      ::_exit(status);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  auto overall = read_feed(read_file(tmp.path() / "notices" / "feed.atom"), "");
  CHECK(overall.entries.size() == 48);
}
