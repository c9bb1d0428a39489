#include "sipring/sip/location.h"

#include <algorithm>
#include <utility>

namespace sipring::sip {

std::size_t location_partition::connection_key_hash::operator()(const connection_key& k) const noexcept {
  std::uint64_t h = (std::uint64_t{k.connection.slot} << 32) ^ k.connection.generation;
  h ^= (std::uint64_t{k.shard} << 16 | static_cast<std::uint64_t>(k.transport)) * 0x9e3779b97f4a7c15ULL;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 32;
  return static_cast<std::size_t>(h);
}

location_partition::aor_entry* location_partition::find(std::string_view aor_key) const noexcept {
  const auto it = _aors.find(aor_key);
  return it == _aors.end() ? nullptr : it->second.get();
}

std::optional<location_partition::connection_key> location_partition::key_of(const transport::flow& f) noexcept {
  if (!transport::is_stream(f.transport) || !f.connection.valid()) return std::nullopt;
  return connection_key{f.transport, f.shard, f.connection};
}

void location_partition::index(aor_entry& aor, const binding& b) {
  _by_deadline.insert(deadline_key{b.expires_at, b.id, &aor});
  if (const auto k = key_of(b.flow)) _by_connection.emplace(*k, connection_ref{b.id, &aor});
}

void location_partition::unindex(const binding& b) noexcept {
  _by_deadline.erase(deadline_key{b.expires_at, b.id, nullptr});
  if (const auto k = key_of(b.flow)) {
    auto [first, last] = _by_connection.equal_range(*k);
    for (auto it = first; it != last; ++it) {
      if (it->second.id == b.id) {
        _by_connection.erase(it);
        break;
      }
    }
  }
}

void location_partition::sort(aor_entry& aor) {
  std::sort(aor.bindings.begin(), aor.bindings.end(), [](const binding& a, const binding& b) {
    return a.q != b.q ? a.q > b.q : a.id < b.id;
  });
}

void location_partition::erase_aor(aor_entry& aor) noexcept {
  // The map's key views aor.key, which dies with the entry: erase by iterator, not by key.
  const auto it = _aors.find(std::string_view(aor.key));
  if (it != _aors.end()) _aors.erase(it);
}

bool location_partition::erase_at(aor_entry& aor, std::size_t i) noexcept {
  unindex(aor.bindings[i]);
  aor.bindings.erase(aor.bindings.begin() + static_cast<std::ptrdiff_t>(i));
  if (!aor.bindings.empty()) return true;
  erase_aor(aor);
  return false;
}

std::span<const binding> location_partition::lookup(std::string_view aor_key, clock::time_point now) noexcept {
  aor_entry* aor = find(aor_key);
  if (aor == nullptr) return {};
  for (std::size_t i = 0; i < aor->bindings.size();) {
    if (aor->bindings[i].expires_at > now) {
      ++i;
    } else if (!erase_at(*aor, i)) {
      return {};
    }
  }
  return aor->bindings;
}

std::uint64_t location_partition::add(std::string_view aor_key, binding b) {
  aor_entry* aor = find(aor_key);
  if (aor == nullptr) {
    auto entry = std::make_unique<aor_entry>();
    entry->key.assign(aor_key);
    aor = entry.get();
    const std::string_view key = aor->key;
    _aors.emplace(key, std::move(entry));
  }
  b.id = _next_id++;
  const std::uint64_t id = b.id;
  try {
    aor->bindings.push_back(std::move(b));
    index(*aor, aor->bindings.back());
  } catch (...) {
    // Out of memory: leave the partition as it was.
    if (!aor->bindings.empty() && aor->bindings.back().id == id) erase_at(*aor, aor->bindings.size() - 1);
    else if (aor->bindings.empty()) erase_aor(*aor);
    throw;
  }
  sort(*aor);
  return id;
}

bool location_partition::update(std::string_view aor_key, std::uint64_t id, binding b) {
  aor_entry* aor = find(aor_key);
  if (aor == nullptr) return false;
  const auto it = std::find_if(aor->bindings.begin(), aor->bindings.end(),
                               [id](const binding& x) { return x.id == id; });
  if (it == aor->bindings.end()) return false;
  unindex(*it);
  b.id = id;
  *it = std::move(b);
  try {
    index(*aor, *it);
  } catch (...) {
    // Out of memory: a binding the indexes do not know would never expire; drop it.
    erase_at(*aor, static_cast<std::size_t>(it - aor->bindings.begin()));
    throw;
  }
  sort(*aor);
  return true;
}

bool location_partition::remove(std::string_view aor_key, std::uint64_t id) noexcept {
  aor_entry* aor = find(aor_key);
  if (aor == nullptr) return false;
  for (std::size_t i = 0; i < aor->bindings.size(); ++i) {
    if (aor->bindings[i].id == id) {
      erase_at(*aor, i);
      return true;
    }
  }
  return false;
}

std::size_t location_partition::remove_all(std::string_view aor_key) noexcept {
  aor_entry* aor = find(aor_key);
  if (aor == nullptr) return 0;
  const std::size_t n = aor->bindings.size();
  for (const binding& b : aor->bindings) unindex(b);
  erase_aor(*aor);
  return n;
}

std::size_t location_partition::expire(clock::time_point now) noexcept {
  std::size_t n = 0;
  while (!_by_deadline.empty() && _by_deadline.begin()->at <= now) {
    const deadline_key due = *_by_deadline.begin();
    auto& list = due.aor->bindings;
    const auto it = std::find_if(list.begin(), list.end(), [&](const binding& b) { return b.id == due.id; });
    if (it == list.end()) {  // cannot happen: the index follows every change
      _by_deadline.erase(_by_deadline.begin());
      continue;
    }
    erase_at(*due.aor, static_cast<std::size_t>(it - list.begin()));
    ++n;
  }
  return n;
}

std::optional<location_partition::clock::time_point> location_partition::next_expiry() const noexcept {
  if (_by_deadline.empty()) return std::nullopt;
  return _by_deadline.begin()->at;
}

std::size_t location_partition::forget_flow(const transport::flow& f) noexcept {
  const auto k = key_of(f);
  if (!k) return 0;
  auto [first, last] = _by_connection.equal_range(*k);
  std::size_t n = 0;
  for (auto it = first; it != last; ++it) {
    for (binding& b : it->second.aor->bindings) {
      if (b.id == it->second.id) {
        b.flow.connection = {};
        ++n;
        break;
      }
    }
  }
  _by_connection.erase(first, last);
  return n;
}

}  // namespace sipring::sip
