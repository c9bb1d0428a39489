#include "sipring/transport/listeners.h"

#include <unistd.h>

#include <cstring>

namespace sipring::transport {

listener_sockets::~listener_sockets() {
  for (auto& per_shard : fds)
    for (int& fd : per_shard)
      if (fd >= 0) ::close(std::exchange(fd, -1));
}

int listener_sockets::take(std::size_t entry, unsigned shard) noexcept {
  return std::exchange(fds[entry][shard], -1);
}

runtime::result<listener_sockets> open_listeners(const std::vector<listener_spec>& specs, unsigned shards,
                                                 const runtime::socket_options& options, std::string& why) {
  listener_sockets out;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const listener_spec& spec = specs[i];
    runtime::socket_address address = spec.address;
    const auto kind = spec.transport == protocol::udp ? runtime::socket_kind::udp : runtime::socket_kind::tcp;
    auto& per_shard = out.fds.emplace_back();
    for (unsigned s = 0; s < shards; ++s) {
      const runtime::result<int> fd = runtime::open_listener(kind, address, options);
      if (!fd.ok()) {
        why = "cannot listen on " + std::string(protocol_name(spec.transport)) + " " + spec.address.to_string() +
              ": " + fd.err().message();
        return runtime::error(fd.err().value());
      }
      per_shard.push_back(fd.value());
      if (s == 0) address = *runtime::local_address(fd.value());  // port 0 → the port the kernel chose
    }
    listener_info info;
    info.transport = spec.transport;
    info.federation = spec.federation;
    info.bound.assign(address.get(), address.length);
    if (!spec.advertised.empty()) {
      info.sent_by = spec.advertised;
    } else {
      info.sent_by = info.bound.family() == AF_INET6 ? "[" + info.bound.ip_text() + "]" : info.bound.ip_text();
      info.sent_by += ":" + std::to_string(info.bound.port());
    }
    out.info.push_back(std::move(info));
  }
  return out;
}

}  // namespace sipring::transport
