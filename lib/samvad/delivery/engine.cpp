#include <samvad/delivery/engine.hpp>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <samvad/registry/channels.hpp>

namespace samvad::delivery {

namespace {

bool real_sleep(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  return true;
}

// The deliveries of each department, departments in plan order.
std::vector<std::vector<long long>> by_department(const std::vector<store::Delivery>& deliveries) {
  std::vector<std::vector<long long>> groups;
  std::map<std::string, std::size_t> index;
  for (const auto& d : deliveries) {
    auto [it, inserted] = index.emplace(d.department, groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(d.id);
  }
  return groups;
}

bool is_settled(store::DeliveryStatus s) {
  return s == store::DeliveryStatus::delivered || s == store::DeliveryStatus::retracted ||
         s == store::DeliveryStatus::failed;
}

}  // namespace

Reconciliation reconcile_with_store(const Plan& plan, const std::filesystem::path& store_path, bool retry_failed) {
  std::vector<store::Delivery> recorded;
  if (std::filesystem::exists(store_path)) recorded = store::Store::open(store_path).deliveries(plan.announcement.id);
  Reconciliation r = reconcile(plan, recorded, retry_failed);
  if (r.conflicts()) r.refuse();
  return r;
}

namespace {

// Brings the store in line with the plan: records new deliveries, replaces or re-opens those
// the reconciliation says, and returns the recorded deliveries of the plan, in recording order.
std::vector<store::Delivery> record_plan(store::Store& st, const Plan& plan, bool retry_failed) {
  Reconciliation r = reconcile(plan, st.deliveries(plan.announcement.id), retry_failed);
  if (r.conflicts()) r.refuse();
  st.record_announcement(plan.announcement, plan.deliveries);
  for (const auto& d : r.decisions) {
    if (d.fate == Fate::replace) {
      // Only while nothing of it is out: another process may have sent it since it was compared.
      if (!st.replace_delivery(d.recorded->id, plan.deliveries[d.planned],
                               [](const store::Delivery& now) { return !anything_out(now); }))
        throw Error(ExitCode::temp_fail, "announcement " + plan.announcement.id + ": " + d.recorded->department + " " +
                                             d.recorded->channel + " is being sent by another samvad process (or was sent "
                                             "just now) with its earlier content; nothing was sent: run this command again "
                                             "when that process has finished");
    } else if (d.fate == Fate::retry) {
      st.retry_failed_delivery(d.recorded->id);
    }
  }
  std::set<std::string> planned;
  for (const auto& p : plan.deliveries) planned.insert(p.department + "\x1f" + p.channel + "\x1f" + p.language);
  std::vector<store::Delivery> out;
  for (auto& d : st.deliveries(plan.announcement.id))
    if (planned.count(d.department + "\x1f" + d.channel + "\x1f" + d.language)) out.push_back(std::move(d));
  return out;
}

}  // namespace

RunReport run(const Plan& plan, const config::Config& config, const config::Credentials& credentials,
              const channel::Services& services, const EngineOptions& options, Observer& observer) {
  std::vector<store::Delivery> recorded;
  {
    store::Store st = store::Store::open(options.store_path);
    recorded = record_plan(st, plan, options.retry_failed);
  }
  const auto groups = by_department(recorded);
  std::atomic<std::size_t> next{0};
  std::mutex observer_mutex;
  auto tell = [&](const DeliveryReport& r) {
    std::lock_guard lock(observer_mutex);
    observer.settled(r);
  };
  auto note = [&](const std::string& line) {
    std::lock_guard lock(observer_mutex);
    observer.note(line);
  };
  auto sleep = options.sleep ? options.sleep : real_sleep;
  std::function<bool()> stopping = options.stopping ? options.stopping : [] { return false; };
  std::exception_ptr worker_error;
  std::mutex error_mutex;

  auto worker = [&] {
    try {
      store::Store st = store::Store::open(options.store_path);
      std::map<std::string, std::unique_ptr<channel::Sender>> senders;
      const store::Holder me = store::Holder::self();
      for (std::size_t g; (g = next.fetch_add(1)) < groups.size();) {
        for (long long id : groups[g]) {
          auto delivery = st.delivery(id);
          if (!delivery) continue;
          if (is_settled(delivery->status)) {
            tell(report_of(*delivery));
            continue;
          }
          if (stopping()) {
            DeliveryReport r = report_of(*delivery);
            r.error = "not started: samvad was asked to stop; the next run sends it";
            tell(r);
            continue;
          }
          if (!st.claim(id, me)) {
            DeliveryReport r = report_of(*delivery);
            r.status = store::DeliveryStatus::deferred;
            r.error = "another samvad process is sending this delivery now; it was left to that process";
            tell(r);
            continue;
          }
          delivery = st.delivery(id);  // what the previous holder left, now that it is ours
          const config::Department* department = config.find_department(delivery->department);
          channel::Outcome outcome;
          if (is_settled(delivery->status)) {
            outcome.status = delivery->status;
          } else if (!department) {
            outcome = channel::Outcome{store::DeliveryStatus::failed,
                              "department " + delivery->department + " is no longer in " + config.path.string()};
          } else {
            auto& sender = senders[delivery->channel];
            const channel::Spec* spec = registry::find(delivery->channel);
            if (!sender && spec) sender = spec->sender(services);
            st.set_delivery_status(id, store::DeliveryStatus::in_flight);
            st.add_delivery_attempt(id);
            channel::DeliveryContext context{*department, credentials, plan.media, options.retry, sleep,
                                    [&, dep = delivery->department](const std::string& line) { note(dep + ": " + line); },
                                    stopping};
            try {
              outcome = sender ? sender->deliver(st, *delivery, context)
                               : channel::Outcome{store::DeliveryStatus::failed,
                                                  "no channel '" + delivery->channel + "' in this samvad (" +
                                                      registry::listing(registry::names(), " and ") + ")"};
            } catch (const std::exception& e) {
              // Parts keep the state they were left in (an in-flight part is looked up before any
              // resend), so deferring is always safe.
              outcome = channel::Outcome{store::DeliveryStatus::deferred, e.what()};
            }
          }
          st.set_delivery_status(id, outcome.status, outcome.error);
          st.release(id, me);
          if (auto settled = st.delivery(id)) tell(report_of(*settled));
        }
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!worker_error) worker_error = std::current_exception();
    }
  };

  std::size_t thread_count = std::min<std::size_t>(std::max(1, options.jobs), std::max<std::size_t>(1, groups.size()));
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < thread_count; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  if (worker_error) std::rethrow_exception(worker_error);

  store::Store st = store::Store::open(options.store_path);
  std::vector<store::Delivery> after;
  for (const auto& d : recorded)
    if (auto now = st.delivery(d.id)) after.push_back(std::move(*now));
  RunReport report = report_of(plan.announcement.id, after);
  name_languages(report, config);
  return report;
}

}  // namespace samvad::delivery
