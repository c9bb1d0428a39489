#pragma once
// The registrar (RFC 3261 §10.3, RFC 3327 §5.3): applies a parsed REGISTER to the location
// partition that owns its address-of-record and says how to answer it.
//
// What the caller does around it (not here): route the REGISTER to the owner shard
// (register_aor_key() + owner_shard()), check that the Request-URI names a domain we serve
// (§10.3 steps 1 and 3), authenticate (step 4), then call process() on that shard and build the
// response with parser::build_response(request, outcome.status, outcome.reason,
// {.to_tag = ..., .extra_headers = extra_headers}, out). The server transaction absorbs
// retransmissions (§17.2.2); a retransmitted REGISTER that reaches process() again is refused as
// out of order (CSeq not higher), as RFC 3261 §10.3 step 7 says.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sipring/parser/message_view.h"
#include "sipring/sip/location.h"
#include "sipring/transport/flow.h"

namespace sipring::sip {

/// Expiry policy, in seconds (the same values as app::registrar_config), and the limits on an
/// AoR's bindings.
struct registrar_options {
  std::uint32_t default_expires = 3600;  ///< when neither the Contact nor the request says
  std::uint32_t min_expires = 60;        ///< 0 < expires < this (and < 3600) -> 423
  std::uint32_t max_expires = 86400;     ///< longer requests are shortened to this
  /// More bindings than this after the request -> 503 "Too many registered contacts", nothing
  /// changed (0: no limit).
  std::uint32_t max_contacts = 0;
  /// The same when the 200's Contact lines would take more bytes than this (0: no limit; the
  /// server sets it from the largest message it sends, so that the 200 can always be built).
  std::size_t max_contact_bytes = 0;
};

/// How to answer a REGISTER: the status, and a reason phrase (static text; empty means
/// parser::default_reason(status)). The header lines go to process()'s `extra_headers`.
struct register_outcome {
  std::uint16_t status = 200;
  std::string_view reason;
};

/// The AoR key of a REGISTER (its To URI, see aor.h): owner_shard(key, n) says which shard's
/// partition must process it. False, with `key` cleared, when To does not parse or is not a
/// SIP or SIPS URI (process() answers those itself, so any shard may call it).
bool register_aor_key(const parser::message_view& request, std::string& key);

/// Option tags of Require that the registrar supports ("path", RFC 3327).
bool registrar_supports(std::string_view option_tag) noexcept;

/// One shard's registrar over that shard's partition. Single-threaded, like the partition.
class registrar {
 public:
  registrar(location_partition& partition, registrar_options options) noexcept
      : _partition(partition), _options(options) {}

  /// Processes `request` (a parsed REGISTER) received over `source` at `now`, RFC 3261 §10.3
  /// steps 2 and 5-8. The request is atomic: every Contact is checked before anything changes,
  /// and a refused request changes nothing. `extra_headers` is replaced by the header lines of
  /// the response, each "Name: value\r\n" (ready for response_options::extra_headers):
  ///   200: one `Contact: <uri>;expires=N[;q=..][;+sip.instance=".."][;reg-id=N]` line per
  ///        current binding of the AoR (all of them, not only this request's), then the
  ///        request's Path values (RFC 3327 §5.3) when it had any; no Contact when none is left;
  ///   423: `Min-Expires: N`;  420: `Unsupported: tag, ...`;  other refusals: nothing.
  /// Statuses: 200; 400 (malformed To, Contact, Expires, Call-ID, CSeq, Path or Require, a
  /// misused `Contact: *`, or a CSeq not above the one stored for the same Call-ID: see
  /// registrar.cc); 404 (To is not a SIP or SIPS URI); 420 (Require holds an unsupported tag);
  /// 423 (interval too brief); 503 "Too many registered contacts" (the AoR would exceed
/// max_contacts or max_contact_bytes); 500 when `request` is not a REGISTER (the caller's
/// mistake).
  /// Allocates (bindings, the header text).
  register_outcome process(const parser::message_view& request, const transport::flow& source,
                           location_partition::clock::time_point now, std::string& extra_headers);

  const registrar_options& options() const noexcept { return _options; }
  location_partition& partition() noexcept { return _partition; }

 private:
  location_partition& _partition;
  registrar_options _options;
};

}  // namespace sipring::sip
