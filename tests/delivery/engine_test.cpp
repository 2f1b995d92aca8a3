// The delivery engine in process, with a fake channel in place of X and email (as ninja tests its
// build engine with fake commands): what it sends, skips, leaves to another process, and how a
// stop request or a sender's exception ends a delivery. A real SQLite store in a temp folder.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <samvad/delivery/engine.hpp>

#include "store/store_fixtures.hpp"
#include "support/process.hpp"

using samvad::config::Config;
using samvad::config::Credentials;
using samvad::config::Department;
using samvad::delivery::DeliveryReport;
using samvad::delivery::EngineOptions;
using samvad::delivery::Observer;
using samvad::delivery::Plan;
using samvad::store::ApprovalState;
using samvad::store::DeliveryStatus;
using samvad::store::PartStatus;
using samvad::store::Store;
using samvad::test::SleepingChild;
using samvad::test::TempDir;

namespace {

// What the fake channel did, shared by every sender the engine makes.
struct Log {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> sent;  // (department, first part) in call order
  std::atomic<int> senders_made{0};
};

// Sends each part by marking it delivered; a part whose text says so fails, throws or asks the run
// to stop while it is sent.
class FakeSender : public samvad::channel::Sender {
 public:
  FakeSender(Log& log, std::function<void(const std::string&)> during) : log_(log), during_(std::move(during)) {}
  samvad::channel::Outcome deliver(Store& st, const samvad::store::Delivery& d,
                                   const samvad::channel::DeliveryContext& ctx) override {
    {
      std::lock_guard lock(log_.mutex);
      log_.sent.emplace_back(d.department, d.parts.front().payload);
    }
    for (const auto& p : d.parts) {
      if (p.status == PartStatus::delivered) continue;
      if (p.payload == "throw") {
        st.set_part_status(d.id, p.index, PartStatus::in_flight);
        throw std::runtime_error("the fake service hung up");
      }
      if (p.payload == "rate-limited") {
        // Refused until the fake service's limit resets, an hour from now.
        return {DeliveryStatus::deferred, "too many requests",
                std::chrono::system_clock::now() + std::chrono::hours(1)};
      }
      if (p.payload == "refuse") {
        st.set_part_status(d.id, p.index, PartStatus::failed, "", "refused");
        return {DeliveryStatus::failed, "refused by the fake service"};
      }
      if (during_) during_(d.department);
      st.set_part_status(d.id, p.index, PartStatus::delivered,
                         "fake-" + std::to_string(d.id) + "-" + std::to_string(p.index));
      if (ctx.stopping() && &p != &d.parts.back()) return {DeliveryStatus::deferred, "stopped"};
    }
    return {DeliveryStatus::delivered, ""};
  }

 private:
  Log& log_;
  std::function<void(const std::string&)> during_;
};

class Collect : public Observer {
 public:
  void settled(const DeliveryReport& r) override {
    std::lock_guard lock(mutex_);
    reports.push_back(r);
  }
  std::vector<DeliveryReport> reports;

 private:
  std::mutex mutex_;
};

Config config_of(const std::vector<std::string>& departments) {
  Config c;
  c.path = "departments.yaml";
  for (const auto& id : departments) {
    Department d;
    d.id = id;
    c.departments.push_back(d);
  }
  return c;
}

Plan plan_of(const std::string& id, const std::vector<std::pair<std::string, std::vector<std::string>>>& deliveries) {
  Plan plan;
  plan.announcement = samvad::test::announcement(id);
  for (const auto& [department, parts] : deliveries)
    plan.deliveries.push_back(samvad::test::planned(department, "fake", "*", parts));
  return plan;
}

struct Engine {
  TempDir dir;
  Log log;
  Credentials credentials;
  samvad::channel::Services services;
  EngineOptions options;
  std::function<void(const std::string& department)> during;

  Engine() {
    options.store_path = dir.path() / "state.db";
    options.jobs = 4;
    options.sleep = [](std::chrono::milliseconds) { return true; };
    options.senders = [this](const std::string& channel) -> std::unique_ptr<samvad::channel::Sender> {
      if (channel != "fake") return nullptr;
      ++log.senders_made;
      return std::make_unique<FakeSender>(log, during);
    };
  }
  samvad::delivery::RunReport run(const Plan& plan, const Config& config, Collect& observer) {
    return samvad::delivery::run(plan, config, credentials, services, options, observer);
  }
};

}  // namespace

