// The store's record of what requests cost (schema 7): written as each billed request is
// answered, summed for a month's spend.
#include <samvad/store/store.hpp>

#include <samvad/store/statement.hpp>

namespace samvad::store {

void Store::record_cost(const CostRecord& c) {
  WriteGuard write(process_write_lock());
  Statement s(*db_,
              "INSERT INTO costs (channel, department, announcement_id, kind, quantity, amount_micro_usd, recorded_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
              "recording what a request cost");
  s.bind(1, c.channel).bind(2, c.department).bind(3, c.announcement_id).bind(4, c.kind);
  s.bind(5, c.quantity).bind(6, c.micro_usd).bind(7, c.recorded_at);
  s.run();
}

long long Store::spend(const std::string& channel, const std::optional<std::string>& department,
                       Clock::time_point since, Clock::time_point until) const {
  // COALESCE: 0 for no rows. The CAST: PostgreSQL sums BIGINTs as NUMERIC. (An overflow needs
  // more than 9 * 10^12 dollars.)
  std::string sql =
      "SELECT CAST(COALESCE(SUM(amount_micro_usd), 0) AS BIGINT) FROM costs "
      "WHERE channel = ?1 AND recorded_at >= ?2 AND recorded_at < ?3";
  if (department) sql += " AND department = ?4";
  Statement s(*db_, sql, "summing what requests cost");
  s.bind(1, channel).bind(2, since).bind(3, until);
  if (department) s.bind(4, *department);
  return s.step() ? s.column_int(0) : 0;
}

std::vector<CostRecord> Store::costs(const std::string& announcement_id) const {
  Statement s(*db_,
              "SELECT channel, department, announcement_id, kind, quantity, amount_micro_usd, recorded_at FROM costs "
              "WHERE announcement_id = ?1 ORDER BY rowid",
              "reading what requests cost");
  s.bind(1, announcement_id);
  std::vector<CostRecord> out;
  while (s.step())
    out.push_back(CostRecord{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_int(4),
                             s.column_int(5), s.column_time(6)});
  return out;
}

}  // namespace samvad::store
