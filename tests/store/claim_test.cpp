#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include <unistd.h>

#include <samvad/store/store.hpp>

#include "store/backends.hpp"
#include "store/store_fixtures.hpp"
#include "support/process.hpp"

using namespace samvad::store;
using namespace samvad::test;

namespace {

long long one_delivery(const Location& path) {
  Store s = Store::open(path);
  return s.record_announcement(announcement("a1"), {planned("water-supply", "twitter", "en", {"hello"})})[0].id;
}

}  // namespace

TEST_CASE("a holder is this process: its pid and its start time since this boot", "[store][claim]") {
  Holder me = Holder::self();
  CHECK(me.pid == ::getpid());
  CHECK_FALSE(me.start_id.empty());
  CHECK(me.alive());
  CHECK(Holder::of(::getpid()) == me);

  std::ifstream boot("/proc/sys/kernel/random/boot_id");
  std::string boot_id;
  std::getline(boot, boot_id);
  if (!boot_id.empty()) CHECK_THAT(me.start_id, Catch::EndsWith("@" + boot_id));

  CHECK_FALSE((Holder{me.pid, "1@" + boot_id}).alive());  // the same pid, reused by another process
  CHECK_FALSE((Holder{0, me.start_id}).alive());          // kill(0) would mean "my process group"
  CHECK_FALSE((Holder{-1, me.start_id}).alive());
  CHECK_FALSE(Holder::of(0));
}

TEST_CASE("the same holder may claim again, another holder may claim once it is released", "[store][claim]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  const long long id = one_delivery(path);
  Store s = Store::open(path);
  const Holder me = Holder::self();
  CHECK(s.claim(id, me));
  CHECK(s.claim(id, me));
  CHECK(s.delivery(id)->holder == me);

  SleepingChild other;
  const auto them = Holder::of(other.pid());
  REQUIRE(them);
  CHECK_FALSE(s.claim(id, *them));

  s.release(id, *them);  // not theirs to release: nothing changes
  CHECK(s.delivery(id)->holder == me);
  s.release(id, me);
  CHECK_FALSE(s.delivery(id)->holder);
  CHECK(s.claim(id, *them));
  CHECK_THROWS_AS(s.claim(id + 1, me), samvad::Error);
}

TEST_CASE("a claim held by a live process is refused, and taken over once it has died", "[store][claim]") {
  TempDir dir;
  const auto path = dir.path() / "state.db";
  const long long id = one_delivery(path);
  Store s = Store::open(path);
  const Holder me = Holder::self();

  SleepingChild other;
  const auto them = Holder::of(other.pid());
  REQUIRE(them);
  CHECK(them->alive());
  CHECK(s.claim(id, *them));  // recorded as the other process would have

  CHECK_FALSE(s.claim(id, me));
  CHECK(s.delivery(id)->holder == *them);

  SECTION("dead and reaped") {
    other.let_exit();
    other.reap();
    CHECK_FALSE(them->alive());
  }
  SECTION("dead but not yet reaped (a zombie)") {
    other.let_exit();
    // It exits at once; give the scheduler a moment without waiting on it.
    for (int i = 0; i < 500 && them->alive(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK_FALSE(them->alive());
  }
  CHECK(s.claim(id, me));
  CHECK(s.delivery(id)->holder == me);
}

STORE_TEST_CASE("processes racing to claim one delivery: exactly one wins", "[store][claim]") {
  const auto path = where.location();
  const long long id = one_delivery(path);  // closed again: no connection crosses fork()

  constexpr int kRacers = 8;
  int go[2], ready[2], done[2];
  REQUIRE(::pipe(go) == 0);
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(done) == 0);
  std::vector<pid_t> racers;
  for (int i = 0; i < kRacers; ++i) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(go[1]);
      ::close(ready[0]);
      ::close(done[1]);
      int code = 2;
      std::optional<Store> s;
      try {
        s.emplace(Store::open(path));
        char c;
        [[maybe_unused]] auto n = ::read(go[0], &c, 1);  // all start together
        code = s->claim(id, Holder::self()) ? 0 : 1;
      } catch (...) {
      }
      [[maybe_unused]] auto w = ::write(ready[1], "x", 1);
      // The winner (and its Store, which holds a server's claim) must stay alive until everyone
      // has tried: a dead winner's claim would rightly be taken over by a later racer.
      char c;
      [[maybe_unused]] auto n = ::read(done[0], &c, 1);
      ::_exit(code);
    }
    racers.push_back(pid);
  }
  ::close(go[0]);
  ::close(ready[1]);
  ::close(done[0]);
  ::close(go[1]);  // EOF: go
  int reported = 0;
  char buf[kRacers];
  for (ssize_t n; reported < kRacers && (n = ::read(ready[0], buf, sizeof buf)) != 0;) {
    if (n > 0) reported += static_cast<int>(n);
  }
  ::close(ready[0]);
  ::close(done[1]);  // EOF: exit

  std::vector<pid_t> winners;
  int losers = 0, broken = 0;
  for (pid_t pid : racers) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code == 0)
      winners.push_back(pid);
    else if (code == 1)
      ++losers;
    else
      ++broken;
  }
  CHECK(reported == kRacers);
  CHECK(broken == 0);
  REQUIRE(winners.size() == 1);
  CHECK(losers == kRacers - 1);
  if (where.backend() == Backend::sqlite) {
    Store s = Store::open(path);
    REQUIRE(s.delivery(id)->holder);
    CHECK(s.delivery(id)->holder->pid == winners.front());
  }
}

