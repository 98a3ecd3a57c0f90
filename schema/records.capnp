@0x8ef83ebe0b504d32;
# Records as they are stored in LMDB and sent between nodes.
# Rule: field numbers are never renumbered or reused; add fields at the end.

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("openassist::schema::wire");

# Stored once per data directory under meta/"schema".
struct SchemaInfo {
  version @0 :UInt32;     # layout version of the whole environment
  createdUs @1 :Int64;    # microseconds since the Unix epoch
  nodeId @2 :Text;        # random id given to the node at first start
}

# One entry of the append-only event log that dashboards and reports read.
struct Event {
  seq @0 :UInt64;         # node-wide sequence, strictly increasing
  timeUs @1 :Int64;       # server time, microseconds since the Unix epoch
  kind @2 :Text;          # e.g. "request.created"
  account @3 :Text;       # tenant the event belongs to ("" for node events)
  subject @4 :Text;       # entity key, e.g. "session/42"
  payload @5 :Text;       # JSON object with the event's details
}

# Snapshot of one entity actor's state (portal, queue, presence, session, ...).
struct Entity {
  key @0 :Text;           # directory key, e.g. "portal/7"
  revision @1 :UInt64;    # bumped on every durable change
  epoch @2 :UInt64;       # ownership epoch of the shard that wrote it (fencing)
  body @3 :Data;          # the entity kind's own Cap'n Proto struct
}
