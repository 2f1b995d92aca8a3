// Who one department's email goes to: its list address and the people in its subscriber file,
// each once, and how they are cut into SMTP transactions (batches). The subscriber file is read
// as a stream, when counting and again when recording, so no list is ever held whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <samvad/core/error.hpp>
#include <samvad/email/settings.hpp>
#include <samvad/store/store.hpp>

namespace samvad::email {

struct RecipientScan {
  std::size_t count = 0;             // the list address first, then the subscribers, each once
  std::uint64_t digest = 0;          // sum of store::address_digest over them
  std::vector<Diagnostic> problems;  // invalid subscriber lines (skipped), with file:line
  std::size_t duplicates = 0;
};

// Reads the list's recipients in order (the list address, the addresses given in full, then the
// subscriber file), ASCII domains, each once, calling `each` (when given) with every one. A file
// that cannot be read throws Error (66, or 65 when it is over the size limit) pointing at the
// line of departments.yaml that names it.
RecipientScan scan_recipients(const ListSettings& list, const std::function<void(std::string&&)>& each = {});

// The list's recipients for a planned delivery, in batches of `batch_size` (at least 1): `scan`
// is what counting them found; recording reads the file again and refuses (75) a file that no
// longer holds the same addresses.
store::PlannedRecipients planned_recipients(const ListSettings& list, const RecipientScan& scan);

// How many batches `count` recipients make.
std::size_t batch_count(std::size_t count, int batch_size);

}  // namespace samvad::email
