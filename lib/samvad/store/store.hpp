// The delivery store: an embedded SQLite database recording every announcement, every
// delivery (department x channel x language) and every part of it (a thread's posts, an email's
// batches), marked in-flight before a request and settled after it, so a rerun resumes and a
// crash is never mistaken for "never sent". Claims keep two processes off the same delivery.
//
// On disk (schemas 1-11, see migrations.cpp): times are INTEGER milliseconds since the Unix epoch
// (UTC), so they sort and compare as numbers; statuses are the to_string() texts. The file is
// in WAL mode with synchronous=FULL: every status change is synced before the call returns,
// so a part marked in-flight survives a power cut that follows the request it precedes.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <samvad/core/error.hpp>
#include <samvad/store/database.hpp>
#include <samvad/store/inbox.hpp>
#include <samvad/store/location.hpp>

namespace samvad::store {

class ServerClaims;
struct StoreInfo;
struct CopyReport;

// Who holds a claim: a process on this machine, identified so that a dead holder (a crash,
// SIGKILL) is detected at once rather than after a timeout.
struct Holder {
  long long pid = 0;
  // Distinguishes a reused pid: the process start time in clock ticks since boot
  // (/proc/<pid>/stat field 22), then "@" and the kernel's boot id, because start times
  // restart at every boot and an early-boot service can get the same pid and tick again.
  std::string start_id;
  static Holder self();
  // The holder for a running process on this machine; nullopt when there is no such process.
  static std::optional<Holder> of(long long pid);
  bool alive() const;  // same pid and same start_id still running (a zombie is not running)

