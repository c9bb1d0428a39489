// local_identity: our domains and our listeners' addresses, as a Route or Request-URI names them.

#include "sipring/sip/local_identity.h"

#include <gtest/gtest.h>

namespace sipring::sip {
namespace {

parser::uri uri(std::string_view text) {
  parser::uri u;
  EXPECT_EQ(parser::parse_uri(text, u), parser::error_code::none) << text;
  return u;
}

local_identity make() {
  std::vector<transport::listener_info> listeners(2);
  transport::peer_address::from_ip("127.0.0.1", 5060, listeners[0].bound);
  listeners[0].sent_by = "127.0.0.1:5060";
  transport::peer_address::from_ip("::1", 5080, listeners[1].bound);
  listeners[1].sent_by = "proxy.example.com:5080";
  return local_identity({"Example.com", "localhost"}, listeners);
}

TEST(LocalIdentity, DomainsAndAddressesAreOursCaseInsensitively) {
  const local_identity me = make();
  EXPECT_TRUE(me.is_our_domain("example.COM"));
  EXPECT_TRUE(me.is_our_domain("localhost"));
  EXPECT_TRUE(me.is_our_domain("127.0.0.1"));
  EXPECT_TRUE(me.is_our_domain("[0:0::1]"));
  EXPECT_TRUE(me.is_our_domain("proxy.example.com"));
  EXPECT_FALSE(me.is_our_domain("example.net"));
  EXPECT_FALSE(me.is_our_domain("127.0.0.2"));
}

TEST(LocalIdentity, ThisProxyIsAnAddressWithAListenerPortOrADomainWithoutUser) {
  const local_identity me = make();
  EXPECT_TRUE(me.is_this_proxy(uri("sip:127.0.0.1;lr")));
  EXPECT_TRUE(me.is_this_proxy(uri("sip:127.0.0.1:5060;lr")));
  EXPECT_FALSE(me.is_this_proxy(uri("sip:127.0.0.1:5070;lr")));
  EXPECT_TRUE(me.is_this_proxy(uri("sip:[::1]:5080;lr")));
  EXPECT_TRUE(me.is_this_proxy(uri("sip:proxy.example.com:5080;lr")));
  EXPECT_TRUE(me.is_this_proxy(uri("sip:example.com;lr")));
  EXPECT_FALSE(me.is_this_proxy(uri("sip:alice@example.com")));
  EXPECT_FALSE(me.is_this_proxy(uri("sip:p.example.net;lr")));
}

}  // namespace
}  // namespace sipring::sip
