#include "sipring/parser/method.h"

#include <array>

namespace sipring::parser {

namespace {
constexpr std::array<std::string_view, 15> names{
    "", "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "MESSAGE",
    "SUBSCRIBE", "NOTIFY", "REFER", "INFO", "UPDATE", "PRACK", "PUBLISH"};
}  // namespace

method_id lookup_method(std::string_view token) noexcept {
  // Dispatch on length and first byte: at most two comparisons.
  switch (token.size()) {
    case 3:
      if (token == "ACK") return method_id::ack;
      if (token == "BYE") return method_id::bye;
      break;
    case 4:
      if (token == "INFO") return method_id::info;
      break;
    case 5:
      if (token == "REFER") return method_id::refer;
      if (token == "PRACK") return method_id::prack;
      break;
    case 6:
      if (token == "INVITE") return method_id::invite;
      if (token == "CANCEL") return method_id::cancel;
      if (token == "NOTIFY") return method_id::notify;
      if (token == "UPDATE") return method_id::update;
      break;
    case 7:
      if (token == "OPTIONS") return method_id::options;
      if (token == "MESSAGE") return method_id::message;
      if (token == "PUBLISH") return method_id::publish;
      break;
    case 8:
      if (token == "REGISTER") return method_id::register_;
      break;
    case 9:
      if (token == "SUBSCRIBE") return method_id::subscribe;
      break;
    default: break;
  }
  return method_id::extension;
}

std::string_view method_name(method_id id) noexcept {
  return names[static_cast<std::size_t>(id)];
}

}  // namespace sipring::parser
