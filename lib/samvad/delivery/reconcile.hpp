// A plan for an announcement id the store already holds: what was recorded is compared with
// what would be sent now, so that a changed template or vars file, or an --id used again, never
// silently sends (or reports as delivered) anything other than what the user was shown. Pure:
// the plan and the recorded deliveries in, one decision per planned delivery out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/core/error.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/store/store.hpp>

namespace samvad::delivery {

enum class Fate {
  send,      // new, or recorded with the same content and something still to send
  done,      // recorded with the same content and settled (delivered, retracted): nothing is sent
  failed,    // recorded as failed: sent again only with --retry-failed
  retry,     // failed, --retry-failed, same content: its failed parts are sent again
  replace,   // recorded as retracted, or failed with --retry-failed, nothing of it is out, and the
             // content changed: the new content replaces the recorded one and is sent
  conflict,  // recorded, and the content changed otherwise: refused
};

std::string to_string(Fate fate);  // "send", "done", ...

struct Decision {
  std::size_t planned = 0;                   // index into Plan::deliveries
  std::optional<store::Delivery> recorded;   // the delivery the store holds for the same key
  Fate fate = Fate::send;
  std::string difference;  // replace / conflict: what differs, e.g. "part 2 of 3: recorded «…», now «…»"
};

// Whether a delivery with this fate is sent by a run (send, retry, replace).
bool sends(Fate fate);
// Which of a planned delivery's `parts` a run leaves out because they are out already: those the
// store holds as delivered (none when the delivery is new or replaced).
std::vector<bool> parts_sent(const Decision& decision, std::size_t parts);

struct Reconciliation {
  std::string announcement_id;
  std::vector<Decision> decisions;  // in plan order
  std::vector<Diagnostic> notes;    // what the user should know, e.g. a subscriber list that changed

  bool conflicts() const;
  // True when running the plan would send something (a delivery to send, retry or replace).
  bool sends_anything() const;
  // Error(ExitCode::data) naming every conflicting delivery, what differs and how to go on.
  [[noreturn]] void refuse() const;
};

// Some part of the delivery is (or may be) in public: posted, sent to a recipient, or in flight
// with its answer lost. Retracted posts are gone and do not count.
bool anything_out(const store::Delivery& delivery);

// What differs between what was recorded and what is planned now, in words; "" when they would
// send the same. Email batches get new Message-IDs every time they are planned and recipients
// come from the list as it was first planned, so an email compares by its message.
std::string content_difference(const store::Delivery& recorded, const store::PlannedDelivery& planned);

// `retry_failed`: --retry-failed, failed deliveries are sent again.
Reconciliation reconcile(const Plan& plan, const std::vector<store::Delivery>& recorded, bool retry_failed);

}  // namespace samvad::delivery
