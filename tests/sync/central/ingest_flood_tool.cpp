// ingest_flood_tool: one enrolled device flooding feedback-central with
// signed batches over many keep-alive connections, as a misbehaving (or
// cloned) device would - for slow_clients_test.py. Enrolls with the token it
// is given, then posts N batches of R records over C connections, and prints
// one JSON line with the count of each answer status and the time taken.
// Bounded: it stops after N posts or --max-seconds, whichever comes first.
//   ingest_flood_tool --port P --token T [--batches 2000] [--connections 16]
//                     [--records 10] [--max-seconds 60]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/sync/central/central_harness.h"

using namespace feedback;
using namespace feedback::central::testing;

int main(int argc, char** argv) {
  int port = 0;
  std::string token;
  int batches = 2000, connections = 16, records = 10, max_seconds = 60;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const std::string v = argv[i + 1];
    if (k == "--port") port = std::stoi(v);
    else if (k == "--token") token = v;
    else if (k == "--batches") batches = std::stoi(v);
    else if (k == "--connections") connections = std::stoi(v);
    else if (k == "--records") records = std::stoi(v);
    else if (k == "--max-seconds") max_seconds = std::stoi(v);
  }
  if (port == 0 || token.empty()) {
    std::fprintf(stderr, "usage: ingest_flood_tool --port P --token T [--batches N] ...\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  httplib::Client enroll_client("127.0.0.1", port);
  enroll_client.set_read_timeout(20, 0);
  int status = 0;
  std::unique_ptr<TestDevice> dev = Enroll(enroll_client, token, "kiosk", &status);
  if (!dev) {
    std::fprintf(stderr, "ingest_flood_tool: enrollment failed with HTTP %d\n", status);
    return 1;
  }
  std::printf("{\"enrolled\":\"%s\"}\n", dev->device_id.c_str());
  std::fflush(stdout);

  std::mutex mu;  // the device (sequence numbers, sealer) and the counts
  std::map<int, int> statuses;
  std::atomic<int> next{0};
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::seconds(max_seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_read_timeout(20, 0);
      const httplib::Headers headers = {{std::string(protocol::kDeviceHeader), dev->device_id}};
      while (next.fetch_add(1) < batches && std::chrono::steady_clock::now() < deadline) {
        Bytes envelope;
        {
          std::lock_guard<std::mutex> lock(mu);
          std::vector<FeedbackRecord> rs;
          for (int r = 0; r < records; ++r) rs.push_back(KioskRecord(*dev, 9));
          envelope = BatchOf(*dev, rs);
        }
        auto res = client.Post(std::string(protocol::kBatchesPath), headers,
                               std::string(reinterpret_cast<const char*>(envelope.data()),
                                           envelope.size()),
                               std::string(protocol::kBatchContentType));
        std::lock_guard<std::mutex> lock(mu);
        ++statuses[res ? res->status : -1];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string counts;
  for (const auto& [s, n] : statuses) {
    counts += (counts.empty() ? "" : ",") + std::string("\"") + std::to_string(s) +
              "\":" + std::to_string(n);
  }
  std::printf("{\"seconds\":%.2f,\"statuses\":{%s}}\n", seconds, counts.c_str());
  return 0;
}
