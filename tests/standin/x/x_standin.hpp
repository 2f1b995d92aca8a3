// A stand-in for the parts of the X API v2 samvad uses, served on loopback for tests: it checks
// every request's OAuth 1.0a signature as X does (with lib/samvad/oauth), keeps posts and media
// in memory with X's response shapes and errors, and offers a control API under /_standin to
// inspect what was asked and to queue faults. The endpoints are listed in tests/standin/README.md.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <samvad/oauth/signer.hpp>

#include "config.hpp"
#include "faults.hpp"

namespace samvad::standin {

struct Options {
  Config config;
  int latency_ms = 0;    // added to every API request
  bool verbose = false;  // one line per request on stderr
  bool tls = false;      // served over https: requests are signed with an https:// URL
};

class XStandin {
 public:
  explicit XStandin(Options options);
  XStandin(const XStandin&) = delete;
  XStandin& operator=(const XStandin&) = delete;

  // Registers every route (API, OAuth, control) on `server`.
  void install(httplib::Server& server);

 private:
  struct Post {
    std::string id;
    std::string user_id;
    std::string text;                // as X keeps it: NFC
    std::vector<std::string> links;  // the t.co link of each URL in text, in order
    std::optional<std::string> reply_to;
    std::vector<std::string> media_ids;
    bool deleted = false;
    long long created_ms = 0;
    // Set by place(): the conversation's first post (its own id when it replies to nothing), the
    // author of the post it replies to, and the configured accounts it mentions (by user_id).
    std::string conversation_id;
    std::optional<std::string> in_reply_to_user_id;
    std::vector<std::string> mentions;
    std::string lang = "und";  // X's "undetermined"
  };
  // Someone who is not a configured account, writing to one: a citizen. Made by
  // POST /_standin/mentions; the same username (case-insensitive, as on X) is the same user.
  struct Citizen {
    std::string id;
    std::string username;
    std::string name;
  };
  // The query of a timeline (an account's posts, its mentions), checked.
  struct TimelineQuery {
    long long max_results = 10;
    std::optional<unsigned long long> since_id;   // only posts with a larger id
    std::optional<unsigned long long> before_id;  // from pagination_token: only posts with a smaller id
    std::set<std::string> tweet_fields;
    bool expand_authors = false;  // expansions=author_id
  };
  struct Media {
    std::string id;
    std::string user_id;
    std::string media_key;
    std::string media_type;
    std::string media_category;
    bool chunked = false;
    long long total_bytes = 0;                  // declared at initialize
    std::map<long long, std::size_t> segments;  // segment_index -> bytes
    std::size_t size = 0;                       // bytes received
    std::string state;                          // uploading, pending, in_progress, succeeded
    std::optional<std::string> alt_text;
    long long created_ms = 0;
  };
  // Who signed an accepted request.
  struct Caller {
    std::optional<Account> account;  // set for access-token requests
    std::string token;               // oauth_token as sent (empty for request_token)
    oauth::Params oauth;             // every parameter of the Authorization header
  };
  // Which credentials a route takes (X's three kinds of OAuth 1.0a request).
  enum class Auth {
    access,         // consumer key + an account's access token
    consumer_only,  // /oauth/request_token: no token, oauth_callback required
    request_token,  // /oauth/access_token: a request token issued by /oauth/request_token
  };
  using ApiHandler = void (XStandin::*)(const httplib::Request&, httplib::Response&, const Caller&);

  void route(httplib::Server& server, const std::string& method, const std::string& pattern, Auth auth,
             ApiHandler handler);
  void serve(const httplib::Request& req, httplib::Response& res, Auth auth, ApiHandler handler);
  // nullopt when the request is properly signed and fresh, else why it is not.
  std::optional<std::string> authenticate(const httplib::Request& req, Auth auth, Caller& caller);
  nlohmann::json describe(const httplib::Request& req) const;
  void record(nlohmann::json entry, const httplib::Response& res, bool dropped = false);
  // Records the request as dropped, then closes its connection without an answer.
  void drop(nlohmann::json entry, const httplib::Request& req, const httplib::Response& res);

  // API endpoints (X API v2 and the OAuth 1.0a token endpoints).
  void create_post(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void delete_post(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void users_me(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void user_posts(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void user_mentions(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void media_upload(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void media_status(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void media_initialize(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void media_append(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void media_finalize(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void media_metadata(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void request_token(const httplib::Request& req, httplib::Response& res, const Caller& caller);
  void access_token(const httplib::Request& req, httplib::Response& res, const Caller& caller);

  // GET /2/users/:id/mentions and the control endpoints below.
  void install_mentions(httplib::Server& server);
  // Control endpoints for mentions: POST /_standin/mentions makes a post by a citizen (or an
  // account), GET /_standin/mentions?user_id=ID lists an account's mentions.
  void add_mention(const httplib::Request& req, httplib::Response& res);
  void list_mentions(const httplib::Request& req, httplib::Response& res);

  // Helpers; callers hold mutex_.
  std::string next_id();
  // A post as the API shows it: URLs as t.co links, &, < and > escaped, and with `entities`
  // its entities.urls (what tweet.fields=entities asks for).
  Post new_post(const std::string& user_id, const std::string& text);
  static nlohmann::json api_view(const Post& post, bool entities);
  // api_view plus the tweet.fields asked for that the stand-in keeps.
  static nlohmann::json timeline_view(const Post& post, const std::set<std::string>& fields);
  // Sets a new post's conversation_id, in_reply_to_user_id and mentions from its text and reply_to.
  void place(Post& post);
  const Citizen& citizen(const std::string& username, const std::string& name);
  // {"id","name","username"} of an account or a citizen.
  nlohmann::json user_json(const std::string& user_id) const;
  // Answers 400 and returns nullopt when a parameter is not what X accepts.
  static std::optional<TimelineQuery> timeline_query(const httplib::Request& req, httplib::Response& res);
  // One page of `newest_first` (already limited to what X keeps) as X answers it.
  nlohmann::json timeline_page(const std::vector<const Post*>& newest_first, const TimelineQuery& query) const;
  const Account* account_by_id(const std::string& user_id) const;
  Post* find_post(const std::string& id);
  Media* own_media(const std::string& id, const Caller& caller);
  nlohmann::json media_data(const Media& media) const;
  static nlohmann::json to_json(const Post& post);
  static nlohmann::json to_json(const Media& media);

  Options options_;
  std::mutex mutex_;
  std::vector<Post> posts_;                            // in creation order
  std::vector<Citizen> citizens_;                      // in order of first appearance
  std::map<std::string, Media> media_;                 // by id
  std::map<std::string, std::string> request_tokens_;  // token -> secret, until exchanged
  std::set<std::string> used_nonces_;                  // consumer key + ' ' + nonce
  FaultQueue faults_;
  // POST /_standin/settings: X's rules that are a matter of the app's access rather than a
  // passing fault. reply_needs_mention: as for a self-serve app since February 2026, a reply is
  // refused (403) unless the author of the post it answers mentioned the replying account (or
  // otherwise engaged with it: a reply to its post) — so an account's reply to its own post, a
  // thread, is refused too.
  bool reply_needs_mention_ = false;
  std::vector<nlohmann::json> requests_;
  long long next_seq_ = 1;
  unsigned long long last_id_ = 0;
  unsigned long long links_made_ = 0;  // t.co links handed out
};

}  // namespace samvad::standin
