// The retry rule every channel shares (lib/samvad/channel/retry.hpp).
#include <catch2/catch.hpp>

#include <samvad/channel/retry.hpp>

#include <vector>

using namespace std::chrono_literals;
using samvad::channel::Failure;
using samvad::channel::FailureKind;
using samvad::channel::Retry;
using samvad::channel::retry_wait;
using samvad::channel::RetryPolicy;

namespace {
const auto now = std::chrono::system_clock::time_point{} + 1000h;
}

TEST_CASE("backoff doubles from the base with at most 50% jitter", "[channel][retry]") {
  RetryPolicy policy;
  policy.backoff_base = 100ms;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const auto base = 100ms * (1 << attempt);
    for (int i = 0; i < 50; ++i) {
      const auto wait = samvad::channel::backoff(policy, attempt);
      CHECK(wait >= base);
      CHECK(wait <= base + base / 2);
    }
  }
  // Far attempts stop doubling instead of overflowing.
  CHECK(samvad::channel::backoff(policy, 1000) <= 100ms * 1024 * 3 / 2);
}

TEST_CASE("what each kind of failure means for the next attempt", "[channel][retry]") {
  RetryPolicy policy;
  policy.backoff_base = 10ms;
  policy.max_wait = 60s;

  SECTION("transient: a growing backoff until the attempts are used up") {
    const Failure f{FailureKind::transient, "503", std::nullopt};
    auto first = retry_wait(policy, f, 1, now);
    REQUIRE(first);
    CHECK(*first >= 10ms);
    CHECK(*first <= 15ms);
    auto third = retry_wait(policy, f, 3, now);
    REQUIRE(third);
    CHECK(*third >= 40ms);
    CHECK_FALSE(retry_wait(policy, f, policy.max_attempts, now));
  }
  SECTION("ambiguous and rejected go straight back to the caller") {
    CHECK_FALSE(retry_wait(policy, Failure{FailureKind::ambiguous, "lost answer", std::nullopt}, 1, now));
    CHECK_FALSE(retry_wait(policy, Failure{FailureKind::rejected, "401", std::nullopt}, 1, now));
  }
  SECTION("a rate limit is waited out, with a margin, only when it resets within max_wait") {
    auto soon = retry_wait(policy, Failure{FailureKind::rate_limited, "429", now + 20s}, 1, now);
    REQUIRE(soon);
    CHECK(*soon == 20s + samvad::channel::rate_limit_margin);
    CHECK_FALSE(retry_wait(policy, Failure{FailureKind::rate_limited, "429", now + 61s}, 1, now));
    CHECK_FALSE(retry_wait(policy, Failure{FailureKind::rate_limited, "429", std::nullopt}, 1, now));
    // Already reset: only the margin.
    auto past = retry_wait(policy, Failure{FailureKind::rate_limited, "429", now - 5s}, 1, now);
    REQUIRE(past);
    CHECK(*past == samvad::channel::rate_limit_margin);
  }
}

TEST_CASE("Retry sleeps between attempts, notes why, and stops when the run stops", "[channel][retry]") {
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.backoff_base = 1ms;
  std::vector<std::chrono::milliseconds> slept;
  std::vector<std::string> notes;
  bool keep_going = true;
  Retry retry(
      policy,
      [&](std::chrono::milliseconds wait) {
        slept.push_back(wait);
        return keep_going;
      },
      [&](const std::string& note) { notes.push_back(note); }, [] { return now; });

  const Failure transient{FailureKind::transient, "batch 1/2: 421 busy", std::nullopt};
  SECTION("attempts are counted across kinds; the last one is not followed by a wait") {
    CHECK(retry.again(transient));
    CHECK(retry.again(Failure{FailureKind::rate_limited, "429", now + 2s}));
    CHECK_FALSE(retry.again(transient));
    CHECK_FALSE(retry.stopped());
    CHECK(retry.failures() == 3);
    REQUIRE(slept.size() == 2);
    CHECK(slept[1] == 2s + samvad::channel::rate_limit_margin);
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].rfind("batch 1/2: 421 busy; trying again in ", 0) == 0);
  }
  SECTION("a rejection neither waits nor notes") {
    CHECK_FALSE(retry.again(Failure{FailureKind::rejected, "550", std::nullopt}));
    CHECK(slept.empty());
    CHECK(notes.empty());
    CHECK_FALSE(retry.stopped());
  }
  SECTION("a stop during the wait ends the attempts and says so") {
    keep_going = false;
    CHECK_FALSE(retry.again(transient));
    CHECK(retry.stopped());
    CHECK(slept.size() == 1);
  }
}
