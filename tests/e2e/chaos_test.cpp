// A chaos run of `samvad post --all` over 20 departments: the X API and SMTP stand-ins answer
// with a seeded random mix of faults (503s, rate limits, answers lost after the post was made,
// slow answers, 421/451 from the mail server, a busy mailbox) while samvad is SIGKILLed at random
// moments, then rerun until it finishes. What must hold is what the delivery store promises:
// every tweet exactly once, and every email exactly once, except that the batch a department was
// sending when samvad was killed may arrive twice, as two copies with the same Message-ID.
//
// The same run is made on a PostgreSQL store with two samvad processes on the announcement at once
// (as two desks would), and once more with the PostgreSQL server stopped in the middle of a round
// and started again: the store on a server must keep the same promise across processes.
//
// The seed is printed; SAMVAD_CHAOS_SEED=N replays the same faults and kill times.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include <samvad/store/store.hpp>

#include "support/chaos_setup.hpp"
#include "support/e2e_helpers.hpp"
#include "support/postgres_server.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
using samvad::test::BackgroundProcess;
using samvad::test::ChaosDepartment;
using samvad::test::ChaosSetup;
using samvad::test::PostgresServer;
using samvad::test::PostgresTestDatabase;

namespace {

constexpr auto& parse = samvad::test::parse_json;

constexpr int kJobs = 8;
constexpr const char* kTemplate = "scheme-launch";  // long enough to be a thread in both languages

std::vector<std::string> post_all(std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"post", kTemplate, "--all", "--example", "--yes", "--jobs", std::to_string(kJobs)};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

unsigned chaos_seed() {
  if (const char* s = std::getenv("SAMVAD_CHAOS_SEED"); s && *s) return static_cast<unsigned>(std::stoul(s));
  return std::random_device{}();
}

long long epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int between(std::mt19937& rng, int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); }

// One to three X faults, each used up after a few hits (the stand-in cannot drop queued faults,
// so every one of them must run out for the reruns to finish).
json x_faults(std::mt19937& rng, int& longest_latency_ms) {
  json out = json::array();
  for (int n = between(rng, 1, 3); n > 0; --n) {
    switch (between(rng, 0, 5)) {
      case 0:
        out.push_back({{"path", "/2/tweets"}, {"status", 503}, {"times", between(rng, 1, 3)}});
        break;
      case 1:
        out.push_back({{"path", "/2/tweets"}, {"status", 429}, {"reset_in", 1}});
        break;
      case 2:
        out.push_back({{"path", "/2/tweets"}, {"action", "drop_after_create"}, {"times", between(rng, 1, 2)}});
        break;
      case 3: {
        int ms = between(rng, 100, 500);
        longest_latency_ms = std::max(longest_latency_ms, ms);
        out.push_back({{"path", "/2/tweets"}, {"latency_ms", ms}, {"times", between(rng, 1, 4)}});
        break;
      }
      case 4:
        out.push_back({{"method", "GET"}, {"path", "/2/users/*"}, {"status", 503}, {"times", 1}});
        break;
      default:
        out.push_back({{"path", "/2/tweets"}, {"status", 500}, {"times", 1}});
        break;
    }
  }
  return out;
}

// One to three SMTP faults, each for a few commands.
json smtp_faults(std::mt19937& rng, const std::vector<ChaosDepartment>& departments) {
  json out = json::array();
  for (int n = between(rng, 1, 3); n > 0; --n) {
    switch (between(rng, 0, 4)) {
      case 0:
        out.push_back(
            {{"on", "mail"}, {"reply", "421 4.3.2 Service not available, try later"}, {"times", between(rng, 1, 3)}});
        break;
      case 1:
        out.push_back({{"on", "data"}, {"reply", "451 4.3.0 Queue full, try later"}, {"times", between(rng, 1, 3)}});
        break;
      case 2:
        out.push_back({{"on", "data"}, {"latency_ms", between(rng, 100, 400)}, {"times", between(rng, 2, 8)}});
        break;
      case 3: {
        const auto& d =
            departments[static_cast<std::size_t>(between(rng, 0, static_cast<int>(departments.size()) - 1))];
        const auto& who =
            d.subscribers[static_cast<std::size_t>(between(rng, 0, static_cast<int>(d.subscribers.size()) - 1))];
        out.push_back({{"on", "rcpt"}, {"address", who}, {"reply", "450 4.2.1 Mailbox busy"}, {"times", 1}});
        break;
      }
      default:
        out.push_back({{"on", "connect"}, {"reply", "421 4.3.2 Too busy, try later"}, {"times", 1}});
        break;
    }
  }
  return out;
}

