#include "sipring/sip/client_transaction.h"

#include <algorithm>

#include "sipring/parser/method.h"
#include "sipring/sip/ack_cancel.h"
#include "sipring/sip/transaction_table.h"

namespace sipring::sip {

std::string_view client_state_name(client_state s) noexcept {
  switch (s) {
    case client_state::calling: return "calling";
    case client_state::trying: return "trying";
    case client_state::proceeding: return "proceeding";
    case client_state::completed: return "completed";
    case client_state::accepted: return "accepted";
    case client_state::terminated: return "terminated";
  }
  return "?";
}

client_transaction::client_transaction(transaction_table& table, std::string request,
                                       const client_options& o, const client_callbacks& cb,
                                       void* user)
    : _table(&table),
      _cb(&cb),
      _user(user),
      _flow(o.to),
      _request(std::move(request)),
      _branch(o.branch),
      _method(o.method),
      _state(client_state::trying),
      _invite(o.method == "INVITE"),
      _reliable(transport::is_stream(o.to.transport)),
      _timer_c_enabled(o.timer_c && _invite),
      _retransmit(&fire_retransmit, this),
      _timeout(&fire_timeout, this),
      _timer_c(&fire_timer_c, this) {}

void client_transaction::arm(detail::owned_timer& t, std::chrono::milliseconds after) noexcept {
  const transaction_env& env = _table->env();
  env.wheel->insert(t, *env.now + after);
}

bool client_transaction::send(std::string_view bytes) noexcept {
  const transaction_env& env = _table->env();
  const iovec v{const_cast<char*>(bytes.data()), bytes.size()};
  return env.send(env.send_context, _flow, std::span<const iovec>(&v, 1));
}

void client_transaction::start() noexcept {
  const transaction_timers& t = _table->env().timers;
  _state = _invite ? client_state::calling : client_state::trying;
  if (!send(_request)) {
    end_soon(ending::transport_error);
    return;
  }
  if (!_reliable) {  // Timer A or E
    _interval = t.t1;
    arm(_retransmit, _interval);
  }
  arm(_timeout, 64 * t.t1);  // Timer B or F
  if (_timer_c_enabled) arm(_timer_c, t.timer_c);
}

void client_transaction::deliver(const parser::message_view& response) noexcept {
  if (_cb->response != nullptr) _cb->response(_user, *this, response);
}

void client_transaction::receive_response(const parser::message_view& response) noexcept {
  const std::uint16_t status = response.status_code();
  const transaction_timers& t = _table->env().timers;
  const bool provisional = status < 200;
  if (_invite) {
    switch (_state) {
      case client_state::calling:
      case client_state::proceeding:
        if (provisional) {
          _state = client_state::proceeding;
          _table->env().wheel->cancel(_retransmit);  // A
          _table->env().wheel->cancel(_timeout);     // B
          if (_timer_c_enabled && status > 100 && _timer_c.armed()) arm(_timer_c, t.timer_c);
          deliver(response);
        } else if (status < 300) {
          _state = client_state::accepted;
          _table->env().wheel->cancel(_retransmit);
          _table->env().wheel->cancel(_timer_c);
          arm(_timeout, 64 * t.t1);  // M
          deliver(response);
        } else {
          _state = client_state::completed;
          _table->env().wheel->cancel(_retransmit);
          _table->env().wheel->cancel(_timer_c);
          const bool built = build_ack(_request, response, _ack);
          const bool sent = built && send(_ack);
          arm(_timeout, _reliable ? std::chrono::milliseconds(0) : t.timer_d);  // D
          deliver(response);
          if (built && !sent && _state == client_state::completed) end_soon(ending::transport_error);
        }
        return;
      case client_state::completed:
        // A retransmitted non-2xx final: ACK it again, absorb it.
        if (status >= 300 && !_ack.empty() && !send(_ack)) end_soon(ending::transport_error);
        return;
      case client_state::accepted:
        if (status >= 200 && status < 300) deliver(response);
        return;
      default:
        return;
    }
  }
  switch (_state) {
    case client_state::trying:
    case client_state::proceeding:
      if (provisional) {
        // Timer E keeps its interval until it fires; then it runs at T2 (§17.1.2.2).
        _state = client_state::proceeding;
      } else {
        _state = client_state::completed;
        _table->env().wheel->cancel(_retransmit);  // E
        arm(_timeout, _reliable ? std::chrono::milliseconds(0) : t.t4);  // K
      }
      deliver(response);
      return;
    default:
      return;  // Completed absorbs retransmitted finals
  }
}

void client_transaction::on_retransmit() noexcept {
  const transaction_timers& t = _table->env().timers;
  switch (_state) {
    case client_state::calling:  // Timer A: doubles without bound (B ends it)
      if (!send(_request)) return end_now(ending::transport_error);
      _interval *= 2;
      break;
    case client_state::trying:  // Timer E: doubles up to T2
      if (!send(_request)) return end_now(ending::transport_error);
      _interval = std::min(2 * _interval, t.t2);
      break;
    case client_state::proceeding:  // Timer E in Proceeding: every T2
      if (_invite) return;
      if (!send(_request)) return end_now(ending::transport_error);
      _interval = t.t2;
      break;
    default:
      return;
  }
  arm(_retransmit, _interval);
}

void client_transaction::on_timeout() noexcept {
  switch (_state) {
    case client_state::calling:     // Timer B
    case client_state::trying:      // Timer F
    case client_state::proceeding:  // Timer F (INVITE: not armed in Proceeding)
      return end_now(ending::timeout);
    case client_state::completed:  // Timer D or K
    case client_state::accepted:   // Timer M
      return end_now(ending::none);
    case client_state::terminated:  // end_soon()
      return end_now(_pending);
  }
}

void client_transaction::on_timer_c() noexcept {
  if ((_state == client_state::calling || _state == client_state::proceeding) &&
      _cb->timer_c != nullptr)
    _cb->timer_c(_user, *this);
}

void client_transaction::end_soon(ending why) noexcept {
  _state = client_state::terminated;  // no longer matched
  _pending = why;
  _table->env().wheel->cancel(_retransmit);
  _table->env().wheel->cancel(_timer_c);
  arm(_timeout, std::chrono::milliseconds(0));
}

void client_transaction::end_now(ending why) noexcept {
  _state = client_state::terminated;
  runtime::timer_wheel& wheel = *_table->env().wheel;
  wheel.cancel(_retransmit);
  wheel.cancel(_timeout);
  wheel.cancel(_timer_c);
  if (why == ending::timeout && _cb->timeout != nullptr) _cb->timeout(_user, *this);
  if (why == ending::transport_error && _cb->transport_error != nullptr)
    _cb->transport_error(_user, *this);
  if (_cb->terminated != nullptr) _cb->terminated(_user, *this);
  _table->destroy(this);  // last: nothing touches this afterwards
}

void client_transaction::fire_retransmit(runtime::timer_entry& t) noexcept {
  static_cast<client_transaction*>(static_cast<detail::owned_timer&>(t).owner)->on_retransmit();
}

void client_transaction::fire_timeout(runtime::timer_entry& t) noexcept {
  static_cast<client_transaction*>(static_cast<detail::owned_timer&>(t).owner)->on_timeout();
}

void client_transaction::fire_timer_c(runtime::timer_entry& t) noexcept {
  static_cast<client_transaction*>(static_cast<detail::owned_timer&>(t).owner)->on_timer_c();
}

}  // namespace sipring::sip
