#include <samvad/delivery/engine.hpp>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include <samvad/registry/channels.hpp>
#include <samvad/text/timestamp.hpp>

namespace samvad::delivery {

namespace {

bool real_sleep(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
  return true;
}

// A recorded delivery by its id and department: what the run keeps of it while sending (its
// parts, thousands for a big list, are read again by the worker that sends it).
struct DeliveryKey {
  long long id = 0;
  std::string department;
};

// The deliveries of each department, departments in plan order.
std::vector<std::vector<long long>> by_department(const std::vector<DeliveryKey>& deliveries) {
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

// "4 h 59 min", "12 min", "40 s": how long until `t`, rounded up.
std::string time_until(store::Clock::time_point t, store::Clock::time_point now) {
  using namespace std::chrono;
  const long long s = std::max<long long>(0, duration_cast<seconds>(t - now + seconds(1) - milliseconds(1)).count());
  if (s < 60) return std::to_string(s) + " s";
  const long long minutes = (s + 59) / 60;
  if (minutes < 60) return std::to_string(minutes) + " min";
  return std::to_string(minutes / 60) + " h" + (minutes % 60 ? " " + std::to_string(minutes % 60) + " min" : "");
}

}  // namespace

Reconciliation reconcile_with_store(const Plan& plan, const store::Location& store_path, bool retry_failed) {
  std::vector<store::Delivery> recorded;
  if (store_path.exists()) recorded = store::Store::open(store_path).deliveries(plan.announcement.id);
  Reconciliation r = reconcile(plan, recorded, retry_failed);
  if (r.conflicts()) r.refuse();
  return r;
}

namespace {

// An announcement held for approval is sent only once approved, and only as it was approved:
// whatever path asks (post run again, run-due, approve), a rejected one never, one awaiting
// approval not yet, and one approved only with the deliveries and content it was recorded with.
void check_approval(const store::Store& st, const Plan& plan, const Reconciliation& r) {
  const auto held = st.approval(plan.announcement.id);
  if (!held) return;
  const std::string& id = plan.announcement.id;
  if (held->state == store::ApprovalState::rejected)
    throw Error(ExitCode::data, "announcement " + id + " was rejected by " + held->decided_by + " (" + held->reason +
                                    "); a rejected announcement is never sent: nothing was sent");
  if (held->state == store::ApprovalState::awaiting)
    throw Error(ExitCode::temp_fail, "announcement " + id + " awaits approval (submitted by " + held->submitted_by +
                                         "); nothing was sent: samvad approve " + id + " sends it");
  for (const auto& d : r.decisions)
    if (!d.recorded || d.fate == Fate::replace)
      throw Error(ExitCode::data, "announcement " + id + " was approved with other content than this run would send (" +
                                      plan.deliveries[d.planned].department + " " + plan.deliveries[d.planned].channel +
                                      "); nothing was sent: expected the approved content, or another --id to submit "
                                      "the new content for approval");
}

// Brings the store in line with the plan: records new deliveries, replaces or re-opens those
// the reconciliation says, and returns the recorded deliveries of the plan, in recording order.
std::vector<store::Delivery> record_plan(store::Store& st, const Plan& plan, bool retry_failed) {
  Reconciliation r = reconcile(plan, st.deliveries(plan.announcement.id), retry_failed);
  if (r.conflicts()) r.refuse();
  check_approval(st, plan, r);
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

namespace {

// One run of the engine: worker threads take departments off a shared list; each sends its
// department's deliveries in order through one sender per channel.
class EngineRun {
 public:
  EngineRun(const Plan& plan, const config::Config& config, const config::Credentials& credentials,
            const channel::Services& services, const EngineOptions& options, Observer& observer)
      : plan_(plan),
        config_(config),
        credentials_(credentials),
        services_(services),
        options_(options),
        observer_(observer),
        sleep_(options.sleep ? options.sleep : real_sleep),
        stopping_(options.stopping ? options.stopping : [] { return false; }) {}

  // Sends every group (department) with up to options.jobs threads; rethrows what stopped a worker.
  void send(const std::vector<std::vector<long long>>& groups) {
    groups_ = &groups;
    const std::size_t count = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, options_.jobs)),
                                                    std::max<std::size_t>(1, groups.size()));
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < count; ++i) threads.emplace_back([this] { worker(); });
    for (auto& t : threads) t.join();
    if (worker_error_) std::rethrow_exception(worker_error_);
  }

 private:
  using Senders = std::map<std::string, std::unique_ptr<channel::Sender>>;

  void worker() {
    try {
      store::Store st = store::Store::open(options_.store_path);
      Senders senders;
      const store::Holder me = store::Holder::self();
      for (std::size_t g; (g = next_.fetch_add(1)) < groups_->size();)
        for (long long id : (*groups_)[g]) deliver(st, senders, id, me);
    } catch (...) {
      std::lock_guard lock(error_mutex_);
      if (!worker_error_) worker_error_ = std::current_exception();
    }
  }

