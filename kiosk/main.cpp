// feedback-kiosk: the customer feedback kiosk. Steps:
//   1. note the start time (the first-frame figure in docs/kiosk.md counts from here);
//   2. parse the command line (--help lists every option; `set-pin` is a subcommand);
//   3. keep a file-size limit from killing the process mid-write: SQLite then reports
//      the failed write, and the kiosk shows out-of-service instead of vanishing;
//   4. run the chosen command and return its exit code.
#include <chrono>
#include <csignal>

#include "logic/kiosk_options.h"
#include "ui/kiosk_app.h"

int main(int argc, char** argv) {
  const auto start = std::chrono::steady_clock::now();

  const feedback::kiosk::Command command =
      feedback::kiosk::ParseCommandLine(argc, argv, FEEDBACK_KIOSK_ASSETS_DIR);
  if (command.kind == feedback::kiosk::Command::Kind::kExit) return command.exit_code;

  std::signal(SIGXFSZ, SIG_IGN);

  if (command.kind == feedback::kiosk::Command::Kind::kSetPin) {
    return feedback::kiosk::RunSetPin(command.set_pin);
  }
  return feedback::kiosk::RunKiosk(command.run, start);
}
