#include <samvad/store/statement.hpp>

#include <chrono>
#include <limits>
#include <utility>

namespace samvad::store {

std::recursive_mutex& process_write_lock() {
  static std::recursive_mutex m;
  return m;
}

long long to_millis(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_millis(long long ms) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(ms)));
}

int Statement::run() {
  while (step()) {
  }
  return static_cast<int>(query_->changes());
}

namespace {

// SELECT ... WHERE ... AND (k1, k2) > (?n+1, ?n+2) ORDER BY k1, k2 LIMIT page (row values
// compare in key order in SQLite and PostgreSQL alike).
std::string page_sql(const Paging& p) {
  std::string columns, parameters;
  for (std::size_t i = 0; i < p.key.size(); ++i) {
    columns += (i ? ", " : "") + p.key[i];
    parameters += (i ? ", ?" : "?") + std::to_string(p.scope_parameters + 1 + static_cast<int>(i));
  }
  return p.select + " AND (" + columns + ") > (" + parameters + ") ORDER BY " + columns + " LIMIT " +
         std::to_string(p.page_rows);
}

}  // namespace

PagedStatement::PagedStatement(Database& db, Paging paging, std::string_view doing)
    : paging_(std::move(paging)),
      statement_(db, page_sql(paging_), doing),
      last_(paging_.key.size(), std::numeric_limits<long long>::min()) {}

bool PagedStatement::step() {
  while (!done_) {
    if (!page_open_) {
      statement_.reset();
      if (paging_.bind_scope) paging_.bind_scope(statement_);
      for (std::size_t i = 0; i < last_.size(); ++i)
        statement_.bind(paging_.scope_parameters + 1 + static_cast<int>(i), last_[i]);
      rows_in_page_ = 0;
      page_open_ = true;
    }
    if (statement_.step()) {
      ++rows_in_page_;
      for (std::size_t i = 0; i < last_.size(); ++i) last_[i] = statement_.column_int(paging_.key_at[i]);
      return true;
    }
    // A short page was the last one; a full one may have more after it.
    done_ = rows_in_page_ < paging_.page_rows;
    page_open_ = false;
  }
  return false;
}

}  // namespace samvad::store
