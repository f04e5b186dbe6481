// `feedback-central serve` must end cleanly on a stop signal that arrives at
// any moment after it was started (issue 14): while it is still loading keys,
// between "listening on" and its accept loop, or while it serves. The test
// sends SIGTERM at fixed delays after spawn - the delays only spread the
// signal over start-up; what is asserted is how the process ends, with one
// generous deadline for it to end at all.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "central_harness.h"

namespace feedback::central::testing {
namespace {

struct Ending {
  bool ended = false;  // false: still running at the deadline (then killed)
  int status = 0;      // waitpid status
};

// Spawns `serve` with its output discarded, sends SIGTERM `delay` after the
// spawn, and waits (pidfd + poll, no sleeping) up to `deadline` for it to end.
Ending SignalServeAfter(const std::string& data_dir, std::chrono::milliseconds delay,
                        std::chrono::milliseconds deadline) {
  std::vector<std::string> args = {CentralBinary(), "serve",       "--data-dir",
                                   data_dir,        "--listen",    "127.0.0.1:0",
                                   "--insecure-http-loopback"};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv = Argv(args);
  pid_t pid = 0;
  Ending e;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    ADD_FAILURE() << "posix_spawn " << argv[0] << " failed: " << rc;
    return e;
  }
  // pidfd_open through syscall(2): Debian 12's <sys/pidfd.h> declares it
  // without C linkage for C++.
  const int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (delay.count() > 0) std::this_thread::sleep_for(delay);  // when to signal, not a wait
  kill(pid, SIGTERM);
  pollfd p{pidfd, POLLIN, 0};
  const int ready = pidfd >= 0 ? poll(&p, 1, static_cast<int>(deadline.count())) : -1;
  if (ready == 1) {
    e.ended = waitpid(pid, &e.status, 0) == pid;
  } else {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
  if (pidfd >= 0) close(pidfd);
  return e;
}

TEST(CentralServeSignalTest, SigtermAtAnyMomentAfterSpawnEndsServeCleanly) {
  TempDir tmp;
  const std::string data_dir = tmp.path() + "/central";
  ASSERT_EQ(InitCentral(data_dir).exit_code, 0);
  // Generous: the requirement is "within a second"; sanitizer builds and a
  // loaded CI machine start much more slowly, and this is no timing test.
  const auto deadline = std::chrono::seconds(20);
  int exited_zero = 0;
  int before_mask = 0;
  for (const int delay_ms : {0, 1, 5, 20, 100}) {
    for (int run = 0; run < 20; ++run) {
      const Ending e = SignalServeAfter(data_dir, std::chrono::milliseconds(delay_ms), deadline);
      ASSERT_TRUE(e.ended) << "serve still running " << deadline.count()
                           << " s after SIGTERM sent " << delay_ms << " ms after spawn (run "
                           << run << ")";
      if (WIFEXITED(e.status)) {
        EXPECT_EQ(WEXITSTATUS(e.status), 0) << "delay " << delay_ms << " ms, run " << run;
        ++exited_zero;
      } else {
        // A signal that lands before serve has blocked SIGTERM (the process
        // is still being exec'd or parsing its flags) ends it by the default
        // action: nothing is open yet, so that is a clean end too. Any other
        // signal (SIGSEGV, SIGABRT) is a failure.
        ASSERT_TRUE(WIFSIGNALED(e.status));
        EXPECT_EQ(WTERMSIG(e.status), SIGTERM) << "delay " << delay_ms << " ms, run " << run;
        ++before_mask;
      }
    }
  }
  EXPECT_EQ(exited_zero + before_mask, 100);
  // Whatever the machine's speed, the 100 ms signals land after start-up began
  // blocking signals often enough that clean exits through Stop() are tested.
  EXPECT_GT(exited_zero, 0);
  std::printf("serve signalled 100 times: %d exited 0, %d ended by SIGTERM before blocking it\n",
              exited_zero, before_mask);
}

// The server is stoppable also after it has served: SIGTERM then ends it with 0.
TEST(CentralServeSignalTest, SigtermAfterServingEndsWithZero) {
  CentralFixture f;
  ASSERT_TRUE(f.Setup());
  httplib::Client c = f.server.Client();
  auto res = c.Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(f.server.Stop(), 0);
  EXPECT_NE(f.server.Log().find("stopped"), std::string::npos);
}

}  // namespace
}  // namespace feedback::central::testing