  // One delivery: skipped when settled, left alone when another live process holds it, else
  // claimed, sent and released, and told to the observer as it now stands.
  void deliver(store::Store& st, Senders& senders, long long id, const store::Holder& me) {
    auto delivery = st.delivery(id);
    if (!delivery) return;
    if (is_settled(delivery->status)) return tell(report_of(*delivery));
    // A rate limit that has not reset refuses whatever is sent before then: nothing is.
    if (const auto now = store::Clock::now(); delivery->retry_at && *delivery->retry_at > now)
      return tell(report_of(*delivery), store::DeliveryStatus::deferred,
                  "nothing sent: it waits " + time_until(*delivery->retry_at, now) + " more for the rate limit (" +
                      delivery->last_error + ")");
    if (stopping_())
      return tell(report_of(*delivery), std::nullopt, "not started: samvad was asked to stop; the next run sends it");
    if (!st.claim(id, me))
      return tell(report_of(*delivery), store::DeliveryStatus::deferred,
                  "another samvad process is sending this delivery now; it was left to that process");
    delivery = st.delivery(id);  // what the previous holder left, now that it is ours
    channel::Outcome outcome =
        is_settled(delivery->status) ? channel::Outcome{delivery->status, ""} : attempt(st, senders, *delivery);
    if (outcome.status != store::DeliveryStatus::deferred) outcome.retry_at.reset();
    if (outcome.retry_at)
      outcome.error += "; not before " + text::format_timestamp(*outcome.retry_at, config_.organization.timezone) +
                       " (" + config_.organization.timezone +
                       "), when the limit resets: a run before then sends nothing";
    st.set_delivery_status(id, outcome.status, outcome.error, outcome.retry_at);
    st.release(id, me);
    if (auto settled = st.delivery(id)) tell(report_of(*settled));
  }

  channel::Outcome attempt(store::Store& st, Senders& senders, const store::Delivery& delivery) {
    const config::Department* department = config_.find_department(delivery.department);
    if (!department)
      return {store::DeliveryStatus::failed,
              "department " + delivery.department + " is no longer in " + config_.path.string()};
    channel::Sender* sender = sender_for(senders, delivery.channel);
    if (!sender)
      return {store::DeliveryStatus::failed, "no channel '" + delivery.channel + "' in this samvad (" +
                                                 registry::listing(registry::names(), " and ") + ")"};
    st.set_delivery_status(delivery.id, store::DeliveryStatus::in_flight);
    st.add_delivery_attempt(delivery.id);
    channel::DeliveryContext context{
        *department, credentials_,
        plan_.media, options_.retry,
        sleep_,      [this, dep = delivery.department](const std::string& line) { note(dep + ": " + line); },
        stopping_};
    try {
      return sender->deliver(st, delivery, context);
    } catch (const std::exception& e) {
      // Parts keep the state they were left in (an in-flight part is looked up before any
      // resend), so deferring is always safe.
      return {store::DeliveryStatus::deferred, e.what()};
    }
  }

  channel::Sender* sender_for(Senders& senders, const std::string& channel) {
    auto& sender = senders[channel];
    if (!sender && options_.senders)
      sender = options_.senders(channel);
    else if (!sender)
      if (const channel::Spec* spec = registry::find(channel)) sender = spec->sender(services_);
    return sender.get();
  }

  void tell(DeliveryReport report, std::optional<store::DeliveryStatus> status = std::nullopt,
            std::optional<std::string> error = std::nullopt) {
    if (status) report.status = *status;
    if (error) report.error = std::move(error);
    std::lock_guard lock(observer_mutex_);
    observer_.settled(report);
  }

  void note(const std::string& line) {
    std::lock_guard lock(observer_mutex_);
    observer_.note(line);
  }

  const Plan& plan_;
  const config::Config& config_;
  const config::Credentials& credentials_;
  const channel::Services& services_;
  const EngineOptions& options_;
  Observer& observer_;
  std::function<bool(std::chrono::milliseconds)> sleep_;
  std::function<bool()> stopping_;
  const std::vector<std::vector<long long>>* groups_ = nullptr;
  std::atomic<std::size_t> next_{0};
  std::mutex observer_mutex_;
  std::mutex error_mutex_;
  std::exception_ptr worker_error_;
};

}  // namespace

RunReport run(const Plan& plan, const config::Config& config, const config::Credentials& credentials,
              const channel::Services& services, const EngineOptions& options, Observer& observer) {
  std::vector<DeliveryKey> recorded;
  {
    store::Store st = store::Store::open(options.store_path);
    for (auto& d : record_plan(st, plan, options.retry_failed)) recorded.push_back({d.id, std::move(d.department)});
  }
  EngineRun(plan, config, credentials, services, options, observer).send(by_department(recorded));

  store::Store st = store::Store::open(options.store_path);
  std::vector<store::Delivery> after;
  for (const auto& d : recorded)
    if (auto now = st.delivery(d.id)) after.push_back(std::move(*now));
  RunReport report = report_of(plan.announcement.id, after);
  name_languages(report, config);
  report.time_zone = config.organization.timezone;
  return report;
}

}  // namespace samvad::delivery