  friend bool operator==(const Holder&, const Holder&) = default;
};

enum class DeliveryStatus { pending, in_flight, delivered, deferred, failed, retracted };
enum class PartStatus { pending, in_flight, delivered, ambiguous, failed, retracted };
// A recipient of a part, for a channel that sends one part to many addresses (an email batch):
// delivered, deferred (put off by the other side: tried again by the next run) or rejected
// (refused for good: never tried again).
enum class RecipientStatus { pending, delivered, deferred, rejected };

std::string to_string(DeliveryStatus s);  // "pending", "in-flight", ...
std::string to_string(PartStatus s);
std::optional<DeliveryStatus> parse_delivery_status(std::string_view s);
std::optional<PartStatus> parse_part_status(std::string_view s);
std::string to_string(RecipientStatus s);
std::optional<RecipientStatus> parse_recipient_status(std::string_view s);

using Clock = std::chrono::system_clock;

struct Announcement {
  std::string id;
  std::string template_name;  // "" for a one-off --text post
  std::string request_json;   // what was asked (departments, channels, variables): never secrets
  Clock::time_point created_at;
  std::string operator_name;  // who recorded it ($SAMVAD_OPERATOR, else user@host); "" before schema 9
};

struct Part {
  int index = 0;        // 0-based order within the delivery
  std::string payload;  // what the channel sends as this part (a post's text, a batch's description)
  PartStatus status = PartStatus::pending;
  std::string remote_id;  // what the other side calls it (a post id, a Message-ID); "" until known
  int attempts = 0;
  std::string last_error;
  Clock::time_point updated_at;
};

// The store is the same for every channel: a delivery's opaque `content`, each part's opaque
// `payload` and `remote_id`, and, for a channel that needs it, each part's recipients with their
// own outcome. What these hold is the channel's business (channel::Spec reads them back).
struct Recipient {
  int part = 0;  // the part that reaches it (stored in the column `batch`)
  std::string address;
  RecipientStatus status = RecipientStatus::pending;
  std::string reply;  // the other side's answer, e.g. "550 5.1.1 No such user"
};

// A delivery's recipients in brief, read batch by batch however long the list: how many there
// are, how many were delivered, and who was refused for good or put off (by part, then planned
// order). `digest` is the sum of address_digest() over the addresses: the same for the same set
// whatever its order, so a list that changed since it was recorded is noticed without holding it.
struct RecipientTally {
  std::size_t total = 0;
  std::size_t delivered = 0;
  std::vector<Recipient> rejected;
  std::vector<Recipient> deferred;
  std::uint64_t digest = 0;
};

// One address's share of a set digest (RecipientTally::digest). Within one process only: it is
// never stored.
std::uint64_t address_digest(std::string_view address);

struct Delivery {
  long long id = 0;
  std::string announcement_id;
  std::string department;
  std::string channel;   // a registered channel's name
  std::string language;  // "mr", "en"; "*" when one delivery carries every language
  DeliveryStatus status = DeliveryStatus::pending;
  int attempts = 0;
  std::string last_error;
  Clock::time_point created_at;
  Clock::time_point updated_at;
  std::vector<Part> parts;
  std::string content;                // what the channel sends beyond the parts (an email's message, JSON)
  RecipientTally recipients;          // all zero for channels without recipients; each one: Store::recipients_of
  std::optional<Holder> holder;  // the process that has claimed it, if any (it may be dead)
  // Deferred by a rate limit: not to be tried before this (when the service takes requests again).
  std::optional<Clock::time_point> retry_at;
};

// The recipients of a planned delivery without holding them (a list of 200,000 would take tens of
// megabytes): how many, their digest (RecipientTally::digest), and how to read them again part by
// part from where they came from (a subscriber file) when they are recorded.
struct PlannedRecipients {
  std::size_t count = 0;
  std::uint64_t digest = 0;
  // Calls `each(part, addresses)` for each part that has recipients, in order. Throws Error when
  // the source no longer holds what was counted (the file changed): nothing is then recorded.
  std::function<void(const std::function<void(int part, std::vector<std::string>&& addresses)>& each)> read;
};

// Recipients already in memory (tests, a digest's few heads), as PlannedRecipients.
PlannedRecipients fixed_recipients(std::vector<std::vector<std::string>> parts);

// What a new delivery should look like when an announcement is first recorded.
struct PlannedDelivery {
  std::string department;
  std::string channel;
  std::string language;
  std::vector<std::string> part_payloads;
  std::string content;
  PlannedRecipients recipients;  // for a channel that sends one part to many addresses; count 0 otherwise
};

// An announcement and its plan, for recording many at once.
struct PlannedAnnouncement {
  Announcement announcement;
  std::vector<PlannedDelivery> deliveries;
};

// What run-due decided for one occurrence of a schedule entry.
struct OccurrenceRecord {
  std::string announcement_id;
  std::string entry;
  std::string occurrence;  // local time "2026-12-03T07:00"
  std::string outcome;     // "posted", "superseded", "skipped"
  std::string reason;
  Clock::time_point recorded_at;
};

// What one billed request cost (or, for reads, one request of `quantity` items).
struct CostRecord {
  std::string channel;
  std::string department;
  std::string announcement_id;  // "" when no announcement made the request
  std::string kind;             // the channel's name for the request: "post", "post_with_url", "read"
  long long quantity = 1;
  long long micro_usd = 0;  // millionths of a US dollar, for all `quantity` of them
  Clock::time_point recorded_at;
};

// A part of a delivery that holds a remote id (a tweet id): whose post it is.
struct RemoteIdOwner {
  long long delivery_id = 0;
  std::string announcement_id;
  std::string department;
  std::string language;
  int index = 0;
};

struct HistoryDelivery {
  std::string department;
  std::string channel;
  std::string language;
  DeliveryStatus status = DeliveryStatus::pending;
};

// An announcement held back until someone approves it (schema 10). What is sent once approved is
// what was recorded with it: its deliveries and parts, and these images.
enum class ApprovalState { awaiting, approved, rejected };
std::string to_string(ApprovalState s);  // "awaiting", "approved", "rejected"
std::optional<ApprovalState> parse_approval_state(std::string_view s);

struct Approval {
  std::string announcement_id;
  std::string kind;  // a template kind, "text" or "reply"
  ApprovalState state = ApprovalState::awaiting;
  std::string submitted_by;
  Clock::time_point submitted_at;
  std::string decided_by;  // "" while awaiting
  std::optional<Clock::time_point> decided_at;
  std::string reason;             // a rejection's
  std::string media_json = "[]";  // [{"file": absolute path, "sha256", "alt": {lang: text}}]
  std::string reply_channel;      // a reply: the inbox item it answers
  std::string reply_item;
};

// Who did what to an announcement besides recording it.
struct AnnouncementEvent {
  std::string announcement_id;
  Clock::time_point at;
  std::string operator_name;
  std::string action;  // "submitted", "approved", "rejected", "retracted"
  std::string detail;  // a rejection's reason, the departments retracted, ...
};

// A schedule entry's content (template and variables) as someone approved it.
struct ScheduleApproval {
  std::string entry;
  std::string digest;
  std::string approved_by;
  Clock::time_point approved_at;
};

struct HistoryEntry {
  Announcement announcement;
  std::optional<ApprovalState> approval;  // when it needed one
  std::vector<AnnouncementEvent> events;  // approvals, rejections, retractions, in order
  std::vector<std::string> departments;
  std::string status;  // "delivered", "partial", "deferred", "failed", "pending", "retracted"
  std::size_t deliveries = 0;
  std::vector<HistoryDelivery> items;  // its deliveries, in recording order
};

class Store {
 public:
  // Opens (creating the file and its folder on first use) and migrates the schema.
  // Errors: cannot create -> ExitCode::cant_create (73); a newer schema than this samvad
  // knows, a corrupt or non-samvad file -> ExitCode::config (78); read-only -> 73; another
  // process holding the write lock for longer than the busy timeout -> temp_fail (75).
  // A file that is not samvad's is never written to, reset or replaced.
  // A PostgreSQL URL opens the store on that server instead (store/postgres.hpp says which
  // servers are accepted and what each failure exits with); a new database gets samvad's tables.
  static Store open(const Location& location);
  // The schema version this samvad creates and understands.
  static int known_schema_version();
  // `flag` (--state), else $SAMVAD_STATE, else $XDG_STATE_HOME/samvad/state.db, else
  // $HOME/.local/state/samvad/state.db (empty variables count as unset).
  static std::filesystem::path default_path(const std::optional<std::string>& flag);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int schema_version() const;
  // The file's path, or the server's URL without its password.
  const std::filesystem::path& path() const { return path_; }
  Backend backend() const { return db_->backend(); }

