// Values that are valid for their type but probably not what the clerk meant, reported as
// warnings (never errors: a notice may rightly quote an English name in a Marathi text, or
// announce after the fact what happened yesterday):
//  - a date before the day the announcement is for (today, or a scheduled occurrence);
//  - a from/start date or time after its to/end (see paired_variable);
//  - a text value for a language written in another script that has letters but none of that
//    script (Latin letters only for Marathi).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/core/error.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variables.hpp>
#include <samvad/text/localize.hpp>

namespace samvad::templates {

// The day dates are compared with, and how a message names it: "today, 2026-12-04 in
// Asia/Kolkata" or "the occurrence at 2026-12-07T10:00".
struct ReferenceDay {
  text::CivilDate date;
  std::string described;
};

// The variable that ends the span `spec` starts: two date or two time variables whose names
// differ only in one word, from/to or start/end, as the words of the name separated by '_' or
// '-' ("from"/"to", "from_date"/"to_date", "closure-start"/"closure-end"); nullptr otherwise.
const VariableSpec* paired_variable(const Template& tmpl, const VariableSpec& spec);

// The warnings for `vars` of `tmpl` as posted in `languages`; dates are compared with `day`
// when given (check leaves it out for a template's examples, which are written once).
std::vector<Diagnostic> plausibility_warnings(const Template& tmpl, const ResolvedVariables& vars,
                                              const std::vector<LanguageCode>& languages,
                                              const std::optional<ReferenceDay>& day);

}  // namespace samvad::templates