// On a server, claims come from processes on other machines: a pid means nothing there. A
// claim is held by a Store's own connection, so another Store (another connection, as another
// machine would have) plays the other process.
TEST_CASE("a claim on a PostgreSQL store lasts until released or until its holder is gone",
          "[store][claim][postgres]") {
  const StoreUnderTest where(Backend::postgresql);
  const long long id = one_delivery(where.location());
  std::optional<Store> a(where.open());
  Store b = where.open();
  CHECK(a->claim(id, Holder::self()));
  CHECK(a->claim(id, Holder::self()));       // again: still ours
  CHECK_FALSE(b.claim(id, Holder::self()));  // the same pid, another holder
  // What it guards: b may neither replace nor reopen what a holds.
  CHECK_FALSE(
      b.replace_delivery(id, planned("water-supply", "twitter", "en", {"new"}), [](const Delivery&) { return true; }));
  b.set_delivery_status(id, DeliveryStatus::failed, "X answered 500");
  CHECK_FALSE(b.retry_failed_delivery(id));
  CHECK(a->retry_failed_delivery(id));  // the holder itself may

  b.release(id, Holder::self());  // not b's: nothing changes
  CHECK_FALSE(b.claim(id, Holder::self()));
  a->release(id, Holder::self());
  CHECK(b.claim(id, Holder::self()));
  CHECK_FALSE(a->claim(id, Holder::self()));
  b.release(id, Holder::self());

  // A holder that ends without releasing (its process exits, crashes, loses its machine) lets go.
  CHECK(a->claim(id, Holder::self()));
  CHECK_FALSE(b.claim(id, Holder::self()));
  a.reset();
  CHECK(b.claim(id, Holder::self()));
}

TEST_CASE("a PostgreSQL claim held by a process that was killed is free at once", "[store][claim][postgres]") {
  const StoreUnderTest where(Backend::postgresql);
  const long long id = one_delivery(where.location());
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::close(ready[0]);
    try {
      Store s = where.open();
      const char got = s.claim(id, Holder::self()) ? 'y' : 'n';
      [[maybe_unused]] auto w = ::write(ready[1], &got, 1);
      ::pause();
    } catch (...) {
    }
    ::_exit(1);
  }
  ::close(ready[1]);
  char got = 0;
  REQUIRE(::read(ready[0], &got, 1) == 1);
  ::close(ready[0]);
  CHECK(got == 'y');
  Store s = where.open();
  CHECK_FALSE(s.claim(id, Holder::self()));
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  // The server notices the closed connection at once; its session may need a moment to end.
  bool taken = false;
  for (int i = 0; i < 100 && !taken; ++i) {
    taken = s.claim(id, Holder::self());
    if (!taken) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(taken);
}
