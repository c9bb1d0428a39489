// The reactor: the one place that calls io_uring (liburing).

#include "sipring/runtime/reactor.h"

#include <liburing.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "sipring/runtime/log.h"
#include "sipring/runtime/uring_probe.h"

namespace sipring::runtime {

namespace {

thread_local reactor* this_thread_reactor = nullptr;

constexpr unsigned short receive_group = 1;

// The kernel's features, probed once per process (a few throwaway rings and sockets).
const uring_features& kernel_features() {
  static const uring_features f = probe_uring();
  return f;
}

// A spawned task, detached: runs `t`, then tells the reactor it is done; its frame frees itself.
struct detached {
  struct promise_type : pooled_frame {
    detached get_return_object() noexcept {
      return {std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); }
  };
  std::coroutine_handle<promise_type> handle;
};

detached run_detached(task<void> t, std::size_t* live) {
  co_await std::move(t);
  --*live;
}

void ignore_completion(io_completion&, int, unsigned) noexcept {}

}  // namespace

// ---- creation and the loop ------------------------------------------------------------------

reactor::reactor(const reactor_options& options)
    : _options(options),
      _ring(std::make_unique<io_uring>()),
      _timers(timer_wheel::clock::now(), options.timer_tick, options.timer_slots),
      _now(timer_wheel::clock::now()) {
  _wake_completion.on_cqe = &ignore_completion;  // the turn drains the inboxes anyway
  _ignored_completion.on_cqe = &ignore_completion;
  _eventfd_completion.owner = this;
  _eventfd_completion.on_cqe = [](io_completion& c, int, unsigned) noexcept {
    // Re-arm the eventfd read (the wake-up where MSG_RING is missing).
    reactor& r = *static_cast<eventfd_completion&>(c).owner;
    io_uring_sqe* s = r.next_sqe();
    io_uring_prep_read(s, r._event_fd, &r._eventfd_value, sizeof r._eventfd_value, 0);
    io_uring_sqe_set_data(s, &r._eventfd_completion);
  };
}

std::unique_ptr<reactor> reactor::create(const reactor_options& options, std::string& why) {
  if (this_thread_reactor != nullptr) {
    why = "this thread already runs a reactor";
    return nullptr;
  }
  const auto missing = kernel_features().missing_required();
  if (!missing.empty()) {
    why = "the kernel (" + kernel_features().kernel_release + ") lacks io_uring features sipring needs:";
    for (const auto& m : missing) why += " " + m + ";";
    return nullptr;
  }
  std::unique_ptr<reactor> r(new reactor(options));
  if (!r->init(why)) return nullptr;
  this_thread_reactor = r.get();
  return r;
}

bool reactor::init(std::string& why) {
  const uring_features& f = kernel_features();
  io_uring_params p{};
  // Only this thread submits; completions' task work runs when we enter the kernel to wait
  // (no interrupts while running user code).
  if (f.setup_single_issuer) p.flags |= IORING_SETUP_SINGLE_ISSUER;
  if (f.setup_single_issuer && f.setup_defer_taskrun) p.flags |= IORING_SETUP_DEFER_TASKRUN;
  if (const int e = io_uring_queue_init_params(_options.ring_entries, _ring.get(), &p); e < 0) {
    why = std::string("io_uring_queue_init failed: ") + std::strerror(-e);
    _ring.reset();
    return false;
  }
  _buffers = buffer_ring::create(*_ring, _options.receive_buffers, _options.receive_buffer_size,
                                 receive_group, why);
  if (!_buffers) return false;
  _msg_ring = f.op_msg_ring;
  // The eventfd wakes this reactor from threads that have no ring (and from other shards where
  // MSG_RING is missing).
  _event_fd = eventfd(0, EFD_CLOEXEC);
  if (_event_fd < 0) {
    why = std::string("eventfd failed: ") + std::strerror(errno);
    return false;
  }
  io_uring_sqe* s = next_sqe();
  io_uring_prep_read(s, _event_fd, &_eventfd_value, sizeof _eventfd_value, 0);
  io_uring_sqe_set_data(s, &_eventfd_completion);
  return true;
}

reactor::~reactor() {
  if (this_thread_reactor == this) this_thread_reactor = nullptr;
  _buffers.reset();  // before the ring it is registered with
  if (_ring) io_uring_queue_exit(_ring.get());
  for (multishot* m : _orphans) delete m;
  if (_event_fd >= 0) ::close(_event_fd);
}

reactor* reactor::current() noexcept { return this_thread_reactor; }

void reactor::stop() noexcept { _stopping = true; }

void reactor::spawn(task<void> t) {
  ++_live_tasks;
  schedule(run_detached(std::move(t), &_live_tasks).handle);
}

void reactor::schedule(std::coroutine_handle<> h) { _ready.push_back(h); }

void reactor::set_wake_handler(void (*on_wake)(void*), void* context) noexcept {
  _on_wake = on_wake;
  _wake_context = context;
}

void reactor::wake(reactor& other) noexcept {
  // Batched: the wake-ups go out with this turn's submission, one per target.
  if (std::find(_to_wake.begin(), _to_wake.end(), &other) == _to_wake.end()) _to_wake.push_back(&other);
}

void reactor::notify() noexcept {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(_event_fd, &one, sizeof one);
}

void reactor::run() {
  while (!(_stopping && _live_tasks == 0)) turn();
  io_uring_submit(_ring.get());
}

void reactor::resume_ready() {
  // Coroutines made ready while these run go to the next round; a few rounds per turn keep
  // short chains fast without starving I/O.
  for (int round = 0; round < 4 && !_ready.empty(); ++round) {
    _running.swap(_ready);
    for (std::coroutine_handle<> h : _running) h.resume();
    _running.clear();
  }
}

void reactor::turn() {
  _now = timer_wheel::clock::now();
  if (_on_wake) _on_wake(_wake_context);
  resume_ready();
  _timers.advance(_now);
  resume_ready();

  for (reactor* other : _to_wake) {
    if (_msg_ring) {
      io_uring_sqe* s = next_sqe();
      io_uring_prep_msg_ring(s, other->_ring->ring_fd, 0,
                             reinterpret_cast<__u64>(static_cast<io_completion*>(&other->_wake_completion)), 0);
      io_uring_sqe_set_data(s, &_ignored_completion);
    } else {
      other->notify();
    }
  }
  _to_wake.clear();
  if (_stopping && _live_tasks == 0) return;

  // Block only when nothing is ready, and never past the next timer.
  _sleeping.store(true, std::memory_order_seq_cst);
  // A producer that pushed before it could see us asleep did not wake us: look once more.
  if (_on_wake) _on_wake(_wake_context);
  io_uring_cqe* cqe = nullptr;
  // Wake-ups decided by the last drain go out next turn: do not block before it.
  if (!_ready.empty() || !_to_wake.empty()) {
    io_uring_submit(_ring.get());
  } else {
    __kernel_timespec ts{};
    __kernel_timespec* timeout = nullptr;
    if (auto next = _timers.next_wakeup()) {
      const auto wait = std::max(*next + _options.timer_slack - timer_wheel::clock::now(),
                                 timer_wheel::clock::duration::zero());
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
      ts.tv_sec = ns / 1000000000;
      ts.tv_nsec = ns % 1000000000;
      timeout = &ts;
    }
    // -ETIME (the timer is due) and -EINTR (a signal) are normal: dispatch what there is.
    (void)io_uring_submit_and_wait_timeout(_ring.get(), &cqe, 1, timeout, nullptr);
  }
  _sleeping.store(false, std::memory_order_seq_cst);
  const unsigned got = io_uring_cq_ready(_ring.get());
  dispatch_completions();
  // Coalescing: under load, wait a little for more completions so that one wake-up serves many.
  if (got != 0 && _options.coalesce_window.count() > 0 && _ready.size() < _options.coalesce_count) {
    __kernel_timespec window{};
    window.tv_nsec = std::chrono::duration_cast<std::chrono::nanoseconds>(_options.coalesce_window).count();
    io_uring_submit_and_wait_timeout(_ring.get(), &cqe, _options.coalesce_count, &window, nullptr);
    dispatch_completions();
  }
}

void reactor::dispatch_completions() {
  unsigned head = 0, n = 0;
  io_uring_cqe* cqe = nullptr;
  io_uring_for_each_cqe(_ring.get(), head, cqe) {
    auto* c = reinterpret_cast<io_completion*>(static_cast<std::uintptr_t>(cqe->user_data));
    if (c != nullptr) c->on_cqe(*c, cqe->res, cqe->flags);
    ++n;
  }
  io_uring_cq_advance(_ring.get(), n);
}

io_uring_sqe* reactor::next_sqe() {
  io_uring_sqe* s = io_uring_get_sqe(_ring.get());
  while (s == nullptr) {
    // The submission queue is full: hand it to the kernel and take a fresh entry.
    io_uring_submit(_ring.get());
    s = io_uring_get_sqe(_ring.get());
  }
  return s;
}

void reactor::submit_cancel(io_completion& op) {
  io_uring_sqe* s = next_sqe();
  io_uring_prep_cancel64(s, reinterpret_cast<__u64>(&op), 0);
  io_uring_sqe_set_data(s, &_ignored_completion);
}

// ---- single-shot operations ------------------------------------------------------------------

void reactor::io_awaitable::await_suspend(std::coroutine_handle<> h) {
  _waiter = h;
  io_uring_sqe* s = _r->next_sqe();
  _prep(s, *this);
  io_uring_sqe_set_data(s, static_cast<io_completion*>(this));
  _r->mark_inflight(1);
  if (_token) _token->attach(*this);
}

void reactor::io_awaitable::completed(io_completion& c, int res, unsigned) noexcept {
  auto& a = static_cast<io_awaitable&>(c);
  a._res = res;
  if (a._token) a._token->detach(a);
  a._r->mark_inflight(-1);
  a._r->schedule(a._waiter);
}

void reactor::io_awaitable::cancel_it(cancel_token::target& t) noexcept {
  auto& a = static_cast<io_awaitable&>(t);
  a._r->submit_cancel(a);
}

reactor::io_awaitable reactor::recv(int fd, std::span<char> into, cancel_token* token) {
  io_awaitable a(*this, [](io_uring_sqe* s, const io_awaitable& x) {
    io_uring_prep_recv(s, x.fd, x.buffer, x.length, 0);
  }, token);
  a.fd = fd;
  a.buffer = into.data();
  a.length = into.size();
  return a;
}

reactor::io_awaitable reactor::read(int fd, std::span<char> into, cancel_token* token) {
  io_awaitable a(*this, [](io_uring_sqe* s, const io_awaitable& x) {
    io_uring_prep_read(s, x.fd, x.buffer, static_cast<unsigned>(x.length), 0);
  }, token);
  a.fd = fd;
  a.buffer = into.data();
  a.length = into.size();
  return a;
}

reactor::io_awaitable reactor::send(int fd, std::span<const char> bytes, cancel_token* token) {
  io_awaitable a(*this, [](io_uring_sqe* s, const io_awaitable& x) {
    io_uring_prep_send(s, x.fd, x.buffer, x.length, MSG_NOSIGNAL);
  }, token);
  a.fd = fd;
  a.buffer = const_cast<char*>(bytes.data());
  a.length = bytes.size();
  return a;
}

reactor::io_awaitable reactor::sendmsg(int fd, const msghdr* msg, cancel_token* token) {
  io_awaitable a(*this, [](io_uring_sqe* s, const io_awaitable& x) {
    io_uring_prep_sendmsg(s, x.fd, static_cast<const msghdr*>(x.address), MSG_NOSIGNAL);
  }, token);
  a.fd = fd;
  a.address = msg;
  return a;
}

reactor::io_awaitable reactor::accept(int fd, cancel_token* token) {
  io_awaitable a(*this, [](io_uring_sqe* s, const io_awaitable& x) {
    io_uring_prep_accept(s, x.fd, nullptr, nullptr, SOCK_CLOEXEC);
  }, token);
  a.fd = fd;
  return a;
}

reactor::io_awaitable reactor::connect(int fd, const sockaddr* address, socklen_t length, cancel_token* token) {
  io_awaitable a(*this, [](io_uring_sqe* s, const io_awaitable& x) {
    io_uring_prep_connect(s, x.fd, static_cast<const sockaddr*>(x.address), static_cast<socklen_t>(x.length));
  }, token);
  a.fd = fd;
  a.address = address;
  a.length = length;
  return a;
}

reactor::io_awaitable reactor::close(int fd) {
  io_awaitable a(*this, [](io_uring_sqe* s, const io_awaitable& x) { io_uring_prep_close(s, x.fd); },
                 nullptr);
  a.fd = fd;
  return a;
}

// ---- sleeping ---------------------------------------------------------------------------------

void reactor::sleep_awaitable::await_suspend(std::coroutine_handle<> h) {
  _waiter = h;
  _r->timers().insert(*this, _deadline);
  if (_token) _token->attach(*this);
}

void reactor::sleep_awaitable::fired(timer_entry& t) noexcept {
  auto& s = static_cast<sleep_awaitable&>(t);
  if (s._token) s._token->detach(s);
  s._r->schedule(s._waiter);
}

void reactor::sleep_awaitable::cancel_it(cancel_token::target& t) noexcept {
  auto& s = static_cast<sleep_awaitable&>(t);
  if (!s.armed()) return;  // already fired: its waiter is scheduled
  s._r->timers().cancel(s);
  s._cancelled = true;
  s._r->schedule(s._waiter);
}

reactor::sleep_awaitable reactor::sleep_until(timer_wheel::clock::time_point deadline, cancel_token* token) {
  return sleep_awaitable(*this, deadline, token);
}

reactor::sleep_awaitable reactor::sleep_for(std::chrono::nanoseconds d, cancel_token* token) {
  return sleep_awaitable(*this, timer_wheel::clock::now() + d, token);
}

// ---- multishot operations ---------------------------------------------------------------------

reactor::multishot::multishot(reactor& r, kind k, int fd)
    : io_completion{&completed}, _r(&r), _kind(k), _fd(fd) {
  _msg.msg_namelen = sizeof(sockaddr_storage);
}

void reactor::multishot::arm() {
  io_uring_sqe* s = _r->next_sqe();
  switch (_kind) {
    case kind::accept:
      io_uring_prep_multishot_accept(s, _fd, nullptr, nullptr, SOCK_CLOEXEC);
      break;
    case kind::recv:
      io_uring_prep_recv_multishot(s, _fd, nullptr, 0, 0);
      s->flags |= IOSQE_BUFFER_SELECT;
      s->buf_group = _r->receive_buffers().group();
      break;
    case kind::recvmsg:
      io_uring_prep_recvmsg_multishot(s, _fd, &_msg, 0);
      s->flags |= IOSQE_BUFFER_SELECT;
      s->buf_group = _r->receive_buffers().group();
      break;
  }
  io_uring_sqe_set_data(s, static_cast<io_completion*>(this));
  _armed = true;
  _r->mark_inflight(1);
}

void reactor::multishot::completed(io_completion& c, int res, unsigned flags) noexcept {
  auto& m = static_cast<multishot&>(c);
  if (!(flags & IORING_CQE_F_MORE)) {
    m._armed = false;
    m._r->mark_inflight(-1);
  }
  if (m._orphaned) {
    // Nobody will take it: give the buffer back, close the connection.
    if (flags & IORING_CQE_F_BUFFER)
      m._r->receive_buffers().give_back(static_cast<unsigned short>(flags >> IORING_CQE_BUFFER_SHIFT));
    else if (m._kind == kind::accept && res >= 0)
      ::close(res);
    if (!m._armed) {
      auto& orphans = m._r->_orphans;
      orphans.erase(std::remove(orphans.begin(), orphans.end(), &m), orphans.end());
      delete &m;
    }
    return;
  }
  // Running out of buffers ends the operation; next() re-arms it (once buffers are back).
  if (res == -ENOBUFS && !(flags & IORING_CQE_F_MORE)) {
    SIPRING_LOG(debug, "runtime", "receive buffers ran out (%u in use); the receive %s",
                m._r->receive_buffers().in_use(), m._waiter && !m._cancelled ? "is re-armed now" : "waits for its reader");
    if (m._waiter && !m._cancelled) m.arm();
    return;
  }
  m._queue.push_back({res, flags});
  if (m._waiter) m._r->schedule(std::exchange(m._waiter, {}));
}

void reactor::multishot::drop_queue() noexcept {
  for (std::size_t i = _queue_head; i < _queue.size(); ++i) {
    const event& e = _queue[i];
    if (e.flags & IORING_CQE_F_BUFFER)
      _r->receive_buffers().give_back(static_cast<unsigned short>(e.flags >> IORING_CQE_BUFFER_SHIFT));
    else if (_kind == kind::accept && e.res >= 0)
      ::close(e.res);
  }
  _queue.clear();
  _queue_head = 0;
}

void reactor::multishot::cancel() {
  _cancelled = true;
  if (_armed) _r->submit_cancel(*this);
}

reactor::multishot::next_awaitable reactor::multishot::next(cancel_token* token) {
  return next_awaitable(*this, token);
}

bool reactor::multishot::next_awaitable::await_ready() {
  if (_m->_queue_head < _m->_queue.size()) return true;
  if (_token && _token->cancelled()) _m->cancel();
  if (_m->_cancelled && !_m->_armed) return true;
  if (!_m->_armed) _m->arm();  // first call, or ended for lack of buffers: (re)start
  return false;
}

result<reactor::multishot::item> reactor::multishot::next_awaitable::await_resume() {
  if (_token) _token->detach(*this);
  multishot& m = *_m;
  if (m._queue_head >= m._queue.size()) return error(ECANCELED);
  const event e = m._queue[m._queue_head++];
  if (m._queue_head == m._queue.size()) {
    m._queue.clear();
    m._queue_head = 0;
  }
  if (e.res < 0) return error(-e.res);
  item it;
  it.res = e.res;
  if (e.flags & IORING_CQE_F_BUFFER)
    it.buffer = received_buffer(m._r->receive_buffers(),
                                static_cast<unsigned short>(e.flags >> IORING_CQE_BUFFER_SHIFT),
                                static_cast<std::size_t>(e.res));
  return it;
}

void reactor::multishot_release::operator()(multishot* m) const noexcept {
  if (m == nullptr) return;
  m->drop_queue();
  if (!m->_armed) {
    delete m;
    return;
  }
  // The kernel still holds it: cancel, and free it on its last completion.
  m->_orphaned = true;
  m->_r->submit_cancel(*m);
  m->_r->_orphans.push_back(m);
}

reactor::multishot_ptr reactor::accept_multishot(int fd) {
  return multishot_ptr(new multishot(*this, multishot::kind::accept, fd));
}

reactor::multishot_ptr reactor::recv_multishot(int fd) {
  return multishot_ptr(new multishot(*this, multishot::kind::recv, fd));
}

reactor::multishot_ptr reactor::recvmsg_multishot(int fd) {
  return multishot_ptr(new multishot(*this, multishot::kind::recvmsg, fd));
}

}  // namespace sipring::runtime
