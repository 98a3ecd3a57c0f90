#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/reports/request_facts.hpp"

// The compact form of a request's report facts (docs/reports.md, "How it is
// read"): stored beside each request document, in the same write, under
// its account and creation time, so a report reads a range of small
// records in key order instead of parsing every document.
namespace openassist::actors::reports {

/// Key in `storage::table::report_facts`: "<account>" NUL be64(created ms)
/// be64(request id).
std::string facts_key(const std::string& account, int64_t created_ms,
                      uint64_t id);

/// The record: "F1", six be64 (id, portal, technician, created, answered,
/// closed), a flags byte (ended, abandoned, no response), the rating byte,
/// be32 transfers, be32 count and be64 each of the decliners, then outcome,
/// resolution, comment and customer as be32 length and bytes.
std::string encode_facts(const request_facts& f);

/// The facts of a record; nullopt for bytes that are not one (another
/// version, cut short, or with more than they can hold).
std::optional<request_facts> decode_facts(std::string_view bytes);

} // namespace openassist::actors::reports
