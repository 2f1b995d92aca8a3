// Approvals as library calls: which content needs a second pair of eyes (departments.yaml
// `approvals:`), holding it back when it is posted (recorded whole, nothing sent), what awaits,
// approving it (sent as recorded, never rendered again) or rejecting it (never sent), and
// approving a schedule entry's content so run-due may post its occurrences.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <samvad/app/post.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/delivery/cost.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/delivery/reconcile.hpp>
#include <samvad/schedule/schedule.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

// What `approvals.required` may name: every template kind, "text" (post --text), "reply"
// (samvad reply), and "all".
std::vector<std::string> approval_kinds();
// Error(78) naming file:line:column of each kind in an `approvals:` block that is none of those.
void check_approval_kinds(const config::Config& config);

struct ApprovalPolicy {
  bool required = false;
  bool two_person = false;  // the approver must not be who submitted it
};
// What the approvals of `departments` ask of content of `kind`: approval when any of them
// requires it, two people when any of those that require it says so.
ApprovalPolicy approval_policy(const config::Config& config, const std::string& kind,
                               const std::vector<std::string>& departments);
// The same for the departments the plan delivers to.
ApprovalPolicy approval_policy(const config::Config& config, const std::string& kind, const delivery::Plan& plan);

// The inbox item a reply answers, kept with its approval so the item is marked answered when
// the approved reply goes out.
struct ReplyItem {
  std::string channel;
  std::string id;
};

// Records the prepared announcement whole and holds it for approval (nothing is sent). Returns
// the approval as it stands: awaiting (new, or held already), or approved (the caller then
// sends it: a rerun resumes what was approved). Throws 65 when it was rejected.
store::Approval submit_for_approval(const Workspace& workspace, const PreparedPost& post,
                                    const std::optional<ReplyItem>& reply = std::nullopt);

// What awaits approval, oldest first, with what it goes to.
struct PendingApproval {
  store::Approval approval;
  store::Announcement announcement;
  std::vector<std::string> departments;
  std::vector<std::string> channels;
};
std::vector<PendingApproval> pending_approvals(const Workspace& workspace);
nlohmann::json to_json(const std::vector<PendingApproval>& pending, const std::string& time_zone);

// An announcement about to be approved: exactly what was recorded, as a plan the engine sends.
struct ApprovalTarget {
  store::Approval approval;
  delivery::Plan plan;  // the recorded deliveries and parts, and the recorded images
  delivery::Reconciliation reconciliation;
  delivery::CostEstimate cost;
};
// Throws 66 for an id the store does not hold, 65 for one that does not await approval
// (never needed it, approved or rejected already: saying by whom and when), 65 when two people
// are required and the operator is the one who submitted it, 65 when a recorded image changed.
ApprovalTarget open_approval(const Workspace& workspace, const std::string& id);
// Records the approval by this operator; 65 when someone decided it in the meantime.
void approve(const Workspace& workspace, const ApprovalTarget& target);
// After an approved reply was sent: its delivered posts answer the inbox item.
void record_approved_reply(const Workspace& workspace, const store::Approval& approval);

// Records the rejection by this operator: 64 without a reason, 66 for an unknown id, 65 when it
// does not await approval.
store::Approval reject(const Workspace& workspace, const std::string& id, const std::string& reason);

// A schedule entry's content as approvals judge it: the template (its file and images), the
// variables, departments and channels, as a SHA-256. The occurrence's time is not part of it.
std::string schedule_digest(const Workspace& workspace, const schedule::Entry& entry);
// Records that the operator approved the entry's content as it is now; returns the digest.
store::ScheduleApproval approve_schedule_entry(const Workspace& workspace, const schedule::Entry& entry);

// What approving the entry approves, to show: its content as its next occurrence after `now`
// (else `now` itself) would post it.
delivery::Plan schedule_entry_plan(const Workspace& workspace, const schedule::Entry& entry,
                                   const schedule::LocalTime& now);

// run-due: whether an occurrence's content is the one approved for its entry.
bool schedule_content_approved(const Workspace& workspace, const schedule::Entry& entry);

}  // namespace samvad::app