// What samvad's store says was in flight right after an interruption: the email batches (by
// Message-ID) whose transaction had begun and was not settled. Only these may have reached their
// recipients twice.
struct InFlight {
  std::size_t tweet_parts = 0;
  std::map<std::string, std::string> batches;  // Message-ID -> department
};

InFlight in_flight_now(const ChaosSetup& c) {
  InFlight out;
  if (!c.state().exists()) return out;
  auto st = samvad::store::Store::open(c.state());
  auto id = st.latest_announcement_id();
  if (!id) return out;
  for (const auto& d : st.deliveries(*id)) {
    for (const auto& p : d.parts) {
      if (p.status != samvad::store::PartStatus::in_flight && p.status != samvad::store::PartStatus::ambiguous)
        continue;
      if (d.channel == "twitter")
        ++out.tweet_parts;
      else if (d.channel == "email")
        out.batches[json::parse(p.payload).value("message_id", p.remote_id)] = d.department;
    }
  }
  return out;
}

// How a chaos run is made.
struct Variant {
  int processes = 1;                 // samvad processes started together, each round and rerun
  int server_stop_round = 0;         // the round whose interruption stops the store's server
  PostgresServer* server = nullptr;  // that server (a test's own: it is stopped under samvad)
};

// What the rounds did. Each interruption (a samvad killed, or cut off from its store) may leave
// one email batch per sending worker in flight; only those may reach their recipients twice.
struct Interruptions {
  int count = 0;                            // samvad processes killed or cut off
  std::map<std::string, int> in_flight_at;  // Message-ID -> how many interruptions caught it
  std::size_t batches = 0;                  // email batches in flight, over all interruptions
  std::vector<long long> run_starts;        // when each samvad post began, on the stand-ins' clock
  std::ostringstream log;
};

std::vector<std::unique_ptr<BackgroundProcess>> start_together(const ChaosSetup& c, int processes,
                                                               std::vector<std::string> extra, Interruptions& seen) {
  seen.run_starts.push_back(epoch_ms());
  std::vector<std::unique_ptr<BackgroundProcess>> out;
  for (int i = 0; i < processes; ++i) out.push_back(c.start(post_all(extra)));
  return out;
}

// What each account must end up with: every part of every language's thread, once.
struct Expected {
  std::map<std::string, std::multiset<std::string>> texts;                          // department -> texts
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> threads;  // (department, language)
};

Expected expected_posts(const ChaosSetup& c) {
  auto preview = c.run({"--json", "preview", kTemplate, "--all", "--example"});
  REQUIRE(preview.exit_code == 0);
  Expected out;
  const json previewed = parse(preview);
  for (const auto& item : previewed.at("items")) {
    for (const auto& tweet : item.at("tweets")) {
      for (const auto& part : tweet.at("parts")) {
        const std::string department = item.at("department"), language = tweet.at("language"), text = part.at("text");
        out.texts[department].insert(text);
        out.threads[{department, language}].push_back(text);
      }
    }
  }
  REQUIRE(out.texts.size() == c.departments.size());
  return out;
}

// Stops every process at once (SIGSTOP, then SIGKILL): none of them can take over what another
// had in flight between two kills, so the store shows afterwards what the kill caught.
void kill_together(std::vector<std::unique_ptr<BackgroundProcess>>& running) {
  for (auto& p : running) p->kill(SIGSTOP);
  for (auto& p : running) p->kill(SIGKILL);
}

