// post as library calls (app/post): the retry policy a run gets from its options and the
// environment, and which plans need credentials.yaml and what they need from it.
#include <catch2/catch.hpp>

#include <cstdlib>

#include <samvad/app/post.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/feed/spec.hpp>
#include <samvad/twitter/settings.hpp>

#include "support/sample_setup.hpp"

using samvad::Error;
using samvad::ExitCode;

namespace {

// Sets an environment variable for one test, putting back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

samvad::delivery::Plan plan_of(std::vector<std::pair<std::string, std::string>> department_channels) {
  samvad::delivery::Plan plan;
  for (auto& [department, channel] : department_channels) {
    samvad::store::PlannedDelivery d;
    d.department = department;
    d.channel = channel;
    d.language = "mr";
    plan.deliveries.push_back(d);
  }
  return plan;
}

}  // namespace

TEST_CASE("the retry policy: --max-wait, and SAMVAD_BACKOFF_MS shortening the backoff", "[app]") {
  {
    ScopedEnv unset("SAMVAD_BACKOFF_MS", nullptr);
    const auto policy = samvad::app::retry_policy(60);
    CHECK(policy.max_wait == std::chrono::seconds(60));
    CHECK(policy.backoff_base == samvad::channel::RetryPolicy{}.backoff_base);
  }
  {
    ScopedEnv empty("SAMVAD_BACKOFF_MS", "");
    CHECK(samvad::app::retry_policy(0).backoff_base == samvad::channel::RetryPolicy{}.backoff_base);
  }
  ScopedEnv fast("SAMVAD_BACKOFF_MS", "7");
  const auto policy = samvad::app::retry_policy(0);
  CHECK(policy.backoff_base == std::chrono::milliseconds(7));
  CHECK(policy.max_wait == std::chrono::seconds(0));
}

TEST_CASE("send options out of range are usage errors", "[app]") {
  samvad::app::SendOptions options;
  CHECK_NOTHROW(samvad::app::check_send_options(options));
  options.jobs = 0;
  CHECK_THROWS_MATCHES(samvad::app::check_send_options(options), Error,
                       Catch::Predicate<Error>([](const Error& e) { return e.code() == ExitCode::usage; }));
  options.jobs = 65;
  CHECK_THROWS_AS(samvad::app::check_send_options(options), Error);
  options.jobs = 64;
  options.max_wait_seconds = -1;
  CHECK_THROWS_AS(samvad::app::check_send_options(options), Error);
}

TEST_CASE("only a plan with a channel that needs secrets needs credentials.yaml", "[app]") {
  using samvad::app::needs_credentials;
  CHECK_FALSE(needs_credentials(plan_of({})));
  CHECK_FALSE(needs_credentials(plan_of({{"water-supply", samvad::feed::kChannel}})));
  CHECK(needs_credentials(plan_of({{"water-supply", samvad::twitter::kChannel}})));
  CHECK(needs_credentials(plan_of({{"water-supply", samvad::feed::kChannel}, {"health", samvad::email::kChannel}})));
}

TEST_CASE("a plan's credentials: a feed-only plan reads no file, an X post without a token is 78", "[app]") {
  samvad::test::SampleSetup sample;
  samvad::app::Paths paths;
  paths.config = sample.config().string();
  const auto ws = samvad::app::open_workspace(paths);
  std::filesystem::remove(ws.credentials_path);  // would be read, and fail, if a plan asked for it

  const auto feed_only = plan_of({{"water-supply", samvad::feed::kChannel}});
  const auto none = samvad::app::credentials_for(feed_only, ws);
  CHECK(none.path == ws.credentials_path);
  CHECK_NOTHROW(samvad::app::require_credentials(feed_only, none, ws));

  const auto tweet = plan_of({{"water-supply", samvad::twitter::kChannel}, {"health", samvad::twitter::kChannel}});
  try {
    samvad::app::require_credentials(tweet, none, ws);
    FAIL("an X post without credentials was let through");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::config);
    CHECK_THAT(e.what(), Catch::Contains("water-supply") && Catch::Contains("health"));
  }
  try {
    samvad::app::credentials_for(tweet, ws);
    FAIL("an X post read no credentials.yaml");
  } catch (const Error& e) {
    CHECK_THAT(e.what(), Catch::Contains(ws.credentials_path.filename().string()));
    CHECK(e.code() != ExitCode::software);
  }
}