  // Records the announcement and its deliveries if it is new; an existing announcement
  // keeps its recorded deliveries and parts (a rerun resumes what was planned first), and
  // deliveries planned now that it lacks are added. Returns every delivery in the order it
  // was first planned (delivery id order), parts in index order.
  std::vector<Delivery> record_announcement(const Announcement& a, const std::vector<PlannedDelivery>& plan);
  // The same for many announcements in one transaction (one sync to disk instead of one
  // each): imports, benchmarks and tests that need a large history.
  void record_announcements(const std::vector<PlannedAnnouncement>& batch);

  std::optional<Announcement> announcement(const std::string& id) const;
  std::optional<std::string> latest_announcement_id() const;  // by created_at, then recording order
  std::vector<Delivery> deliveries(const std::string& announcement_id) const;
  std::optional<Delivery> delivery(long long delivery_id) const;
  // Announcements newest first (created_at, then recording order), only those with a delivery
  // to `department` and created at or after `since` when given; at most `limit` of them
  // (limit <= 0: all). Departments are listed in the order first planned.
  std::vector<HistoryEntry> history(const std::optional<std::string>& department,
                                    const std::optional<Clock::time_point>& since, int limit) const;

  // Takes the delivery for `holder` unless another live holder has it. A claim whose holder
  // is dead is taken over. Returns false when someone else (alive) holds it. On a server the
  // claim is a row lock of this Store's (store/server_claims.hpp), whatever `holder` says, and
  // ends at release() or when this Store, or its process, ends.
  bool claim(long long delivery_id, const Holder& holder);
  // Drops the claim if `holder` has it (someone else's claim is left alone).
  void release(long long delivery_id, const Holder& holder);

