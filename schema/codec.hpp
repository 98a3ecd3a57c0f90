#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "schema/records.hpp"

// Cap'n Proto encoding of the stored records. Decoders treat their input as
// untrusted (it may come from a damaged disk or a peer): they return nullopt
// instead of throwing.
namespace openassist::schema {

std::string encode(const schema_info& x);
std::string encode(const event_record& x);
std::string encode(const entity_record& x);

std::optional<schema_info> decode_schema_info(std::string_view bytes);
std::optional<event_record> decode_event(std::string_view bytes);
std::optional<entity_record> decode_entity(std::string_view bytes);

} // namespace openassist::schema
