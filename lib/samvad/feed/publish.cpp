#include <samvad/feed/publish.hpp>

#include <samvad/core/error.hpp>
#include <samvad/core/text.hpp>
#include <samvad/feed/atom.hpp>
#include <samvad/feed/files.hpp>

namespace samvad::feed {

namespace {

constexpr const char* kFeedFileName = "feed.atom";

bool department_id_ok(const std::string& id) {
  if (id.empty() || id.size() > 63 || id.front() == '-') return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

bool announcement_id_ok(const std::string& id) {
  if (id.empty() || id.size() > 128 || id.front() == '.') return false;  // no ".", "..", nor hidden files
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '@' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string name_in(const Localized& name, const LanguageCode& lang) {
  if (const std::string* s = name.find(lang)) return *s;
  return name.text.empty() ? std::string() : name.text.begin()->second;
}

std::filesystem::path department_folder(const FeedSettings& s, const std::string& department_id) {
  return s.dir / department_id;
}

}  // namespace

void check_ids(const std::string& department_id, const std::string& announcement_id) {
  if (!department_id_ok(department_id))
    throw Error(ExitCode::data, "the department id '" + shown(department_id) +
                                    "' cannot name a feed folder; expected lowercase letters, digits and -");
  if (!announcement_id_ok(announcement_id))
    throw Error(ExitCode::data,
                "the announcement id '" + shown(announcement_id) +
                    "' cannot name a page; expected 1 to 128 of A-Z a-z 0-9 . _ @ : - not starting with '.'");
}

std::string page_url(const FeedSettings& department_feed, const std::string& department_id,
                     const std::string& announcement_id) {
  check_ids(department_id, announcement_id);
  return department_feed.base_url + "/" + department_id + "/" + announcement_id + ".html";
}

PublishResult publish(const FeedSettings& department_feed, const FeedSettings& corporation_feed, const Notice& notice) {
  check_ids(notice.department_id, notice.announcement_id);
  if (notice.languages.empty())
    throw Error(ExitCode::data,
                "the announcement " + notice.announcement_id + " has no language to publish; expected at least one");
  const LanguageCode& first = notice.languages.front().lang;

  PublishResult result;
  result.page_url = page_url(department_feed, notice.department_id, notice.announcement_id);
  const std::filesystem::path folder = department_folder(department_feed, notice.department_id);
  result.page = folder / (notice.announcement_id + ".html");
  result.department_feed = folder / kFeedFileName;
  result.corporation_feed = corporation_feed.dir / kFeedFileName;

  Entry entry;
  entry.id = tag_uri(department_feed.base_url, notice.published, notice.department_id + "/" + notice.announcement_id);
  entry.updated = notice.published;
  entry.link = result.page_url;
  for (const auto& l : notice.languages) entry.texts.push_back(EntryText{l.lang, l.title, body_fragment(l)});
  const std::string page = render_page(notice);  // everything rendered before the first file is touched
  // A feed file samvad cannot take over stops the publication before the page is written, so a
  // failed publish leaves nothing half done (update_feed checks again under the lock).
  for (const auto& file : {result.department_feed, result.corporation_feed})
    if (auto current = read_file_if_present(file)) read_feed(*current, file.string());

  create_folders(folder);
  result.changed = write_atomically(result.page, page);

  const std::string department_url = department_feed.base_url + "/" + notice.department_id;
  FeedHead department_head{tag_uri(department_feed.base_url, notice.published, notice.department_id + "/feed"),
                           name_in(notice.department_name, first) + " — " + name_in(notice.organization_name, first),
                           first,
                           department_url + "/" + kFeedFileName,
                           department_url + "/",
                           name_in(notice.organization_name, first)};
  result.changed |= update_file(result.department_feed, [&](const std::optional<std::string>& current) {
    return update_feed(current.value_or(""), department_head, entry, result.department_feed.string());
  });

  FeedHead corporation_head{tag_uri(corporation_feed.base_url, notice.published, "feed"),
                            name_in(notice.organization_name, first),
                            first,
                            corporation_feed.base_url + "/" + kFeedFileName,
                            corporation_feed.base_url + "/",
                            name_in(notice.organization_name, first)};
  result.changed |= update_file(result.corporation_feed, [&](const std::optional<std::string>& current) {
    return update_feed(current.value_or(""), corporation_head, entry, result.corporation_feed.string());
  });
  return result;
}

bool withdraw(const FeedSettings& department_feed, const FeedSettings& corporation_feed,
              const std::string& department_id, const std::string& announcement_id) {
  check_ids(department_id, announcement_id);
  const std::string announcement = department_id + "/" + announcement_id;
  const std::filesystem::path folder = department_folder(department_feed, department_id);
  bool changed = false;
  for (const auto& file : {folder / kFeedFileName, corporation_feed.dir / kFeedFileName}) {
    std::error_code ec;
    if (!std::filesystem::is_directory(file.parent_path(), ec))
      continue;  // never published there: nothing to take back
    changed |= update_file(file, [&](const std::optional<std::string>& current) {
      return current ? remove_entry(*current, announcement, file.string()) : std::string();
    });
  }
  // The page last, so no feed ever links to a page that is gone.
  changed |= remove_file(folder / (announcement_id + ".html"));
  return changed;
}

}  // namespace samvad::feed