TEST_CASE("the engine sends each planned delivery once through its channel and records every part", "[engine]") {
  Engine e;
  const Config config = config_of({"water-supply", "health"});
  const Plan plan = plan_of("a1", {{"water-supply", {"one", "two"}}, {"health", {"three"}}});
  Collect observer;
  auto report = e.run(plan, config, observer);
  CHECK(report.exit_code() == samvad::ExitCode::ok);
  REQUIRE(report.deliveries.size() == 2);
  for (const auto& d : report.deliveries) CHECK(d.status == DeliveryStatus::delivered);
  CHECK(e.log.sent.size() == 2);
  CHECK(observer.reports.size() == 2);
  Store st = Store::open(e.options.store_path);
  for (const auto& d : st.deliveries("a1")) {
    CHECK(d.attempts == 1);
    CHECK_FALSE(d.holder);  // released
    for (const auto& p : d.parts) CHECK(p.status == PartStatus::delivered);
  }

  // Settled deliveries are skipped: a second run calls no sender and reports them as they are.
  Collect again;
  auto second = e.run(plan, config, again);
  CHECK(second.exit_code() == samvad::ExitCode::ok);
  CHECK(e.log.sent.size() == 2);
  CHECK(again.reports.size() == 2);
}

TEST_CASE("a failed delivery is settled: reported failed (69) and not sent again by a rerun", "[engine]") {
  Engine e;
  const Config config = config_of({"water-supply"});
  const Plan plan = plan_of("a2", {{"water-supply", {"refuse"}}});
  Collect observer;
  auto report = e.run(plan, config, observer);
  CHECK(report.exit_code() == samvad::ExitCode::unavailable);
  CHECK(report.deliveries.at(0).status == DeliveryStatus::failed);
  CHECK(report.deliveries.at(0).error == std::optional<std::string>("refused by the fake service"));
  Collect again;
  e.run(plan, config, again);
  CHECK(e.log.sent.size() == 1);
}

TEST_CASE("a delivery deferred by a rate limit is not sent again before the limit resets, and is after", "[engine]") {
  Engine e;
  Config config = config_of({"water-supply"});
  config.organization.timezone = "Asia/Kolkata";
  const Plan plan = plan_of("a9", {{"water-supply", {"rate-limited"}}});
  Collect observer;
  const auto before = std::chrono::system_clock::now();
  auto report = e.run(plan, config, observer);
  CHECK(report.exit_code() == samvad::ExitCode::temp_fail);
  const auto& d = report.deliveries.at(0);
  CHECK(d.status == DeliveryStatus::deferred);
  REQUIRE(d.retry_at);
  CHECK(*d.retry_at >= before + std::chrono::hours(1));
  CHECK_THAT(*d.error, Catch::StartsWith("too many requests; not before ") && Catch::Contains("(Asia/Kolkata)"));
  CHECK(report.time_zone == "Asia/Kolkata");
  CHECK(samvad::delivery::to_json(report)["deliveries"][0]["retry_at"].get<std::string>().ends_with("+05:30"));

  Collect waiting;
  auto second = e.run(plan, config, waiting);
  CHECK(e.log.sent.size() == 1);  // the sender was not asked
  CHECK(second.exit_code() == samvad::ExitCode::temp_fail);
  REQUIRE(waiting.reports.size() == 1);
  CHECK_THAT(*waiting.reports[0].error, Catch::StartsWith("nothing sent: it waits 1 h more for the rate limit"));
  CHECK(second.deliveries.at(0).retry_at == d.retry_at);

  // Once the time has passed (here: recorded as passed), the next run tries again.
  {
    Store st = Store::open(e.options.store_path);
    const auto id = st.deliveries("a9").at(0).id;
    st.set_delivery_status(id, DeliveryStatus::deferred, "too many requests",
                           std::chrono::system_clock::now() - std::chrono::seconds(1));
  }
  Collect after;
  e.run(plan, config, after);
  CHECK(e.log.sent.size() == 2);
}

