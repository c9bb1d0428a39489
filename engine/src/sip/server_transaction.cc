#include "sipring/sip/server_transaction.h"

#include <algorithm>

#include "sipring/sip/transaction_table.h"

namespace sipring::sip {

std::string_view server_state_name(server_state s) noexcept {
  switch (s) {
    case server_state::trying: return "trying";
    case server_state::proceeding: return "proceeding";
    case server_state::completed: return "completed";
    case server_state::confirmed: return "confirmed";
    case server_state::accepted: return "accepted";
    case server_state::terminated: return "terminated";
  }
  return "?";
}

server_transaction::server_transaction(transaction_table& table, const server_key& key,
                                       const transport::flow& to, const server_callbacks& cb,
                                       void* user)
    : _table(&table),
      _cb(&cb),
      _user(user),
      _flow(to),
      _branch(key.branch),
      _sent_by_host(key.sent_by_host),
      _method(key.method),
      _sent_by_port(key.sent_by_port),
      _invite(key.method_id == parser::method_id::invite),
      _reliable(transport::is_stream(to.transport)),
      _retransmit(&fire_retransmit, this),
      _timeout(&fire_timeout, this) {
  _state = _invite ? server_state::proceeding : server_state::trying;
}

void server_transaction::arm(detail::owned_timer& t, std::chrono::milliseconds after) noexcept {
  const transaction_env& env = _table->env();
  env.wheel->insert(t, *env.now + after);
}

bool server_transaction::send_bytes(std::span<const iovec> bytes) noexcept {
  const transaction_env& env = _table->env();
  return env.send(env.send_context, _flow, bytes);
}

bool server_transaction::resend_last() noexcept {
  if (_response.empty()) return true;
  const iovec v{_response.data(), _response.size()};
  return send_bytes(std::span<const iovec>(&v, 1));
}

bool server_transaction::receive_request(const parser::message_view& request) noexcept {
  if (_invite && request.method() == parser::method_id::ack) {
    switch (_state) {
      case server_state::completed: {
        _state = server_state::confirmed;
        _table->env().wheel->cancel(_retransmit);  // G
        const transaction_timers& t = _table->env().timers;
        arm(_timeout, _reliable ? std::chrono::milliseconds(0) : t.t4);  // I (replaces H)
        return true;
      }
      case server_state::accepted:
        return false;  // RFC 6026: the TU's
      default:
        return true;  // Confirmed absorbs retransmitted ACKs; others are stray
    }
  }
  // A retransmission of the request.
  switch (_state) {
    case server_state::proceeding:
    case server_state::completed:
      if (!resend_last()) end_soon(ending::transport_error);
      return true;
    default:
      return true;  // Trying, Confirmed, Accepted: absorbed silently
  }
}

bool server_transaction::respond(std::uint16_t status, std::string_view bytes) noexcept {
  const iovec v{const_cast<char*>(bytes.data()), bytes.size()};
  return respond(status, std::span<const iovec>(&v, 1));
}

bool server_transaction::respond(std::uint16_t status, std::span<const iovec> bytes) noexcept {
  const transaction_timers& t = _table->env().timers;
  const bool provisional = status < 200;
  const bool success = status >= 200 && status < 300;
  bool keep = true;  // a copy answers retransmissions
  switch (_state) {
    case server_state::trying:
    case server_state::proceeding:
      if (provisional) {
        _state = server_state::proceeding;
      } else if (_invite && success) {
        _state = server_state::accepted;
        keep = false;
        arm(_timeout, 64 * t.t1);  // L
      } else {
        _state = server_state::completed;
        if (_invite) {
          if (!_reliable) {
            _interval = t.t1;
            arm(_retransmit, _interval);  // G
          }
          arm(_timeout, 64 * t.t1);  // H
        } else {
          arm(_timeout, _reliable ? std::chrono::milliseconds(0) : 64 * t.t1);  // J
        }
      }
      break;
    case server_state::accepted:
      if (!success) return true;  // dropped
      keep = false;               // the TU's 2xx retransmission
      break;
    case server_state::terminated:
      return false;
    default:
      return true;  // Completed, Confirmed: dropped
  }
  _last_status = status;
  bool sent;
  if (keep) {
    _response.clear();
    for (const iovec& v : bytes) _response.append(static_cast<const char*>(v.iov_base), v.iov_len);
    sent = resend_last();
  } else {
    sent = send_bytes(bytes);
  }
  if (!sent) {
    end_soon(ending::transport_error);
    return false;
  }
  return true;
}

void server_transaction::on_retransmit() noexcept {
  if (_state != server_state::completed) return;
  if (!resend_last()) return end_now(ending::transport_error);
  _interval = std::min(2 * _interval, _table->env().timers.t2);  // G
  arm(_retransmit, _interval);
}

void server_transaction::on_timeout() noexcept {
  switch (_state) {
    case server_state::completed:  // H (INVITE) or J
      return end_now(_invite ? ending::ack_timeout : ending::none);
    case server_state::confirmed:  // I
    case server_state::accepted:   // L
      return end_now(ending::none);
    case server_state::terminated:  // end_soon()
      return end_now(_pending);
    default:
      return;
  }
}

void server_transaction::end_soon(ending why) noexcept {
  _state = server_state::terminated;  // no longer matched
  _pending = why;
  _table->env().wheel->cancel(_retransmit);
  arm(_timeout, std::chrono::milliseconds(0));
}

void server_transaction::end_now(ending why) noexcept {
  _state = server_state::terminated;
  _table->env().wheel->cancel(_retransmit);
  _table->env().wheel->cancel(_timeout);
  if (why == ending::ack_timeout && _cb->ack_timeout != nullptr) _cb->ack_timeout(_user, *this);
  if (why == ending::transport_error && _cb->transport_error != nullptr)
    _cb->transport_error(_user, *this);
  if (_cb->terminated != nullptr) _cb->terminated(_user, *this);
  _table->destroy(this);  // last: nothing touches this afterwards
}

void server_transaction::fire_retransmit(runtime::timer_entry& t) noexcept {
  static_cast<server_transaction*>(static_cast<detail::owned_timer&>(t).owner)->on_retransmit();
}

void server_transaction::fire_timeout(runtime::timer_entry& t) noexcept {
  static_cast<server_transaction*>(static_cast<detail::owned_timer&>(t).owner)->on_timeout();
}

}  // namespace sipring::sip