// One round: new faults, the processes in the background, then after 100-800 ms either a SIGKILL
// or (in the variant's round) the store's server stopped under them and started again.
void interrupted_round(ChaosSetup& c, std::mt19937& rng, const Variant& v, int round, Interruptions& seen) {
  int longest_latency_ms = 0;
  const json xf = x_faults(rng, longest_latency_ms);
  const json sf = smtp_faults(rng, c.departments);
  c.x.add_faults(xf);
  c.smtp.add_faults(sf);
  const int after_ms = between(rng, 100, 800);
  const bool server_stop = round == v.server_stop_round;
  seen.log << "round " << round << ": X faults " << xf.dump() << "; SMTP faults " << sf.dump() << "; "
           << (server_stop ? "PostgreSQL stopped" : "kill") << " after " << after_ms << " ms:";
  auto running = start_together(c, v.processes, {}, seen);
  std::this_thread::sleep_for(std::chrono::milliseconds(after_ms));
  if (server_stop)
    v.server->stop();
  else
    kill_together(running);
  int interrupted = 0;
  for (auto& p : running) {
    auto r = p->wait();
    seen.log << " exit " << r.exit_code;
    INFO("samvad ended on its own before the " << (server_stop ? "server stopped" : "kill") << ": " << r.err);
    if (r.exit_code == 128 + SIGKILL) {
      ++interrupted;
    } else if (server_stop && r.exit_code == 75 && r.err.find("PostgreSQL") != std::string::npos) {
      // Cut off from its store, it stops and says why: a deferral, for cron to run it again.
      ++interrupted;
      CHECK_THAT(r.err, Contains("try again"));
    } else {
      CHECK((r.exit_code == 0 || r.exit_code == 75));
    }
  }
  if (server_stop) {
    CHECK(interrupted >= 1);  // the server went away while samvad was sending
    v.server->start();
  }
  if (interrupted > 0) {
    // The interrupted runs' requests settle on the servers before anything runs again, as they
    // would before cron's next run: a slow post is created, the SMTP connections are closed.
    std::this_thread::sleep_for(std::chrono::milliseconds(longest_latency_ms + c.options().x_latency_ms + 200));
    REQUIRE(c.smtp_quiet());
    seen.count += interrupted;
    const InFlight now = in_flight_now(c);
    for (const auto& [id, department] : now.batches) ++seen.in_flight_at[id];
    seen.batches += now.batches.size();
    seen.log << ", in flight: " << now.tweet_parts << " tweet part(s), " << now.batches.size() << " email batch(es)";
  }
  seen.log << "\n";
}

// The deliveries a run left unfinished, with why (from its --json report), for the log.
std::string unfinished(const samvad::test::ProcessResult& r) {
  const json report = json::parse(r.out, nullptr, false);
  if (!report.is_object() || !report.contains("deliveries")) return "\n    " + r.err.substr(0, 2000);
  std::string out;
  int shown = 0, left = 0;
  for (const auto& d : report.at("deliveries")) {
    if (d.at("status") == "delivered") continue;
    if (++left > 8) continue;
    ++shown;
    out += "\n    " + d.at("department").get<std::string>() + " " + d.at("channel").get<std::string>() + " " +
           (d.at("language").is_string() ? d.at("language").get<std::string>() : std::string("*")) + ": " +
           d.at("status").get<std::string>() + ": " +
           (d.at("error").is_string() ? d.at("error").get<std::string>() : "");
  }
  if (left > shown) out += "\n    and " + std::to_string(left - shown) + " more";
  return out;
}

// Reruns until one finishes: the first few still meet the faults left; then the SMTP faults are
// cleared (the X faults left are few and each is used up by the requests it hits). Then one more
// run, alone: everything is delivered, so it sends nothing and reports the whole announcement.
json finish(ChaosSetup& c, const Variant& v, Interruptions& seen) {
  bool done = false;
  for (int rerun = 1; rerun <= 10 && !done; ++rerun) {
    if (rerun == 4) {
      c.clear_smtp_faults();
      seen.log << "SMTP faults cleared; X faults left: " << c.x.get("/_standin/faults").dump() << "\n";
    }
    auto running = start_together(c, v.processes, {"--json"}, seen);
    for (auto& p : running) {
      auto r = p->wait();
      seen.log << "rerun " << rerun << ": exit " << r.exit_code << unfinished(r) << "\n";
      INFO(seen.log.str() << "stderr: " << r.err);
      REQUIRE((r.exit_code == 0 || r.exit_code == 75));
      done = done || r.exit_code == 0;
    }
  }
  INFO(seen.log.str());
  REQUIRE(done);
  REQUIRE(c.smtp_quiet());
  const std::size_t posts = c.x.posts().size(), messages = c.messages().size();
  seen.run_starts.push_back(epoch_ms());
  auto last = c.run(post_all({"--json"}));
  INFO("stderr: " << last.err);
  REQUIRE(last.exit_code == 0);
  CHECK(c.x.posts().size() == posts);
  CHECK(c.messages().size() == messages);
  for (const auto& secret : c.secrets()) {
    CHECK_THAT(last.out, !Contains(secret));
    CHECK_THAT(last.err, !Contains(secret));
  }
  const json report = parse(last);
  CHECK(report.at("status") == "delivered");
  return report;
}

