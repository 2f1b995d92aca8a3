#include <samvad/twitter/timeline.hpp>

#include <map>

#include <samvad/oauth/signer.hpp>
#include <samvad/text/timestamp.hpp>
#include <samvad/twitter/settings.hpp>

namespace samvad::twitter {

namespace {

using json = nlohmann::json;

std::string with_cursor(std::string path, const std::string& since_id, const std::string& pagination_token) {
  if (!since_id.empty()) path += "&since_id=" + oauth::percent_encode(since_id);
  if (!pagination_token.empty()) path += "&pagination_token=" + oauth::percent_encode(pagination_token);
  return path;
}

std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// X escapes exactly these three in a post's text (post_text.hpp); nothing else is an entity.
std::string unescaped(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 5, "&amp;") == 0) {
      out += '&';
      i += 5;
    } else if (text.compare(i, 4, "&lt;") == 0 || text.compare(i, 4, "&gt;") == 0) {
      out += text[i + 1] == 'l' ? '<' : '>';
      i += 4;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::map<std::string, store::Author> users_of(const json& body) {
  std::map<std::string, store::Author> users;
  const auto includes = body.find("includes");
  if (includes == body.end() || !includes->is_object()) return users;
  const auto list = includes->find("users");
  if (list == includes->end() || !list->is_array()) return users;
  for (const auto& u : *list)
    if (u.is_object())
      users[text_of(u, "id")] = store::Author{text_of(u, "id"), text_of(u, "username"), text_of(u, "name")};
  return users;
}

std::string replied_to(const json& post) {
  const auto refs = post.find("referenced_tweets");
  if (refs == post.end() || !refs->is_array()) return "";
  for (const auto& r : *refs)
    if (r.is_object() && text_of(r, "type") == "replied_to") return text_of(r, "id");
  return "";
}

Result<store::InboxItem, std::string> item_of(const json& post, const std::map<std::string, store::Author>& users) {
  if (!post.is_object() || text_of(post, "id").empty()) return fail(std::string("a post without an id"));
  store::InboxItem item;
  item.channel = kChannel;
  item.id = text_of(post, "id");
  item.text = unescaped(text_of(post, "text"));
  item.language = text_of(post, "lang");
  item.conversation_id = text_of(post, "conversation_id");
  item.in_reply_to = replied_to(post);
  const std::string created = text_of(post, "created_at");
  const auto at = text::parse_iso8601(created);
  if (!at) return fail("post " + item.id + " has created_at '" + created + "', not an ISO 8601 instant");
  item.created_at = *at;
  item.author.id = text_of(post, "author_id");
  if (auto u = users.find(item.author.id); u != users.end()) item.author = u->second;
  const std::string who = item.author.username.empty() ? "i" : item.author.username;
  item.url = "https://x.com/" + who + "/status/" + item.id;
  return item;
}

}  // namespace

std::string mentions_path(const std::string& user_id, const std::string& since_id,
                          const std::string& pagination_token) {
  return with_cursor(
      "/2/users/" + oauth::percent_encode(user_id) + "/mentions?max_results=" + std::to_string(kPageSize) +
          "&tweet.fields=" +
          oauth::percent_encode("created_at,conversation_id,in_reply_to_user_id,referenced_tweets,lang,author_id") +
          "&expansions=author_id&user.fields=" + oauth::percent_encode("username,name"),
      since_id, pagination_token);
}

std::string own_posts_path(const std::string& user_id, const std::string& since_id,
                           const std::string& pagination_token) {
  return with_cursor("/2/users/" + oauth::percent_encode(user_id) + "/tweets?max_results=" + std::to_string(kPageSize) +
                         "&tweet.fields=" + oauth::percent_encode("created_at,conversation_id,referenced_tweets"),
                     since_id, pagination_token);
}

Result<TimelinePage, std::string> parse_timeline_page(const json& body) {
  TimelinePage page;
  const auto users = users_of(body);
  if (const auto data = body.find("data"); data != body.end()) {
    if (!data->is_array()) return fail(std::string("its \"data\" is not a list"));
    for (const auto& post : *data) {
      auto item = item_of(post, users);
      if (!item) return fail(item.error());
      page.posts.push_back(std::move(*item));
    }
  }
  if (const auto meta = body.find("meta"); meta != body.end() && meta->is_object()) {
    page.newest_id = text_of(*meta, "newest_id");
    page.next_token = text_of(*meta, "next_token");
  }
  // An answer without meta.newest_id still says which is newest.
  for (const auto& p : page.posts)
    if (newer_id(p.id, page.newest_id)) page.newest_id = p.id;
  return page;
}

bool newer_id(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() > b.size();
  return a > b;
}

}  // namespace samvad::twitter
