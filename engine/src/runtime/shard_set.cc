#include "sipring/runtime/shard_set.h"

#include <algorithm>
#include <deque>
#include <latch>

#include "sipring/runtime/thread_placement.h"

namespace sipring::runtime {

namespace {

thread_local unsigned this_shard_id = 0;

}  // namespace

struct shard_set::shard {
  unsigned id = 0;
  int cpu = -1;
  std::thread thread;
  std::unique_ptr<reactor> loop;
  shard_context context;
  shard_set* set = nullptr;
  // Messages that found their ring full, per target, sent again each turn.
  std::vector<std::deque<detail::cross_message>> overflow;
  // Control events posted from any thread.
  std::mutex control_lock;
  std::vector<std::function<void(shard_context&)>> control;
  std::atomic<bool> has_control{false};
  bool stop_begun = false;
  std::size_t frames_left = 0;  ///< coroutine frames still allocated when the shard ended
  // Ends the grace period of a stop.
  struct grace_timer : timer_entry {
    shard* owner = nullptr;
    grace_timer() : timer_entry(&expired) {}
    static void expired(timer_entry& t) noexcept {
      shard& s = *static_cast<grace_timer&>(t).owner;
      s.context._grace_over = true;
      auto tokens = std::exchange(s.context._after_grace, {});
      for (cancel_token* token : tokens) token->cancel();
    }
  } grace;
};

void shard_context::forget(cancel_token& t) noexcept {
  std::erase(_at_stop, &t);
  std::erase(_after_grace, &t);
}

shard_set::shard_set(shard_set_options options) : _options(std::move(options)) {
  const unsigned n = _options.cpus.empty() ? std::max(1u, _options.count)
                                           : static_cast<unsigned>(_options.cpus.size());
  for (unsigned i = 0; i < n; ++i) {
    auto s = std::make_unique<shard>();
    s->id = i;
    s->cpu = _options.cpus.empty() ? -1 : static_cast<int>(_options.cpus[i]);
    s->set = this;
    s->overflow.resize(n);
    s->grace.owner = s.get();
    _shards.push_back(std::move(s));
  }
  for (unsigned i = 0; i < n * n; ++i)
    _rings.push_back(std::make_unique<spsc_ring<detail::cross_message>>(_options.ring_capacity));
}

shard_set::~shard_set() {
  request_stop();
  join();
}

std::size_t shard_set::frames_left() const noexcept {
  std::size_t n = 0;
  for (const auto& s : _shards) n += s->frames_left;
  return n;
}

int shard_set::cpu_of(unsigned n) const noexcept { return n < _shards.size() ? _shards[n]->cpu : -1; }

unsigned shard_set::this_shard() noexcept { return this_shard_id; }

std::string shard_set::start(shard_main main) {
  // Two phases: every shard creates its reactor, then all run `main` (a shard may call another
  // from its first line, whose reactor must exist by then). The gate is shared: a thread may
  // reach go.wait() after start() has returned.
  struct gate {
    std::latch created;
    std::latch go{1};
    bool proceed = false;
    std::vector<std::string> errors;
    explicit gate(std::size_t n) : created(static_cast<std::ptrdiff_t>(n)), errors(n) {}
  };
  auto g = std::make_shared<gate>(_shards.size());
  _joined = false;
  for (auto& sp : _shards) {
    shard& s = *sp;
    s.thread = std::thread([this, &s, g, main]() mutable {
      std::string why;
      if (s.cpu >= 0) why = pin_current_thread(static_cast<unsigned>(s.cpu));
      (void)name_current_thread("sipring/" + std::to_string(s.id));  // a cosmetic failure
      if (why.empty()) s.loop = reactor::create(_options.reactor, why);
      g->errors[s.id] = why;
      g->created.count_down();
      g->go.wait();
      if (g->proceed) run_shard(s, main);
    });
  }
  g->created.wait();
  std::string failure;
  for (unsigned i = 0; i < g->errors.size(); ++i)
    if (!g->errors[i].empty()) failure += "shard " + std::to_string(i) + ": " + g->errors[i] + "; ";
  g->proceed = failure.empty();
  g->go.count_down();
  if (!g->proceed) join();
  return failure;
}

void shard_set::run_shard(shard& s, shard_main& main) {
  this_shard_id = s.id;
  s.context._id = s.id;
  s.context._reactor = s.loop.get();
  s.context._set = this;
  s.loop->set_wake_handler(&drain, &s);
  s.loop->spawn(main(s.context));
  s.loop->run();
  s.frames_left = frame_allocator::live_frames();
  // Every task has finished. The reactor is destroyed by join(): other shards may still read
  // its state (sleeping()) until they end too.
}

void shard_set::request_stop() noexcept {
  _stop_requested.store(true, std::memory_order_seq_cst);
  for (auto& s : _shards)
    if (s->loop) s->loop->notify();
}

void shard_set::join() {
  for (auto& s : _shards)
    if (s->thread.joinable()) s->thread.join();
  for (auto& s : _shards) s->loop.reset();
  _joined = true;
}

void shard_set::post_to_all(std::function<void(shard_context&)> fn) {
  for (auto& s : _shards) {
    {
      std::lock_guard lock(s->control_lock);
      s->control.push_back(fn);
    }
    s->has_control.store(true, std::memory_order_seq_cst);
    if (s->loop) s->loop->notify();
  }
}

void shard_set::send(unsigned from, unsigned to, detail::cross_message m) {
  shard& source = *_shards[from];
  auto& queue = source.overflow[to];
  if (!queue.empty() || !_rings[from * size() + to]->push(m)) {
    queue.push_back(m);  // sent again on the next turns, in order
    return;
  }
  // The push (a release store) must be visible before we read whether the target sleeps:
  // without a full fence x86 may do the load first (store-load reordering), the target may
  // then go to sleep after its last look at the ring, and nobody would wake it. The target
  // side pairs with the seq_cst store of its sleeping flag before that last look.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (_shards[to]->loop->sleeping()) source.loop->wake(*_shards[to]->loop);
}

namespace {

task<void> serve(shard_set* set, detail::cross_call* call, void (*reply)(shard_set*, detail::cross_call*)) {
  co_await call->execute(*call);
  reply(set, call);
}

}  // namespace

void shard_set::drain(void* shard_ptr) {
  shard& s = *static_cast<shard*>(shard_ptr);
  shard_set& set = *s.set;
  const unsigned n = set.size();
  for (unsigned from = 0; from < n; ++from) {
    if (from == s.id) continue;
    auto& ring = *set._rings[from * n + s.id];
    detail::cross_message m;
    while (ring.pop(m)) {
      if (m.reply) {
        s.loop->schedule(m.call->caller);
      } else {
        s.loop->spawn(serve(&set, m.call, [](shard_set* owner, detail::cross_call* c) {
          owner->send(this_shard(), c->from, {c, true});
        }));
      }
    }
  }
  // Messages that found a ring full: try again, in order.
  for (unsigned to = 0; to < n; ++to) {
    auto& queue = s.overflow[to];
    bool sent = false;
    while (!queue.empty() && set._rings[s.id * n + to]->push(queue.front())) {
      queue.pop_front();
      sent = true;
    }
    std::atomic_thread_fence(std::memory_order_seq_cst);  // as in send()
    if (sent && set._shards[to]->loop->sleeping()) s.loop->wake(*set._shards[to]->loop);
  }
  if (s.has_control.exchange(false, std::memory_order_seq_cst)) {
    std::vector<std::function<void(shard_context&)>> events;
    {
      std::lock_guard lock(s.control_lock);
      events.swap(s.control);
    }
    for (auto& e : events) e(s.context);
  }
  if (set._stop_requested.load(std::memory_order_relaxed) && !s.stop_begun) set.begin_stop(s);
}

void shard_set::begin_stop(shard& s) {
  s.stop_begun = true;
  s.context._stopping = true;
  auto tokens = std::exchange(s.context._at_stop, {});
  for (cancel_token* t : tokens) t->cancel();
  s.loop->timers().insert(s.grace, timer_wheel::clock::now() + _options.stop_grace);
  s.loop->stop();  // run() returns once every task has finished
}

}  // namespace sipring::runtime