// X: each account has every part of each language's thread exactly once, chained as a thread,
// and no post was attempted again (X's 403 for duplicate content would say so).
std::size_t check_posts(const ChaosSetup& c, const json& stored, const Expected& expected, const Interruptions& seen) {
  const json posts = c.x.posts();
  std::map<std::string, json> post_by_id;
  for (const auto& p : posts) post_by_id[p.at("id").get<std::string>()] = p;
  for (const auto& d : c.departments) {
    INFO("department " << d.id);
    std::multiset<std::string> texts;
    for (const auto& p : c.live_posts(d)) texts.insert(p.at("text").get<std::string>());
    CHECK(texts == expected.texts.at(d.id));
  }
  for (const auto& d : stored.at("deliveries")) {
    if (d.at("channel") != "twitter") continue;
    INFO(d.dump());
    const auto& parts =
        expected.threads.at({d.at("department").get<std::string>(), d.at("language").get<std::string>()});
    const auto& ids = d.at("tweet_ids");
    REQUIRE(ids.size() == parts.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      REQUIRE(post_by_id.count(ids[i].get<std::string>()) == 1);
      const json& p = post_by_id[ids[i].get<std::string>()];
      CHECK_FALSE(p.at("deleted").get<bool>());
      CHECK(p.at("text") == parts[i]);
      if (i == 0)
        CHECK(p.at("reply_to").is_null());
      else
        CHECK(p.at("reply_to") == ids[i - 1]);
    }
  }
  // X refuses a post whose text the account already has (403). A run may meet that when an
  // interrupted run's slow request created the post after the new run had looked for it: nothing
  // the client can know. But a post that was on X before the run even started must have been
  // found by the lookup, not posted again: with X's duplicate check as the only guard, that is a
  // duplicate.
  std::size_t duplicate_refusals = 0, reposted = 0;
  for (const auto& r : c.x.requests()) {
    if (r.at("method") != "POST" || r.at("path") != "/2/tweets" || r.at("status") != 403) continue;
    ++duplicate_refusals;
    const long long sent = r.at("time_ms");
    long long run_start = 0;
    for (long long s : seen.run_starts)
      if (s <= sent) run_start = std::max(run_start, s);
    const std::string text = r.contains("json") ? r.at("json").value("text", "") : "";
    for (const auto& p : posts) {
      if (p.at("user_id") != r.at("user_id") || p.at("text") != text || p.at("deleted").get<bool>()) continue;
      if (p.at("created_at_ms").get<long long>() < run_start) {
        ++reposted;
        UNSCOPED_INFO("posted again although on X before the run began: " << r.dump() << "\nexisting: " << p.dump());
      }
    }
  }
  CHECK(reposted == 0);
  return duplicate_refusals;
}

// Email: every recipient has it; the copies of an address all carry the same Message-ID (so mail
// clients fold them), and only batches the store had in flight at an interruption came twice.
// Returns how many addresses got it twice.
std::size_t check_emails(const ChaosSetup& c, const json& stored, const Interruptions& seen) {
  std::map<std::string, std::vector<std::string>> ids_by_address;
  std::map<std::string, std::set<std::string>> ids_by_department;  // Message-IDs accepted, per department
  std::set<std::string> expected_addresses;
  std::map<std::string, std::string> department_of;
  for (const auto& d : c.departments)
    for (const auto& a : d.recipients()) {
      expected_addresses.insert(a);
      department_of[a] = d.id;
    }
  for (const auto& m : c.messages()) {
    if (!m.at("reply").is_string() || m.at("reply").get<std::string>().rfind("250", 0) != 0) continue;  // refused
    const std::string id = m.at("analysis").at("message_id");
    for (const auto& a : m.at("rcpt_tos")) {
      ids_by_address[a.get<std::string>()].push_back(id);
      ids_by_department[department_of[a.get<std::string>()]].insert(id);
    }
  }
  std::size_t twice = 0;
  std::map<std::string, std::size_t> twice_by_department;
  for (const auto& address : expected_addresses) {
    INFO(address);
    const auto& ids = ids_by_address[address];
    CHECK(ids.size() >= 1);
    if (ids.size() < 2) continue;
    ++twice;
    ++twice_by_department[department_of[address]];
    CHECK(std::all_of(ids.begin(), ids.end(), [&](const std::string& id) { return id == ids[0]; }));
    REQUIRE(seen.in_flight_at.count(ids[0]) == 1);
    CHECK(ids.size() <= 1 + static_cast<std::size_t>(seen.in_flight_at.at(ids[0])));
  }
  for (const auto& [address, ids] : ids_by_address) CHECK(expected_addresses.count(address) == 1);
  const auto& options = c.options();
  for (const auto& d : stored.at("deliveries")) {
    if (d.at("channel") != "email") continue;
    INFO(d.dump());
    CHECK(d.at("delivered") == options.subscribers + 1);
    std::set<std::string> ids;
    for (const auto& id : d.at("message_ids")) ids.insert(id.get<std::string>());
    CHECK(ids.size() == static_cast<std::size_t>((options.subscribers + options.batch_size) / options.batch_size));
    CHECK(ids == ids_by_department[d.at("department").get<std::string>()]);
  }
  // An interrupted process had at most one batch of a department in flight (a department's batches
  // go one after another), and at most one per worker: --jobs departments are sent at once.
  const std::size_t batch_size = static_cast<std::size_t>(options.batch_size);
  const std::size_t interrupted = static_cast<std::size_t>(seen.count);
  for (const auto& [department, n] : twice_by_department) {
    INFO(department);
    CHECK(n <= interrupted * batch_size);
  }
  CHECK(twice <= seen.batches * batch_size);
  CHECK(twice <= interrupted * std::min<std::size_t>(kJobs, c.departments.size()) * batch_size);
  return twice;
}