  // Each of these commits before returning, so what is on disk is always the truth.
  // `error` replaces last_error (empty clears it); a part's remote_id is only ever replaced by
  // a non-empty one, so a known tweet id is never forgotten; each move of a part to in_flight
  // counts one attempt, since it precedes one request; a delivery's retry_at is replaced with
  // `retry_at` (none clears it). An unknown delivery or part throws Error(ExitCode::software).
  void set_delivery_status(long long delivery_id, DeliveryStatus status, const std::string& error = {},
                           std::optional<Clock::time_point> retry_at = std::nullopt);
  void add_delivery_attempt(long long delivery_id);
  void set_part_status(long long delivery_id, int index, PartStatus status, const std::string& remote_id = {},
                       const std::string& error = {});
  // Gives a delivery new content (content, parts, recipients from `plan`) when `replaceable`
  // holds for it as it is now and no other live process holds it, all in one transaction; the
  // delivery becomes pending and what it held before is kept in replaced_deliveries. Returns
  // false, changing nothing, otherwise.
  bool replace_delivery(long long delivery_id, const PlannedDelivery& plan,
                        const std::function<bool(const Delivery&)>& replaceable);
  // Makes a failed delivery pending again (--retry-failed): its failed parts become pending,
  // everything delivered stays as it is. False, changing nothing, when it is not failed (any
  // more) or another live process holds it.
  bool retry_failed_delivery(long long delivery_id);
  // The part of another delivery of the same channel than `delivery_id` that holds `remote_id`,
  // if any: a post found by its text on the remote side may be another announcement's.
  std::optional<RemoteIdOwner> remote_id_owner(long long delivery_id, const std::string& remote_id) const;
  // Records part `index` as `status` with a `remote_id` that was looked up on the remote side
  // (its answer was lost) rather than answered, unless a part of another delivery of the same
  // channel already holds that id: then nothing is written and that part is returned. The check
  // and the write are one transaction, so two processes recovering at once never both take one
  // post, and no delivery ever records a post that is another's.
  std::optional<RemoteIdOwner> adopt_remote_id(long long delivery_id, int index, const std::string& remote_id,
                                               PartStatus status, const std::string& error = {});
  // Records what run-due decided for an occurrence; the first record of an announcement id
  // stays (returns false when one existed).
  bool record_occurrence(const OccurrenceRecord& record);
  std::optional<OccurrenceRecord> occurrence(const std::string& announcement_id) const;
  // The entry's records, latest occurrence first.
  std::vector<OccurrenceRecord> occurrences(const std::string& entry) const;

  // Records what a request cost (its own transaction; synced like every write). recorded_at is
  // taken as given: the caller's clock says when the request was answered.
  void record_cost(const CostRecord& cost);
  // What `channel` cost over [since, until), in millionths of a US dollar: of `department`, or
  // of every department when none is given.
  long long spend(const std::string& channel, const std::optional<std::string>& department, Clock::time_point since,
                  Clock::time_point until) const;
  // The costs recorded for an announcement, in recording order.
  std::vector<CostRecord> costs(const std::string& announcement_id) const;

  // Part `part`'s recipients in planned order, each with its outcome so far.
  std::vector<Recipient> recipients_of(long long delivery_id, int part) const;
  // Records one part's outcome for its recipients in one transaction: each recipient's status
  // and reply (recipients not listed keep theirs; a transaction was answered, so the part's
  // recipients never listed as anything else count as delivered from now on), then the part's
  // status, remote_id and error as above.
  void settle_recipients(long long delivery_id, int index, const std::vector<Recipient>& outcomes, PartStatus status,
                         const std::string& remote_id = {}, const std::string& error = {});

