// Every command of the samvad executable, in the order `samvad --help` lists them: one line each.
#include <samvad/core/text.hpp>

#include "command.hpp"

namespace samvad::cli {

Command check_command();
Command departments_command();
Command templates_command();
Command preview_command();
Command count_command();
Command post_command();
Command run_due_command();
Command schedule_command();
Command status_command();
Command history_command();
Command retract_command();
Command authorize_command();
Command inbox_command();
Command reply_command();
Command stats_command();
Command digest_command();
Command pending_command();
Command approve_command();
Command reject_command();
Command store_command();

const std::vector<Command>& command_table() {
  static const std::vector<Command> table{
      check_command(),    departments_command(), templates_command(), preview_command(),   count_command(),
      post_command(),     pending_command(),     approve_command(),   reject_command(),    run_due_command(),
      schedule_command(), status_command(),      history_command(),   retract_command(),   inbox_command(),
      reply_command(),    digest_command(),      stats_command(),     authorize_command(), store_command(),
  };
  return table;
}

}  // namespace samvad::cli
