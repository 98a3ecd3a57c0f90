#include "monitoring/metrics.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include <prometheus/text_serializer.h>

#include "monitoring/memory_keeper.hpp"

namespace openassist::monitoring {

namespace {

prometheus::Histogram::BucketBoundaries latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
          0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};
}

} // namespace

node_metrics::node_metrics()
  : registry_(std::make_shared<prometheus::Registry>()) {
  using namespace prometheus;
  auto& r = *registry_;
  storage.commit_seconds =
    &BuildHistogram()
       .Name("openassist_storage_commit_seconds")
       .Help("Time of one durable LMDB commit (group commit), seconds")
       .Register(r)
       .Add({}, latency_buckets());
  storage.commit_batch_size =
    &BuildHistogram()
       .Name("openassist_storage_commit_batch_size")
       .Help("Write batches made durable by one commit")
       .Register(r)
       .Add({}, Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64, 128, 256,
                                            512, 1024, 4096});
  storage.commits = &BuildCounter()
                       .Name("openassist_storage_commits_total")
                       .Help("Durable LMDB transactions")
                       .Register(r)
                       .Add({});
  storage.commit_errors = &BuildCounter()
                             .Name("openassist_storage_commit_errors_total")
                             .Help("Failed commits (each writer got an error)")
                             .Register(r)
                             .Add({});
  storage.writes = &BuildCounter()
                      .Name("openassist_storage_writes_total")
                      .Help("Write batches made durable and acknowledged")
                      .Register(r)
                      .Add({});
  storage.refused =
    &BuildCounter()
       .Name("openassist_storage_refused_total")
       .Help("Write batches refused, nothing written, by reason "
             "(expired, fenced, busy, map_full, ...)")
       .Register(r);
  storage.queue_depth = &BuildGauge()
                           .Name("openassist_storage_queue_depth")
                           .Help("Write batches waiting for the writer")
                           .Register(r)
                           .Add({});
  storage.oldest_batch_age_seconds =
    &BuildGauge()
       .Name("openassist_storage_oldest_batch_age_seconds")
       .Help("Age of the oldest write batch waiting for the writer, seconds")
       .Register(r)
       .Add({});
  storage.map_used_bytes = &BuildGauge()
                              .Name("openassist_storage_map_used_bytes")
                              .Help("Bytes of the LMDB map in use")
                              .Register(r)
                              .Add({});
  storage.map_size_bytes =
    &BuildGauge()
       .Name("openassist_storage_map_size_bytes")
       .Help("Size of the LMDB map (storage.map-size-mb)")
       .Register(r)
       .Add({});
  storage.map_used_ratio =
    &BuildGauge()
       .Name("openassist_storage_map_used_ratio")
       .Help("Share of the LMDB map in use (0..1); alert at 0.8")
       .Register(r)
       .Add({});
  storage.map_full =
    &BuildGauge()
       .Name("openassist_storage_map_full")
       .Help("1 while new data is refused (storage_full): from "
             "storage.map-refuse-percent until use is back under "
             "storage.map-alert-percent")
       .Register(r)
       .Add({});
  storage.fences = &BuildGauge()
                      .Name("openassist_storage_fences")
                      .Help("Fencing domains (entities with a writer epoch) "
                            "the storage writer remembers")
                      .Register(r)
                      .Add({});
  storage.map_alerts = &BuildCounter()
                          .Name("openassist_storage_map_alerts_total")
                          .Help("Warnings that the LMDB map is nearly full")
                          .Register(r)
                          .Add({});
  intake.requests =
    &BuildCounter()
       .Name("openassist_requests_total")
       .Help("Support requests by portal type and outcome (created, "
             "assigned, closed, cancelled, no_response)")
       .Register(r);
  intake.alerts = &BuildCounter()
                     .Name("openassist_alerts_total")
                     .Help("Alerts shown to technicians")
                     .Register(r)
                     .Add({});
  intake.queue_length = &BuildGauge()
                           .Name("openassist_queue_length")
                           .Help("Requests waiting, by account and portal")
                           .Register(r);
  intake.wait_seconds =
    &BuildHistogram()
       .Name("openassist_request_wait_seconds")
       .Help("From intake until a technician has the request, seconds")
       .Register(r)
       .Add({}, Histogram::BucketBoundaries{1, 5, 15, 30, 60, 120, 300, 600,
                                            1800, 3600});
  intake.intake_to_alert_seconds =
    &BuildHistogram()
       .Name("openassist_intake_to_alert_seconds")
       .Help("From a customer's request arriving until its alerts are sent, "
             "seconds")
       .Register(r)
       .Add({}, latency_buckets());
  intake.technicians =
    &BuildGauge()
       .Name("openassist_technicians")
       .Help("Technicians by effective status (desks loaded)")
       .Register(r);
  sessions.chat_lines =
    &BuildCounter()
       .Name("openassist_chat_lines_total")
       .Help("Chat lines stored (customer, technician, system)")
       .Register(r)
       .Add({});
  sessions.chat_line_seconds =
    &BuildHistogram()
       .Name("openassist_chat_line_seconds")
       .Help("From a chat line arriving at its session until it is stored and "
             "pushed, seconds")
       .Register(r)
       .Add({}, latency_buckets());
  sessions.screen_bytes = &BuildCounter()
                             .Name("openassist_screen_bytes_relayed_total")
                             .Help("Screen-sharing bytes relayed to viewers")
                             .Register(r)
                             .Add({});
  sessions.screen_frames_dropped =
    &BuildCounter()
       .Name("openassist_screen_frames_dropped_total")
       .Help("Screen frames dropped for viewers that read too slowly")
       .Register(r)
       .Add({});
  sessions.screen_viewers =
    &BuildGauge()
       .Name("openassist_screen_viewers")
       .Help("Technicians and observers watching a shared screen")
       .Register(r)
       .Add({});
  auto& uploads =
    BuildCounter()
      .Name("openassist_uploads_total")
      .Help("Files sent into sessions, by result (accepted, refused)")
      .Register(r);
  sessions.uploads_accepted = &uploads.Add({{"result", "accepted"}});
  sessions.uploads_refused = &uploads.Add({{"result", "refused"}});
  sessions.upload_bytes = &BuildCounter()
                             .Name("openassist_upload_bytes_total")
                             .Help("Bytes of accepted files")
                             .Register(r)
                             .Add({});
  sessions.recordings_written =
    &BuildCounter()
       .Name("openassist_recordings_written_total")
       .Help("Session recordings finished and stored")
       .Register(r)
       .Add({});
  sessions.recording_bytes =
    &BuildHistogram()
       .Name("openassist_recording_bytes")
       .Help("Size of each finished session recording, bytes")
       .Register(r)
       .Add({}, prometheus::Histogram::BucketBoundaries{1e4, 1e5, 1e6, 1e7, 5e7,
                                                        1e8, 2e8, 5e8});
  sessions.active = &BuildGauge()
                       .Name("openassist_sessions_active")
                       .Help("Sessions a technician has joined and not closed")
                       .Register(r)
                       .Add({});
  gateway.requests = &BuildCounter()
                        .Name("openassist_http_requests_total")
                        .Help("HTTP requests by route and status")
                        .Register(r);
  gateway.request_seconds =
    &BuildHistogram()
       .Name("openassist_http_request_duration_seconds")
       .Help("HTTP request latency from full request read to response queued")
       .Register(r);
  gateway.rejected = &BuildCounter()
                        .Name("openassist_http_rejected_total")
                        .Help("Connections or requests refused, by reason")
                        .Register(r);
  gateway.handler_exceptions =
    &BuildCounter()
       .Name("openassist_handler_exceptions_total")
       .Help("Unexpected exceptions caught at a handler boundary (answered "
             "500 or an error event), by where")
       .Register(r);
  gateway.http_connections = &BuildGauge()
                                .Name("openassist_http_connections")
                                .Help("Open HTTP connections")
                                .Register(r)
                                .Add({});
  gateway.websocket_connections = &BuildGauge()
                                     .Name("openassist_websocket_connections")
                                     .Help("Open WebSocket connections")
                                     .Register(r)
                                     .Add({});
  gateway.websocket_messages_in =
    &BuildCounter()
       .Name("openassist_websocket_messages_received_total")
       .Help("WebSocket messages received from clients")
       .Register(r)
       .Add({});
  gateway.websocket_messages_out =
    &BuildCounter()
       .Name("openassist_websocket_messages_sent_total")
       .Help("WebSocket messages queued to clients")
       .Register(r)
       .Add({});
  gateway.ws_queued_bytes =
    &BuildGauge()
       .Name("openassist_ws_queued_bytes")
       .Help("Outbound WebSocket bytes queued across all connections and not "
             "yet written (bounded by gateway.ws-max-queued-total-mb)")
       .Register(r)
       .Add({});
  actors.alive = &BuildGauge()
                    .Name("openassist_actors_alive")
                    .Help("Live actors by kind")
                    .Register(r);
  actors.mailbox_messages =
    &BuildGauge()
       .Name("openassist_mailbox_messages")
       .Help("Messages waiting in the mailboxes of all actors of a kind, as "
             "they last looked while handling one (a growing figure is a "
             "backlog, and memory)")
       .Register(r);
  auto& process = BuildGauge()
                    .Name("process_resident_memory_bytes")
                    .Help("Resident memory size in bytes")
                    .Register(r);
  resident_bytes_ = &process.Add({});
  anon_bytes_ = &BuildGauge()
                   .Name("openassist_memory_anon_bytes")
                   .Help("Anonymous resident memory (RssAnon: heap and "
                         "stacks, not the mapped database file)")
                   .Register(r)
                   .Add({});
  heap_in_use_bytes_ =
    &BuildGauge()
       .Name("openassist_heap_in_use_bytes")
       .Help("Heap bytes handed out to the program (jemalloc stats.allocated, "
             "or glibc mallinfo2 where the node runs on glibc malloc)")
       .Register(r)
       .Add({});
  heap_free_bytes_ =
    &BuildGauge()
       .Name("openassist_heap_free_bytes")
       .Help("Heap bytes freed and still held by the allocator (returned to "
             "the system by the memory keeper's trims)")
       .Register(r)
       .Add({});
  memory.trims = &BuildCounter()
                    .Name("openassist_memory_trims_total")
                    .Help("Times freed heap memory was given back")
                    .Register(r)
                    .Add({});
  memory.released_bytes =
    &BuildCounter()
       .Name("openassist_memory_released_bytes_total")
       .Help("Anonymous resident memory given back by the trims")
       .Register(r)
       .Add({});
  memory.trim_seconds =
    &BuildHistogram()
       .Name("openassist_memory_trim_seconds")
       .Help("Time of one trim (it holds each allocator arena briefly)")
       .Register(r)
       .Add({}, prometheus::Histogram::BucketBoundaries{
                  0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5});
  virtual_bytes_ = &BuildGauge()
                      .Name("process_virtual_memory_bytes")
                      .Help("Virtual memory size in bytes")
                      .Register(r)
                      .Add({});
  cpu_seconds_ = &BuildGauge()
                    .Name("process_cpu_seconds_total")
                    .Help("User and system CPU time in seconds")
                    .Register(r)
                    .Add({});
  open_fds_ = &BuildGauge()
                 .Name("process_open_fds")
                 .Help("Open file descriptors")
                 .Register(r)
                 .Add({});
  threads_ = &BuildGauge()
                .Name("process_threads")
                .Help("OS threads of the process")
                .Register(r)
                .Add({});
  start_time_ = &BuildGauge()
                   .Name("process_start_time_seconds")
                   .Help("Start time of the process since the Unix epoch")
                   .Register(r)
                   .Add({});
  scrapes_ = &BuildCounter()
                .Name("openassist_metrics_scrapes_total")
                .Help("Scrapes of /metrics")
                .Register(r)
                .Add({});
  storage.mailbox = actors.mailbox("persistence");
  intake.mailbox = actors.mailbox("desk");
  sessions.mailbox = actors.mailbox("session");
  gateway.connection_mailbox = actors.mailbox("connection");
  start_time_->Set(std::chrono::duration<double>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count());
}

