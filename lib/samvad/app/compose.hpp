// From a template name, departments and variables to the rendered messages: shared by
// `preview` (show them) and `post` (plan and send them), so both see exactly the same text.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/app/workspace.hpp>
#include <samvad/delivery/plan.hpp>
#include <samvad/templates/render.hpp>
#include <samvad/templates/template.hpp>
#include <samvad/templates/variables.hpp>

namespace samvad::app {

struct ComposeRequest {
  std::string template_name;
  std::vector<std::string> departments;
  bool all = false;
  std::vector<std::string> var_arguments;  // --var k=v / k.LANG=v, in order
  std::optional<std::string> vars_file;    // --vars FILE
  bool use_examples = false;               // --example
  templates::Variables vars;               // given directly (a schedule entry's vars), under the file and --var
  std::optional<std::string> occurrence;   // "2026-12-20T10:00" local; default: now
  // The channels the announcement goes to; empty: every channel. Only their contents are
  // rendered and judged.
  std::vector<std::string> channels;
  // What else names the announcement (post --media, --attach, --id): its id is known before the
  // texts are rendered, so they can use what depends on it ({{feed.url}}).
  std::vector<channel::MediaItem> media;
  std::vector<channel::Attachment> attachments;
  std::optional<std::string> id;
};

struct Composed {
  templates::Template tmpl;
  templates::Variables given;           // as the user gave them (file merged with the command line)
  templates::ResolvedVariables vars;    // checked against the template
  std::vector<const config::Department*> departments;
  std::string announcement_id;               // what plan_template will name it
  std::vector<templates::Message> messages;  // one per department, same order, for request.channels
  // Undeclared variables, and values that are valid but look wrong (templates/plausibility.hpp),
  // dates judged against the occurrence.
  std::vector<Diagnostic> warnings;
};

// Throws Error: 64 for bad departments, 66 for a missing template or vars file, 65 for bad
// variables or rendered content (what a department's channel settings refuse of it included),
// 78 for a broken template.
Composed compose(const Workspace& workspace, const ComposeRequest& request);

// What the department's chosen channels (all of its channels when `channels` is empty) refuse of
// the template as rendered for it (channel::Spec::check_message), e.g. a thread where the X
// account's threads are off. compose throws these (65); check lists them.
std::vector<Diagnostic> refused_by_channels(const templates::Template& tmpl, const config::Department& department,
                                            const templates::Message& message,
                                            const std::vector<std::string>& channels);

// What of a template the department's chosen channels send (all its channels when `channels` is
// empty): only that is rendered and judged.
templates::Contents contents_for(const config::Department& department, const std::vector<std::string>& channels);

// The composed announcement as the planner takes it (delivery::plan_template).
delivery::TemplateRequest template_request(const Composed& composed);

}  // namespace samvad::app
