#pragma once
// SIP methods as constants; any other token is an extension method (method_id::extension).

#include <cstdint>
#include <string_view>

namespace sipring::parser {

enum class method_id : std::uint8_t {
  extension = 0,
  invite, ack, bye, cancel, register_, options, message, subscribe, notify, refer, info,
  update, prack, publish,
};

/// Case-sensitive, as RFC 3261 §7.1 says ("RE%47IST%45R" is an extension, not REGISTER).
method_id lookup_method(std::string_view token) noexcept;

/// "INVITE" …; "" for extension.
std::string_view method_name(method_id id) noexcept;

}  // namespace sipring::parser
