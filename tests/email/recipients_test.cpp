// Who a list reaches (email/recipients.hpp): counted and digested in one streaming pass, read
// again batch by batch when recorded, and refused when the file changed in between.
#include <catch2/catch.hpp>

#include <fstream>

#include <samvad/email/recipients.hpp>

#include "support/process.hpp"

using namespace samvad;
using namespace samvad::email;

namespace {

ListSettings list_with(const std::filesystem::path& file, int batch_size) {
  ListSettings list;
  list.list = "water-supply@lists.example.org";
  list.subscribers = file;
  list.batch_size = batch_size;
  return list;
}

std::vector<std::vector<std::string>> read_all(const store::PlannedRecipients& planned) {
  std::vector<std::vector<std::string>> out;
  planned.read([&](int part, std::vector<std::string>&& addresses) {
    CHECK(part == static_cast<int>(out.size()));
    out.push_back(std::move(addresses));
  });
  return out;
}

}  // namespace

TEST_CASE("a list is counted in one pass and read again in batches, the list address first and once",
          "[email][lists]") {
  test::TempDir dir;
  const auto file = dir.path() / "water.txt";
  std::ofstream(file) << "# पाणीपुरवठा\na@example.org\nwater-supply@LISTS.example.org\nb@example.org\n\nc@example.org\n";
  const ListSettings list = list_with(file, 2);
  const RecipientScan scan = scan_recipients(list);
  CHECK(scan.count == 4);
  CHECK(scan.duplicates == 1);  // the list address, also in the file (its domain in other case)
  CHECK(batch_count(scan.count, list.batch_size) == 2);
  const auto planned = planned_recipients(list, scan);
  CHECK(planned.count == 4);
  CHECK(read_all(planned) == std::vector<std::vector<std::string>>{{"water-supply@lists.example.org", "a@example.org"},
                                                                   {"b@example.org", "c@example.org"}});
  CHECK(planned.digest == store::fixed_recipients(read_all(planned)).digest);
}

TEST_CASE("a subscriber file that changes between counting and recording is refused (75), whatever changed",
          "[email][lists]") {
  test::TempDir dir;
  const auto file = dir.path() / "water.txt";
  std::ofstream(file) << "a@example.org\nb@example.org\n";
  const ListSettings list = list_with(file, 50);
  const auto planned = planned_recipients(list, scan_recipients(list));
  SECTION("one more address") { std::ofstream(file, std::ios::app) << "c@example.org\n"; }
  SECTION("as many, one of them another") { std::ofstream(file) << "a@example.org\nz@example.org\n"; }
  try {
    read_all(planned);
    FAIL("expected the changed file to be refused");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::temp_fail);
    CHECK_THAT(e.what(), Catch::Contains(file.string()) && Catch::Contains("changed"));
  }
}
