// Notices and settings the feed tests share.
#pragma once

#include <chrono>
#include <string>

#include <samvad/feed/page.hpp>
#include <samvad/feed/settings.hpp>

namespace samvad::test {

// 2026-12-03 04:00 UTC (09:30 in Asia/Kolkata) plus `minutes`.
inline std::chrono::system_clock::time_point feed_time(int minutes = 0) {
  using namespace std::chrono;
  return sys_days{year{2026} / 12 / 3} + hours{4} + std::chrono::minutes{minutes};
}

inline feed::Notice sample_notice(const std::string& id = "ann-1", const std::string& department = "water-supply",
                                  int minutes = 0) {
  feed::Notice n;
  n.announcement_id = id;
  n.department_id = department;
  n.department_name.text = {{"en", "Water Supply Department"}, {"mr", "पाणीपुरवठा विभाग"}};
  n.organization_name.text = {{"en", "Pimpri Chinchwad Municipal Corporation"}, {"mr", "पिंपरी चिंचवड महानगरपालिका"}};
  n.time_zone = "Asia/Kolkata";
  n.published = feed_time(minutes);
  n.languages = {
      feed::LanguageText{"mr", "पाणीपुरवठा बंद " + id, "<p>उद्या <b>पाणीपुरवठा</b> बंद राहील.</p>",
                         "उद्या पाणीपुरवठा बंद राहील."},
      feed::LanguageText{"en", "Water supply interrupted " + id, "<p>No <b>water</b> tomorrow.</p>",
                         "No water tomorrow."},
  };
  return n;
}

}  // namespace samvad::test