  // The inbox (store/inbox.hpp, defined in inbox.cpp). A department's cursors on a channel
  // (empty ones before its first sync).
  ListenState listen_state(const std::string& channel, const std::string& department) const;
  void set_listen_state(const std::string& channel, const std::string& department, const ListenState& state);
  // Records the items not yet recorded (by channel and id), linking each that answers a post of
  // an announcement (its in_reply_to or its conversation) to it, in one transaction; returns the
  // new ones as recorded. An item seen again keeps what it has (its department, its state).
  std::vector<InboxItem> record_heard(const std::vector<InboxItem>& items);
  // The own posts that reply to a recorded item (in_reply_to, else the same conversation for items
  // made before the post) answer it "from the app"; returns the ids of the items newly answered.
  std::vector<std::string> record_own_posts(const std::string& channel, const std::vector<OwnPost>& posts);
  // A reply samvad posted: the item becomes answered (unless closed) at its first reply.
  void record_reply(const std::string& channel, const std::string& item_id, const std::string& reply_id,
                    Clock::time_point at);
  // An item by its id (on any channel); nullopt when none.
  std::optional<InboxItem> inbox_item(const std::string& id) const;
  // Items matching the query, newest first.
  std::vector<InboxItem> inbox_items(const InboxQuery& query) const;
  // Closes an item (with an optional note) or gives it to another department, recording who and
  // when; false when the item does not exist.
  bool close_item(const std::string& channel, const std::string& id, const std::string& note,
                  const std::string& operator_name, Clock::time_point at);
  bool route_item(const std::string& channel, const std::string& id, const std::string& department,
                  const std::string& operator_name, Clock::time_point at);
  std::vector<InboxEvent> inbox_events(const std::string& channel, const std::string& id) const;

  // Approvals (defined in approvals.cpp). Records the announcement and its deliveries as
  // record_announcement does and holds it for approval (with a "submitted" event), in one
  // transaction; an announcement already held keeps its approval as it is. Returns the approval as
  // it now stands.
  Approval submit_for_approval(const Announcement& a, const std::vector<PlannedDelivery>& plan,
                               const Approval& approval);
  std::optional<Approval> approval(const std::string& announcement_id) const;
  // What awaits approval, oldest first.
  std::vector<Approval> awaiting_approval() const;
  // Moves an awaiting approval to `state` (approved or rejected) with its event, in one
  // transaction; false, changing nothing, when it does not await approval (any more).
  bool decide_approval(const std::string& announcement_id, ApprovalState state, const std::string& operator_name,
                       const std::string& reason, Clock::time_point at);
  void record_event(const AnnouncementEvent& event);
  std::vector<AnnouncementEvent> events(const std::string& announcement_id) const;
  // The entry's approval is replaced by this one.
  void approve_schedule_entry(const ScheduleApproval& approval);
  std::optional<ScheduleApproval> schedule_approval(const std::string& entry) const;
  // announcement_status(), unless the announcement awaits approval ("awaiting-approval") or was
  // rejected ("rejected").
  std::string status_of(const std::string& announcement_id) const;

 private:
  // Whole-store tools (store/admin.hpp) read and write every table.
  friend StoreInfo store_info(const Store& store);
  friend CopyReport copy_history(const Store& from, Store& to);
  Store(std::unique_ptr<Database> db, std::filesystem::path path);
  // Someone other than this Store holds the delivery; inside a write transaction.
  bool held_by_another(const Delivery& d);
  std::unique_ptr<Database> db_;
  std::filesystem::path path_;
  std::unique_ptr<ServerClaims> claims_;  // on a server only
};

// A recorded delivery's recipients as PlannedRecipients: its count and digest as tallied, the
// addresses read again part by part from the store at `location` only when asked for, so a plan
// made of what was recorded (an approval) holds no list, whatever its size.
PlannedRecipients recorded_recipients(const Location& location, const Delivery& delivery);

// The status of a whole announcement from its deliveries, the first rule that applies:
//   "pending"    no deliveries at all;
//   "failed"     any delivery failed;
//   "deferred"   any delivery deferred or in_flight, or any part in_flight or ambiguous: not
//                settled yet, a rerun (or the process sending it now) has work to do;
//   "retracted"  every delivery retracted;
//   "delivered"  every delivery delivered or retracted;
//   "partial"    some delivery delivered or retracted, or some part delivered, others pending;
//   "pending"    everything pending.
std::string announcement_status(const std::vector<Delivery>& deliveries);
// The status of an announcement that needed approval: "awaiting-approval" or "rejected" while
// it is held or refused, else `delivery_status` (from announcement_status).
std::string approval_status(std::optional<ApprovalState> approval, const std::string& delivery_status);

}  // namespace samvad::store
