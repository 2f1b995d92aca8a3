#include <samvad/app/compose.hpp>

#include <samvad/registry/channels.hpp>

#include <algorithm>

#include <samvad/schedule/cron.hpp>
#include <samvad/templates/plausibility.hpp>

namespace samvad::app {

Composed compose(const Workspace& workspace, const ComposeRequest& request) {
  Composed c;
  c.departments = select_departments(workspace.config, request.departments, request.all);
  c.tmpl = templates::load_template(templates::find_template(workspace.templates_dir, request.template_name));
  // A reply answers one citizen's post: there is nothing for a schedule to answer.
  if (request.occurrence && c.tmpl.kind == "reply")
    throw Error(ExitCode::config, "template '" + c.tmpl.name +
                                      "' is a reply, which answers one citizen's post (samvad reply ID " + c.tmpl.name +
                                      "); expected a template of another kind in a schedule entry");

  c.given = request.vars;
  if (request.vars_file) templates::merge(c.given, templates::load_vars_file(*request.vars_file));
  templates::Variables from_command_line;
  for (const auto& arg : request.var_arguments) templates::add_var_argument(from_command_line, arg);
  templates::merge(c.given, from_command_line);

  // Values are needed only in the languages the chosen departments post in.
  std::vector<LanguageCode> languages;
  for (const auto* d : c.departments)
    for (const auto& lang : d->languages)
      if (std::find(languages.begin(), languages.end(), lang) == languages.end()) languages.push_back(lang);
  c.vars = templates::resolve_variables(c.tmpl, c.given, request.use_examples, c.warnings, languages);
  const std::string& zone = workspace.config.organization.timezone;
  c.vars.occurrence = request.occurrence ? *request.occurrence
                                         : schedule::to_iso(schedule::to_local(std::chrono::system_clock::now(), zone));
  // Dates are judged against the day the announcement is for: a scheduled occurrence's day, so
  // check and run-due agree on what an entry will say when it is posted.
  if (auto when = schedule::parse_local_time(c.vars.occurrence)) {
    templates::ReferenceDay day{text::CivilDate{when->year, when->month, when->day}, ""};
    day.described = request.occurrence ? "the occurrence at " + c.vars.occurrence
                                       : "today, " + text::format_iso_date(day.date) + " in " + zone;
    auto hints = templates::plausibility_warnings(c.tmpl, c.vars, languages, day);
    c.warnings.insert(c.warnings.end(), hints.begin(), hints.end());
  }

  c.announcement_id = delivery::template_announcement_id(c.tmpl, c.given, c.departments, request.media,
                                                         request.attachments, request.id);
  for (const auto* d : c.departments)
    for (const auto& spec : registry::channels()) {
      // Whatever channels this run uses: a text says the same on every run of the announcement.
      if (spec.template_values && d->uses(spec.name))
        c.vars.channel_values[d->id][spec.name] = spec.template_values(*d, c.announcement_id);
    }
  for (const auto* d : c.departments)
    c.messages.push_back(templates::render(c.tmpl, workspace.config, *d, c.vars, contents_for(*d, request.channels)));
  // What a department's channel settings refuse of its text, before anything is shown or sent.
  Diagnostics refused;
  for (std::size_t i = 0; i < c.departments.size(); ++i)
    refused.merge(refused_by_channels(c.tmpl, *c.departments[i], c.messages[i], request.channels));
  refused.throw_if_any();
  return c;
}

std::vector<Diagnostic> refused_by_channels(const templates::Template& tmpl, const config::Department& department,
                                            const templates::Message& message,
                                            const std::vector<std::string>& channels) {
  std::vector<Diagnostic> out;
  for (const auto& spec : registry::channels()) {
    if (!spec.check_message || !department.uses(spec.name)) continue;
    if (!channels.empty() && std::find(channels.begin(), channels.end(), spec.name) == channels.end()) continue;
    auto problems = spec.check_message(tmpl, department, message);
    out.insert(out.end(), problems.begin(), problems.end());
  }
  return out;
}

templates::Contents contents_for(const config::Department& department, const std::vector<std::string>& channels) {
  templates::Contents contents{false, false};
  for (const auto& spec : registry::channels()) {
    if (!department.uses(spec.name)) continue;
    if (!channels.empty() && std::find(channels.begin(), channels.end(), spec.name) == channels.end()) continue;
    contents.tweets = contents.tweets || spec.contents.tweets;
    contents.email = contents.email || spec.contents.email;
  }
  return contents;
}

delivery::TemplateRequest template_request(const Composed& composed) {
  return delivery::TemplateRequest{composed.tmpl, composed.given, composed.departments, composed.messages};
}

}  // namespace samvad::app
