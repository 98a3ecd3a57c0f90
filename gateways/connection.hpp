#pragma once

#include <memory>
#include <string>

#include <caf/atom.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "gateways/ws_outbox.hpp"

namespace openassist::gateways {

using ws_text_atom = caf::atom_constant<caf::atom("ws_text")>;
using ws_closed_atom = caf::atom_constant<caf::atom("ws_closed")>;

/// One actor per WebSocket client: the bridge between Beast I/O and the
/// actors. The WebSocket session sends it each text frame; it answers through
/// the outbox. Protocol v1 (docs/websocket.md):
///
/// - on connect it sends `{"type":"welcome","protocol":1,"node_id":..,"version":..}`
/// - `{"type":"ping","id":X}` -> `{"type":"pong","id":X,"server_time_ms":T}`
/// - anything else -> `{"type":"error","error":{"code","message"},"id":X}`;
///   the connection stays open.
///
/// `(ws_closed_atom)` arrives once when the client is gone; the actor quits.
using connection_actor = caf::typed_actor<
  caf::reacts_to<ws_text_atom, std::string>, caf::reacts_to<ws_closed_atom>>;

struct connection_config {
  std::shared_ptr<ws_outbox> out;
  std::string node_id;
  std::string version;
  std::string remote_address;
};

struct connection_state {
  connection_config cfg;
  static const char* name;
};

connection_actor::behavior_type
connection(connection_actor::stateful_pointer<connection_state> self,
           connection_config cfg);

} // namespace openassist::gateways