void chaos_run(ChaosSetup& c, std::mt19937& rng, const Variant& v) {
  const auto started = std::chrono::steady_clock::now();
  const Expected expected = expected_posts(c);
  Interruptions seen;
  seen.log << v.processes << " samvad process(es) at once; X latency " << c.options().x_latency_ms
           << " ms, SMTP DATA latency " << c.options().smtp_latency_ms << " ms\n";
  const int rounds = between(rng, 3, 5);
  for (int round = 1; round <= rounds; ++round) interrupted_round(c, rng, v, round, seen);
  const json report = finish(c, v, seen);

  auto status = c.run({"--json", "status"});
  REQUIRE(status.exit_code == 0);
  const json stored = parse(status);
  CHECK(stored.at("status") == "delivered");
  CHECK(stored.at("announcement") == report.at("announcement"));
  REQUIRE(stored.at("deliveries").size() == c.departments.size() * 3);  // mr and en tweets, one email each
  for (const auto& d : stored.at("deliveries")) {
    INFO(d.dump());
    CHECK(d.at("status") == "delivered");
  }
  const std::size_t refusals = check_posts(c, stored, expected, seen);
  const std::size_t twice = check_emails(c, stored, seen);

  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  WARN(seen.count << " interrupted process(es), " << seen.batches << " email batch(es) in flight at them, " << twice
                  << " address(es) got the email twice, " << c.messages().size() << " SMTP messages, "
                  << c.x.posts().size() << " posts, " << refusals << " post(s) refused by X as duplicates; " << seconds
                  << " s\n"
                  << seen.log.str());
}

samvad::test::ChaosOptions chaos_options(std::mt19937& rng) {
  samvad::test::ChaosOptions options;
  options.departments = 20;
  options.subscribers = 15;
  options.batch_size = 4;
  options.x_latency_ms = between(rng, 10, 40);
  options.smtp_latency_ms = between(rng, 20, 80);
  return options;
}

std::mt19937 seeded_rng() {
  const unsigned seed = chaos_seed();
  WARN("chaos seed " << seed << " (replay with SAMVAD_CHAOS_SEED=" << seed << ")");
  return std::mt19937(seed);
}

}  // namespace

TEST_CASE(
    "a chaos run — 20 departments, faults, random SIGKILLs — ends with every tweet once and every email once but for "
    "the batches in flight at the kills",
    "[e2e][chaos]") {
  auto rng = seeded_rng();
  ChaosSetup c(chaos_options(rng));
  chaos_run(c, rng, Variant{});
}

TEST_CASE(
    "a chaos run on a PostgreSQL store with two samvad processes on the announcement at once, killed together, ends "
    "with every tweet once and every email once but for the batches in flight at the kills",
    "[e2e][chaos][postgres]") {
  auto rng = seeded_rng();
  PostgresTestDatabase db;
  auto options = chaos_options(rng);
  options.state_url = db.url();
  options.state_password = samvad::test::postgres_password;
  ChaosSetup c(options);
  chaos_run(c, rng, Variant{2, 0, nullptr});
}

TEST_CASE(
    "a chaos run on PostgreSQL whose server is stopped mid-run and started again ends with every tweet once and every "
    "email once but for the batches in flight",
    "[e2e][chaos][postgres]") {
  auto rng = seeded_rng();
  auto server = PostgresServer::shared().another();  // its own: it is stopped under samvad
  PostgresTestDatabase db(*server);
  auto options = chaos_options(rng);
  options.state_url = db.url();
  options.state_password = samvad::test::postgres_password;
  ChaosSetup c(options);
  chaos_run(c, rng, Variant{2, between(rng, 1, 3), server.get()});
}