TEST_CASE("a delivery another live process holds is left to it and reported deferred, a dead holder's is taken over",
          "[engine]") {
  Engine e;
  const Config config = config_of({"water-supply"});
  const Plan plan = plan_of("a3", {{"water-supply", {"one"}}});
  long long id = 0;
  {
    Store st = Store::open(e.options.store_path);
    id = st.record_announcement(plan.announcement, plan.deliveries).at(0).id;
  }
  SleepingChild other;
  auto them = samvad::store::Holder::of(other.pid());
  REQUIRE(them);
  Store::open(e.options.store_path).claim(id, *them);

  Collect observer;
  auto report = e.run(plan, config, observer);
  CHECK(e.log.sent.empty());
  REQUIRE(observer.reports.size() == 1);
  CHECK(observer.reports[0].status == DeliveryStatus::deferred);
  CHECK_THAT(*observer.reports[0].error, Catch::Contains("another samvad process"));
  CHECK(report.exit_code() == samvad::ExitCode::temp_fail);

  other.let_exit();
  other.reap();
  Collect after;
  auto taken = e.run(plan, config, after);
  CHECK(e.log.sent.size() == 1);
  CHECK(taken.deliveries.at(0).status == DeliveryStatus::delivered);
}

TEST_CASE("a sender's exception defers its delivery with the message, the worker goes on with the next", "[engine]") {
  Engine e;
  e.options.jobs = 1;
  const Config config = config_of({"water-supply"});
  const Plan plan = plan_of("a4", {{"water-supply", {"throw"}}, {"water-supply", {"fine"}}});
  // Two deliveries of one department need distinct keys: give the second its own language.
  Plan keyed = plan;
  keyed.deliveries[1].language = "en";
  Collect observer;
  auto report = e.run(keyed, config, observer);
  REQUIRE(report.deliveries.size() == 2);
  CHECK(report.deliveries[0].status == DeliveryStatus::deferred);
  CHECK(report.deliveries[0].error == std::optional<std::string>("the fake service hung up"));
  CHECK(report.deliveries[0].parts.at(0).status == PartStatus::in_flight);  // kept for the next run to look up
  CHECK(report.deliveries[1].status == DeliveryStatus::delivered);
  CHECK(report.exit_code() == samvad::ExitCode::temp_fail);
}

TEST_CASE("a stop request before a delivery starts leaves it pending, one during a delivery finishes that part",
          "[engine]") {
  Engine e;
  e.options.jobs = 1;
  std::atomic<bool> stop{false};
  e.options.stopping = [&] { return stop.load(); };
  const Config config = config_of({"water-supply", "health"});
  const Plan plan = plan_of("a5", {{"water-supply", {"one", "two"}}, {"health", {"three"}}});
  e.during = [&](const std::string&) { stop = true; };  // asked to stop while the first part is being sent
  Collect observer;
  auto report = e.run(plan, config, observer);
  REQUIRE(report.deliveries.size() == 2);
  CHECK(report.deliveries[0].status == DeliveryStatus::deferred);
  CHECK(report.deliveries[0].parts.at(0).status == PartStatus::delivered);  // the part in progress was finished
  CHECK(report.deliveries[0].parts.at(1).status == PartStatus::pending);
  CHECK(report.deliveries[1].status == DeliveryStatus::pending);  // never started
  CHECK(e.log.sent.size() == 1);
  bool told = false;
  for (const auto& r : observer.reports)
    if (r.department == "health") told = r.error && r.error->find("not started") != std::string::npos;
  CHECK(told);
}

TEST_CASE("a delivery to a department no longer configured fails with that reason", "[engine]") {
  Engine e;
  const Plan plan = plan_of("a6", {{"roads", {"one"}}});
  Collect observer;
  auto report = e.run(plan, config_of({"water-supply"}), observer);
  CHECK(report.deliveries.at(0).status == DeliveryStatus::failed);
  CHECK_THAT(*report.deliveries.at(0).error, Catch::Contains("department roads is no longer in departments.yaml"));
  CHECK(e.log.sent.empty());
}