void node_metrics::update_process_metrics() {
  // /proc/self/stat: fields 14-15 utime/stime (ticks), 20 threads, 23 vsize,
  // 24 rss (pages). The command name (field 2) may hold spaces: skip past ')'.
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (std::getline(in, line)) {
    auto pos = line.rfind(')');
    if (pos != std::string::npos) {
      std::istringstream fields(line.substr(pos + 2));
      std::string f;
      double utime = 0, stime = 0, threads = 0, vsize = 0, rss = 0;
      for (int i = 3; fields >> f; ++i) {
        if (i == 14)
          utime = std::stod(f);
        else if (i == 15)
          stime = std::stod(f);
        else if (i == 20)
          threads = std::stod(f);
        else if (i == 23)
          vsize = std::stod(f);
        else if (i == 24) {
          rss = std::stod(f);
          break;
        }
      }
      double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
      cpu_seconds_->Set((utime + stime) / ticks);
      threads_->Set(threads);
      virtual_bytes_->Set(vsize);
      resident_bytes_->Set(rss * static_cast<double>(sysconf(_SC_PAGESIZE)));
    }
  }
  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++fds;
  open_fds_->Set(fds);
  anon_bytes_->Set(static_cast<double>(anon_resident_bytes()));
  auto heap = heap_now();
  heap_in_use_bytes_->Set(static_cast<double>(heap.in_use));
  heap_free_bytes_->Set(static_cast<double>(heap.free));
}

std::string node_metrics::scrape() {
  scrapes_->Increment();
  update_process_metrics();
  for (auto& fn : collectors_)
    fn();
  prometheus::TextSerializer serializer;
  return serializer.Serialize(registry_->Collect());
}

} // namespace openassist::monitoring
