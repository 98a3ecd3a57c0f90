#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

// The node's Prometheus metrics. Created here, handed to components as plain
// pointers (null in tests that do not care); prometheus metrics are atomic,
// so sharing them does not share mutable program state.
namespace openassist::monitoring {

struct storage_metrics {
  prometheus::Histogram* commit_seconds = nullptr;    ///< fsync'd commit time
  prometheus::Histogram* commit_batch_size = nullptr; ///< writes per commit
  prometheus::Counter* commits = nullptr;
  prometheus::Counter* commit_errors = nullptr;
  prometheus::Counter* writes = nullptr; ///< write batches made durable
  prometheus::Family<prometheus::Counter>* refused = nullptr; ///< reason
  prometheus::Gauge* queue_depth = nullptr; ///< batches waiting
  prometheus::Gauge* oldest_batch_age_seconds = nullptr;
  prometheus::Gauge* map_used_bytes = nullptr;
  prometheus::Gauge* map_size_bytes = nullptr;
  prometheus::Gauge* map_used_ratio = nullptr;
  prometheus::Gauge* map_full = nullptr;     ///< 1 while new data is refused
  prometheus::Gauge* fences = nullptr;       ///< fencing domains remembered
  prometheus::Counter* map_alerts = nullptr; ///< "map nearly full" warnings
  prometheus::Gauge* mailbox = nullptr;      ///< the writer's waiting messages
};

struct gateway_metrics {
  prometheus::Family<prometheus::Counter>* requests =
    nullptr; ///< route, status
  prometheus::Family<prometheus::Histogram>* request_seconds =
    nullptr;                                                   ///< route
  prometheus::Family<prometheus::Counter>* rejected = nullptr; ///< reason
  /// Exceptions caught at a handler boundary, by where ("http", "bridge", ...)
  prometheus::Family<prometheus::Counter>* handler_exceptions = nullptr;
  prometheus::Gauge* http_connections = nullptr;
  prometheus::Gauge* websocket_connections = nullptr;
  prometheus::Counter* websocket_messages_in = nullptr;
  prometheus::Counter* websocket_messages_out = nullptr;
  /// Outbound WebSocket bytes queued across all connections (not yet written)
  prometheus::Gauge* ws_queued_bytes = nullptr;
  /// Messages waiting for the connection actors (all of them)
  prometheus::Gauge* connection_mailbox = nullptr;
};

/// Intake, routing and presence (the desk actors).
struct intake_metrics {
  prometheus::Family<prometheus::Counter>* requests =
    nullptr; ///< portal_type, outcome
  prometheus::Counter* alerts = nullptr;
  prometheus::Family<prometheus::Gauge>* queue_length =
    nullptr;                                     ///< account, portal
  prometheus::Histogram* wait_seconds = nullptr; ///< created -> assigned
  prometheus::Histogram* intake_to_alert_seconds = nullptr;
  prometheus::Family<prometheus::Gauge>* technicians = nullptr; ///< status
  prometheus::Gauge* mailbox = nullptr; ///< messages waiting for the desks
};

/// Sessions (chat now; files, screen and recordings as they land).
struct session_metrics {
  prometheus::Counter* chat_lines = nullptr;
  prometheus::Histogram* chat_line_seconds =
    nullptr;                           ///< received -> stored and pushed
  prometheus::Gauge* active = nullptr; ///< sessions with a technician joined
  prometheus::Counter* screen_bytes = nullptr;          ///< relayed to viewers
  prometheus::Counter* screen_frames_dropped = nullptr; ///< for slow viewers
  prometheus::Gauge* screen_viewers =
    nullptr; ///< technicians and observers watching
  prometheus::Counter* uploads_accepted =
    nullptr; ///< files that became chat lines
  prometheus::Counter* uploads_refused =
    nullptr; ///< type, content or size refused
  prometheus::Counter* upload_bytes = nullptr; ///< bytes of accepted files
  prometheus::Counter* recordings_written = nullptr; ///< recordings finished
  prometheus::Histogram* recording_bytes =
    nullptr;                            ///< size of each finished recording
  prometheus::Gauge* mailbox = nullptr; ///< messages waiting for sessions
};

struct actor_metrics {
  prometheus::Family<prometheus::Gauge>* alive = nullptr; ///< kind
  /// Messages waiting in the mailboxes of all actors of a kind (see
  /// monitoring/mailbox_probe.hpp); `mailbox(kind)` is one series of it.
  prometheus::Family<prometheus::Gauge>* mailbox_messages = nullptr;

  prometheus::Gauge* mailbox(const std::string& kind) const {
    return mailbox_messages != nullptr
             ? &mailbox_messages->Add({{"kind", kind}})
             : nullptr;
  }
};

/// The memory keeper (monitoring/memory_keeper.hpp).
struct memory_metrics {
  prometheus::Counter* trims = nullptr;
  prometheus::Counter* released_bytes = nullptr;
  prometheus::Histogram* trim_seconds = nullptr;
};

/// All metrics of one node, in one registry.
class node_metrics {
public:
  node_metrics();

  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }

  storage_metrics storage;
  gateway_metrics gateway;
  actor_metrics actors;
  intake_metrics intake;
  session_metrics sessions;
  memory_metrics memory;

  /// Refreshes the process gauges and renders the Prometheus text format.
  std::string scrape();

  /// Called on each scrape before rendering (gauges read from components).
  void add_collector(std::function<void()> fn) {
    collectors_.push_back(std::move(fn));
  }

private:
  void update_process_metrics();

  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Gauge* resident_bytes_ = nullptr;
  prometheus::Gauge* anon_bytes_ = nullptr;
  prometheus::Gauge* heap_in_use_bytes_ = nullptr;
  prometheus::Gauge* heap_free_bytes_ = nullptr;
  prometheus::Gauge* virtual_bytes_ = nullptr;
  prometheus::Gauge* cpu_seconds_ = nullptr;
  prometheus::Gauge* open_fds_ = nullptr;
  prometheus::Gauge* threads_ = nullptr;
  prometheus::Gauge* start_time_ = nullptr;
  prometheus::Counter* scrapes_ = nullptr;
  std::vector<std::function<void()>> collectors_;
};

/// Convenience for the hot paths: no-ops on null metrics.
inline void inc(prometheus::Counter* c, double v = 1) {
  if (c != nullptr)
    c->Increment(v);
}
inline void observe(prometheus::Histogram* h, double v) {
  if (h != nullptr)
    h->Observe(v);
}

} // namespace openassist::monitoring
