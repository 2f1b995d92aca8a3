// `samvad reply` as library calls: an answer to one inbox item, posted as the department that
// holds it, through the same exactly-once machinery as `post` (the reply is the announcement
// reply-<item id>: a rerun resumes it, never repeats it), and recorded on the item.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <samvad/app/post.hpp>
#include <samvad/app/workspace.hpp>
#include <samvad/delivery/engine.hpp>
#include <samvad/store/inbox.hpp>

namespace samvad::app {

struct ReplyRequest {
  std::string item_id;
  std::optional<std::string> text;         // --text
  std::string template_name;               // or a template of kind reply
  std::vector<std::string> var_arguments;  // --var
  std::optional<std::string> vars_file;    // --vars
  std::optional<std::string> language;     // --lang; default: the item's, else the department's first
};

struct PreparedReply {
  store::InboxItem item;
  std::string language;
  PreparedPost post;
};

// Throws 65 for an item the store does not hold, 64 for a --lang the department does not use,
// a template that is not a reply, or a department no longer configured; then as prepare_post.
PreparedReply prepare_reply(const Workspace& workspace, const ReplyRequest& request);

// After the reply was sent: each delivered reply post is recorded on the item (answered at the
// first), and the item as it now is returned.
store::InboxItem record_reply(const Workspace& workspace, const PreparedReply& reply);

}  // namespace samvad::app