TEST_CASE("two engines in two processes on one plan at once send every delivery exactly once", "[engine]") {
  // Claims are per process (store::Holder): the second engine runs in a child process, and both
  // write what they send to one file, appended line by line.
  Engine e;
  const auto sent_file = e.dir.path() / "sent.txt";
  std::vector<std::string> ids;
  std::vector<std::pair<std::string, std::vector<std::string>>> deliveries;
  for (int i = 0; i < 12; ++i) {
    ids.push_back("dept-" + std::to_string(i));
    deliveries.push_back({ids.back(), {"part-" + std::to_string(i)}});
  }
  const Config config = config_of(ids);
  const Plan plan = plan_of("a7", deliveries);
  { Store::open(e.options.store_path).record_announcement(plan.announcement, plan.deliveries); }
  e.during = [&](const std::string& department) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(e.log.mutex);
    std::ofstream(sent_file, std::ios::app) << department << "\n";
  };
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    Collect observer;
    try {
      e.run(plan, config, observer);
    } catch (...) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  Collect observer;
  e.run(plan, config, observer);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  std::map<std::string, int> times;
  std::ifstream in(sent_file);
  for (std::string line; std::getline(in, line);) ++times[line];
  CHECK(times.size() == 12);
  for (const auto& [department, n] : times) {
    INFO(department);
    CHECK(n == 1);
  }
  Store st = Store::open(e.options.store_path);
  for (const auto& d : st.deliveries("a7")) CHECK(d.status == DeliveryStatus::delivered);
}

TEST_CASE("one department's deliveries go in plan order, departments go in parallel, one sender per thread",
          "[engine]") {
  Engine e;
  e.options.jobs = 3;
  const Config config = config_of({"a", "b", "c"});
  Plan plan;
  plan.announcement = samvad::test::announcement("a8");
  for (const char* dep : {"a", "b", "c"})
    for (const char* lang : {"mr", "en", "hi"})
      plan.deliveries.push_back(samvad::test::planned(dep, "fake", lang, {std::string(dep) + "-" + lang}));
  Collect observer;
  e.run(plan, config, observer);
  std::map<std::string, std::vector<std::string>> order;
  for (const auto& [department, part] : e.log.sent) order[department].push_back(part);
  for (const char* dep : {"a", "b", "c"}) {
    INFO(dep);
    CHECK(order[dep] ==
          std::vector<std::string>{std::string(dep) + "-mr", std::string(dep) + "-en", std::string(dep) + "-hi"});
  }
  CHECK(e.log.senders_made <= 3);
}

TEST_CASE("the engine sends an announcement held for approval only once approved, as approved, and never if rejected",
          "[engine][approvals]") {
  Engine e;
  const Config config = config_of({"water-supply", "health"});
  const Plan plan = plan_of("held", {{"water-supply", {"one"}}});
  samvad::store::Approval held;
  held.announcement_id = "held";
  held.kind = "service-notice";
  held.submitted_by = "ravi";
  held.submitted_at = samvad::test::at_minute(1);
  {
    Store st = Store::open(e.options.store_path);
    st.submit_for_approval(plan.announcement, plan.deliveries, held);
  }
  auto refused = [&](const Plan& p) {
    Collect observer;
    try {
      e.run(p, config, observer);
    } catch (const samvad::Error& error) {
      return error.code();
    }
    return samvad::ExitCode::ok;
  };
  CHECK(refused(plan) == samvad::ExitCode::temp_fail);  // awaiting: not yet
  CHECK(e.log.sent.empty());

  Store st = Store::open(e.options.store_path);
  REQUIRE(st.decide_approval("held", ApprovalState::approved, "asha", "", samvad::test::at_minute(2)));
  // Approved: only what was approved; a delivery it did not have is refused before anything is sent.
  CHECK(refused(plan_of("held", {{"water-supply", {"one"}}, {"health", {"two"}}})) == samvad::ExitCode::data);
  CHECK(e.log.sent.empty());
  CHECK(refused(plan) == samvad::ExitCode::ok);
  CHECK(e.log.sent.size() == 1);

  const Plan other = plan_of("refused", {{"water-supply", {"three"}}});
  held.announcement_id = "refused";
  st.submit_for_approval(other.announcement, other.deliveries, held);
  REQUIRE(st.decide_approval("refused", ApprovalState::rejected, "asha", "wrong", samvad::test::at_minute(3)));
  CHECK(refused(other) == samvad::ExitCode::data);
  CHECK(e.log.sent.size() == 1);
}
