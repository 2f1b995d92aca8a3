// samvad-make-store: writes a delivery store with a large, settled history, for timing
// `samvad status` and `samvad history` at scale (bench/run, BENCHMARKS.md).
//
//   samvad-make-store --out FILE [--announcements N] [--departments D] [--recipients R]
//
// Each announcement goes to two departments (taken round-robin from D), each with one X post
// in Marathi and one email carrying every language: 4 deliveries, so the default 25,000
// announcements make 100,000 deliveries. Each email has R subscribers in one batch. The
// announcements are one hour apart, the newest an hour ago, as a busy office would leave them.
//
// Recording goes through store::Store::record_announcements (one transaction); the outcome
// (delivered, with tweet ids and Message-IDs) is then written with one UPDATE per table,
// because settling 100,000 deliveries one synced commit at a time would take minutes and
// would time the disk rather than produce a store.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include <samvad/core/error.hpp>
#include <samvad/store/store.hpp>

namespace {

namespace store = samvad::store;

struct Options {
  std::filesystem::path out;
  int announcements = 25000;
  int departments = 50;
  int recipients = 3;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "samvad-make-store: " << why
            << "\nusage: samvad-make-store --out FILE [--announcements N] [--departments D] [--recipients R]\n";
  std::exit(64);
}

int positive(std::string_view name, const char* value) {
  char* end = nullptr;
  const long v = std::strtol(value, &end, 10);
  if (*end != '\0' || v < 1 || v > 10'000'000) usage(std::string(name) + " expects a positive number");
  return static_cast<int>(v);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i + 1 >= argc) usage("missing a value after " + std::string(arg));
    const char* value = argv[++i];
    if (arg == "--out") o.out = value;
    else if (arg == "--announcements") o.announcements = positive(arg, value);
    else if (arg == "--departments") o.departments = positive(arg, value);
    else if (arg == "--recipients") o.recipients = positive(arg, value);
    else usage("unknown option " + std::string(arg));
  }
  if (o.out.empty()) usage("--out is required");
  if (o.departments < 2) usage("--departments must be at least 2");
  return o;
}

std::string department(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "department-%02d", n);
  return buf;
}

std::vector<store::PlannedAnnouncement> plan(const Options& o) {
  const auto newest = std::chrono::floor<std::chrono::hours>(store::Clock::now()) - std::chrono::hours(1);
  // An email delivery's content is the rendered message as JSON: about 3.2 KB for the sample
  // template (measured on a real run); its size is what matters here.
  const std::string content = "{\"subject\":\"" + std::string(150, 's') + "\",\"text\":\"" + std::string(1350, 't') +
                              "\",\"html\":\"" + std::string(1650, 'h') + "\"}";
  // A tweet as rendered from the sample template (about 270 bytes of UTF-8), numbered.
  const std::string tweet =
      "गुरुवार, ३ डिसेंबर २०२६ रोजी सकाळ ९:०० ते संध्याकाळ ५:०० निगडी, आकुर्डी परिसरातील पाणीपुरवठा बंद राहील. #PCMC ";
  const std::string batch = R"({"batch":1,"recipients":4,"message_id":"<pending>","size":3206})";
  std::vector<store::PlannedAnnouncement> out;
  out.reserve(static_cast<std::size_t>(o.announcements));
  for (int i = 0; i < o.announcements; ++i) {
    store::PlannedAnnouncement p;
    p.announcement.id = "water-supply-interruption-" + std::to_string(100000000000 + i);
    p.announcement.template_name = "water-supply-interruption";
    p.announcement.request_json = R"({"departments":["...","..."],"channels":["twitter","email"]})";
    p.announcement.created_at = newest - std::chrono::hours(o.announcements - 1 - i);
    for (int k = 0; k < 2; ++k) {
      const std::string dept = department((2 * i + k) % o.departments);
      p.deliveries.push_back({dept, "twitter", "mr", {tweet + std::to_string(i)}, {}, {}});
      std::vector<std::string> subscribers;
      for (int r = 0; r < o.recipients; ++r) subscribers.push_back("subscriber" + std::to_string(r) + "@example.org");
      p.deliveries.push_back({dept, "email", "*", {batch}, content, store::fixed_recipients({subscribers})});
    }
    out.push_back(std::move(p));
  }
  return out;
}

void settle_all(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::cerr << "samvad-make-store: cannot open " << path << ": " << sqlite3_errmsg(db) << "\n";
    sqlite3_close_v2(db);
    std::exit(73);
  }
  const char* sql =
      "BEGIN;"
      "UPDATE deliveries SET status = 'delivered', attempts = 1;"
      "UPDATE parts SET status = 'delivered', attempts = 1, remote_id = CASE "
      "  (SELECT channel FROM deliveries d WHERE d.id = parts.delivery_id) "
      "  WHEN 'email' THEN '<' || (1700000000000 + delivery_id) || '.samvad@example.org>' "
      "  ELSE CAST(1800000000000000000 + delivery_id AS TEXT) END;"
      "UPDATE recipient_batches SET answered = 1;"
      "COMMIT;";
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::cerr << "samvad-make-store: settling the deliveries: " << (message ? message : "?") << "\n";
    sqlite3_free(message);
    sqlite3_close_v2(db);
    std::exit(70);
  }
  sqlite3_close_v2(db);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (std::filesystem::exists(o.out)) usage(o.out.string() + " exists; expected a new file");
  try {
    {
      store::Store s = store::Store::open(o.out);
      s.record_announcements(plan(o));
    }
    settle_all(o.out);
  } catch (const samvad::Error& e) {
    std::cerr << "samvad-make-store: " << e.what() << "\n";
    return samvad::to_int(e.code());
  }
  std::cout << o.announcements << " announcements, " << 4LL * o.announcements << " deliveries in " << o.out.string()
            << "\n";
  return 0;
}
