#include <samvad/app/reply.hpp>

#include <samvad/app/inbox.hpp>

#include <algorithm>
#include <filesystem>

#include <samvad/core/text.hpp>
#include <samvad/store/store.hpp>

namespace samvad::app {

namespace {

// --lang, else the language the citizen wrote in when the department speaks it, else the
// department's first language.
std::string reply_language(const config::Department& department, const store::InboxItem& item,
                           const std::optional<std::string>& asked) {
  const auto& langs = department.languages;
  const auto speaks = [&](const std::string& l) { return std::find(langs.begin(), langs.end(), l) != langs.end(); };
  if (asked) {
    if (!speaks(*asked))
      throw Error(ExitCode::usage, "--lang " + shown(*asked) + ": department " + department.id +
                                       " does not speak it; expected one of its languages");
    return *asked;
  }
  return speaks(item.language) ? item.language : langs.front();
}

// One answer per item: a reply recorded in one language (or as a text) is the item's reply, so
// another language or a text instead of a template is other content under the same id (65),
// as a changed text is.
void refuse_another_reply(const Workspace& ws, const PreparedReply& reply) {
  if (!ws.state.path.exists()) return;
  const auto recorded = store::Store::open(ws.state.path).deliveries(reply.post.plan.announcement.id);
  if (recorded.empty()) return;
  for (const auto& planned : reply.post.plan.deliveries) {
    const bool known = std::any_of(recorded.begin(), recorded.end(), [&](const store::Delivery& d) {
      return d.department == planned.department && d.channel == planned.channel && d.language == planned.language;
    });
    if (!known)
      throw Error(ExitCode::data, "item " + reply.item.id + " already has its reply " +
                                      reply.post.plan.announcement.id + " (language " + recorded.front().language +
                                      "), recorded with other content; expected the same reply to resume it (samvad "
                                      "status " +
                                      reply.post.plan.announcement.id + " shows it)");
  }
}

}  // namespace

PreparedReply prepare_reply(const Workspace& ws, const ReplyRequest& request) {
  PreparedReply out;
  out.item = held_item(ws, request.item_id);
  const config::Department* department = ws.config.find_department(out.item.department);
  if (department == nullptr)
    throw Error(ExitCode::usage, "item " + out.item.id + " is held by department " + out.item.department + ", which " +
                                     ws.config.path.string() + " no longer lists; expected samvad inbox route " +
                                     out.item.id + " -d DEPT first");
  out.language = reply_language(*department, out.item, request.language);
  PostRequest post;
  post.compose.template_name = request.template_name;
  post.compose.departments = {department->id};
  post.compose.var_arguments = request.var_arguments;
  post.compose.vars_file = request.vars_file;
  post.text = request.text;
  post.channels = {out.item.channel};
  post.id = "reply-" + out.item.id;
  post.reply = ReplyTarget{out.item.id, out.language};
  out.post = prepare_post(ws, post);
  refuse_another_reply(ws, out);
  return out;
}

store::InboxItem record_reply(const Workspace& ws, const PreparedReply& reply) {
  auto st = store::Store::open(ws.state.path);
  for (const auto& d : st.deliveries(reply.post.plan.announcement.id))
    for (const auto& part : d.parts)
      if (part.status == store::PartStatus::delivered && !part.remote_id.empty())
        st.record_reply(reply.item.channel, reply.item.id, part.remote_id, part.updated_at);
  return *st.inbox_item(reply.item.id);
}

}  // namespace samvad::app
