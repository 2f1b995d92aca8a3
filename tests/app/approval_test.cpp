// Which content needs approval (app/approval.hpp): the departments' approvals for a kind of
// content, and the kinds approvals may name.
#include <catch2/catch.hpp>

#include <samvad/app/approval.hpp>
#include <samvad/registry/channels.hpp>

using namespace samvad;

namespace {

using Ids = std::vector<std::string>;

config::Config departments(const std::string& approvals, const std::string& roads_approvals = "") {
  return registry::parse_config(R"(organization:
  name: {en: PCMC, mr: पिंपरी चिंचवड महानगरपालिका}
)" + approvals + R"(
departments:
  water-supply:
    name: {en: Water Supply, mr: पाणीपुरवठा}
  roads:
    name: {en: Roads, mr: रस्ते}
)" + roads_approvals,
                                "departments.yaml");
}

}  // namespace

TEST_CASE("content needs approval when any of its departments requires it for its kind", "[app][approvals]") {
  const auto c = departments("approvals: {required: [service-notice]}",
                             "    approvals: {required: [service-notice, reply], two_person: true}\n");
  CHECK_FALSE(app::approval_policy(c, "scheme", Ids{"water-supply", "roads"}).required);
  auto water = app::approval_policy(c, "service-notice", Ids{"water-supply"});
  CHECK(water.required);
  CHECK_FALSE(water.two_person);
  auto both = app::approval_policy(c, "service-notice", Ids{"water-supply", "roads"});
  CHECK(both.required);
  CHECK(both.two_person);
  CHECK_FALSE(app::approval_policy(c, "reply", Ids{"water-supply"}).required);
  CHECK(app::approval_policy(c, "reply", Ids{"roads"}).required);

  const auto all = departments("approvals: {required: all}");
  for (const char* kind : {"scheme", "service-notice", "text", "reply"})
    CHECK(app::approval_policy(all, kind, Ids{"roads"}).required);
  const auto none = departments("");
  CHECK_FALSE(app::approval_policy(none, "text", Ids{"roads"}).required);
}

TEST_CASE("approvals name the template kinds, text, reply and all; anything else is 78 at its place",
          "[app][approvals]") {
  const auto kinds = app::approval_kinds();
  for (const char* kind : {"scheme", "service-notice", "reply", "text", "all"})
    CHECK(std::find(kinds.begin(), kinds.end(), kind) != kinds.end());
  CHECK_NOTHROW(app::check_approval_kinds(departments("approvals: {required: [scheme, text, reply, all]}")));
  try {
    app::check_approval_kinds(departments("approvals: {required: [text]}", "    approvals: {required: [notice]}\n"));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::config);
    REQUIRE(e.diagnostics().size() == 1);
    CHECK(e.diagnostics()[0].where->line == 9);
    CHECK_THAT(e.diagnostics()[0].message, Catch::Contains("departments.roads.approvals.required: 'notice'"));
  }
}
