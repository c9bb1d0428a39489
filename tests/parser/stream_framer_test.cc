#include "sipring/parser/stream_framer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "corpus.h"

namespace sipring::parser {
namespace {

using kind = framer_event::kind;
using testing::torture_message;

// An event with its message copied out of the framer's buffer.
struct seen {
  kind what;
  std::string message;
  error_code error;
  bool operator==(const seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const seen& s) {
  static constexpr const char* names[] = {"need_more", "message", "ping", "error"};
  os << names[static_cast<int>(s.what)];
  if (s.what == kind::message) os << "(" << s.message.size() << " bytes)";
  if (s.what == kind::error) os << "(" << code_name(s.error) << ")";
  return os;
}

seen message(std::string m) { return {kind::message, std::move(m), error_code::none}; }
seen ping() { return {kind::ping, {}, error_code::none}; }
seen failure(error_code e) { return {kind::error, {}, e}; }

// Calls next() until need_more or error (the error is recorded once).
void drain(stream_framer& f, std::vector<seen>& out) {
  for (;;) {
    const framer_event ev = f.next();
    if (ev.what == kind::need_more) return;
    out.push_back({ev.what, std::string(ev.message), ev.error});
    if (ev.what == kind::error) return;
  }
}

// Feeds `stream` in the given chunk sizes (the last chunk takes the rest), draining after each.
std::vector<seen> feed(stream_framer& f, std::string_view stream, const std::vector<std::size_t>& chunks = {}) {
  std::vector<seen> out;
  std::size_t i = 0;
  for (std::size_t c = 0; i < stream.size(); ++c) {
    std::string_view chunk = stream.substr(i, c < chunks.size() ? chunks[c] : std::string_view::npos);
    i += chunk.size();
    while (!chunk.empty()) {
      const std::size_t n = f.append({chunk.data(), chunk.size()});
      chunk.remove_prefix(n);
      drain(f, out);
      if (f.error() != error_code::none) return out;
      if (n == 0) ADD_FAILURE() << "no room although drained";
      if (n == 0) return out;
    }
  }
  return out;
}

std::vector<seen> feed_all(std::string_view stream, std::uint32_t max = 64 * 1024,
                           const std::vector<std::size_t>& chunks = {}) {
  stream_framer f(max);
  return feed(f, stream, chunks);
}

// Puts a correct Content-Length in front of the body.
std::string with_body(std::string head, std::string_view body) {
  return head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

const std::string sdp =
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 client.atlanta.example.com\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.101\r\n"
    "t=0 0\r\n"
    "m=audio 49172 RTP/AVP 0\r\n"
    "a=rtpmap:0 PCMU/8000\r\n";

const std::string invite_head =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9\r\n"
    "Max-Forwards: 70\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:alice@client.atlanta.example.com;transport=tcp>\r\n"
    "Content-Type: application/sdp\r\n";

const std::string invite = with_body(invite_head, sdp);

const std::string ack =
    "ACK sip:bob@client.biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74b76\r\n"
    "Max-Forwards: 70\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 1 ACK\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

const std::string ok_200 = with_body(
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/TCP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 1 INVITE\r\n"
    "Contact: <sip:bob@client.biloxi.example.com;transport=tcp>\r\n"
    "Content-Type: application/sdp\r\n",
    sdp);

// A message whose headers are all given, for the Content-Length spelling tests.
std::string bye_with(std::string_view extra_headers, std::string_view body = "") {
  return "BYE sip:alice@client.atlanta.example.com SIP/2.0\r\n"
         "Via: SIP/2.0/TCP client.biloxi.example.com:5060;branch=z9hG4bKnashds7\r\n"
         "Max-Forwards: 70\r\n"
         "From: Bob <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
         "To: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
         "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
         "CSeq: 1 BYE\r\n" +
         std::string(extra_headers) + "\r\n" + std::string(body);
}

// --- Whole messages -------------------------------------------------------------------------

TEST(StreamFramer, OneInviteWithSdp) {
  stream_framer f;
  ASSERT_EQ(f.append({invite.data(), invite.size()}), invite.size());
  const framer_event ev = f.next();
  ASSERT_EQ(ev.what, kind::message);
  EXPECT_EQ(ev.message, invite);
  EXPECT_EQ(ev.error, error_code::none);
  EXPECT_EQ(f.next().what, kind::need_more);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(StreamFramer, ABufferReleasedByOneConnectionIsReusedByTheNextAndStartsEmpty) {
  // Connection churn reuses the pages of closed connections (a per-thread pool) instead of
  // mapping new ones; a reused buffer carries nothing of its last connection.
  const char* first_buffer = nullptr;
  {
    stream_framer f;
    first_buffer = f.write_area().data();
    ASSERT_EQ(f.append({invite.data(), invite.size() - 10}), invite.size() - 10);  // half a message, then closed
    EXPECT_EQ(f.next().what, kind::need_more);
  }
  stream_framer g;
  EXPECT_EQ(g.write_area().data(), first_buffer);
  EXPECT_EQ(g.buffered(), 0u);
  ASSERT_EQ(g.append({ack.data(), ack.size()}), ack.size());
  const framer_event ev = g.next();
  ASSERT_EQ(ev.what, kind::message);
  EXPECT_EQ(ev.message, ack);
}

TEST(StreamFramer, WriteAreaAndCommit) {
  stream_framer f(4096);
  std::span<char> area = f.write_area();
  ASSERT_EQ(area.size(), 4096u);
  std::memcpy(area.data(), ack.data(), 100);
  f.commit(100);
  EXPECT_EQ(f.next().what, kind::need_more);
  EXPECT_EQ(f.buffered(), 100u);
  area = f.write_area();
  ASSERT_GE(area.size(), ack.size() - 100);
  std::memcpy(area.data(), ack.data() + 100, ack.size() - 100);
  f.commit(ack.size() - 100);
  const framer_event ev = f.next();
  ASSERT_EQ(ev.what, kind::message);
  EXPECT_EQ(ev.message, ack);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(StreamFramer, PipelinedMessagesInOneChunk) {
  const std::string stream = invite + ok_200 + ack + invite;
  EXPECT_EQ(feed_all(stream), (std::vector<seen>{message(invite), message(ok_200), message(ack), message(invite)}));
}

TEST(StreamFramer, PartialMessageStaysBuffered) {
  stream_framer f;
  const std::string stream = invite + ack.substr(0, 40);
  f.append({stream.data(), stream.size()});
  EXPECT_EQ(f.next().what, kind::message);
  EXPECT_EQ(f.next().what, kind::need_more);
  EXPECT_EQ(f.buffered(), 40u);
}

TEST(StreamFramer, BodyContainingBlankLinesAndHeaderLikeText) {
  // The body is cut by Content-Length only: its CRLFCRLF and "Content-Length" text are data.
  const std::string body = "first part\r\n\r\nContent-Length: 999\r\nl: 3\r\n\r\n";
  const std::string m = with_body(invite_head, body);
  EXPECT_EQ(feed_all(m + ack), (std::vector<seen>{message(m), message(ack)}));
}

TEST(StreamFramer, BodyEndingWithCrlfIsNotAKeepalive) {
  const std::string body = "\r\n\r\n";
  const std::string m = with_body(invite_head, body);
  EXPECT_EQ(feed_all(m + "\r\n\r\n" + ack), (std::vector<seen>{message(m), ping(), message(ack)}));
}

// --- Keep-alives ----------------------------------------------------------------------------

TEST(StreamFramer, DoubleCrlfIsAPing) {
  EXPECT_EQ(feed_all("\r\n\r\n"), (std::vector<seen>{ping()}));
  EXPECT_EQ(feed_all("\r\n\r\n\r\n\r\n"), (std::vector<seen>{ping(), ping()}));
  EXPECT_EQ(feed_all(invite + "\r\n\r\n" + ack + "\r\n\r\n"),
            (std::vector<seen>{message(invite), ping(), message(ack), ping()}));
}

TEST(StreamFramer, LoneCrlfIsSkippedSilently) {
  EXPECT_EQ(feed_all("\r\n" + invite), (std::vector<seen>{message(invite)}));
  EXPECT_EQ(feed_all(invite + "\r\n" + ack), (std::vector<seen>{message(invite), message(ack)}));
  EXPECT_EQ(feed_all("\r\n\r\n\r\n" + ack), (std::vector<seen>{ping(), message(ack)}));
}

TEST(StreamFramer, LoneCrlfWaitsToKnowWhetherItIsAPing) {
  stream_framer f;
  f.append({"\r\n", 2});
  EXPECT_EQ(f.next().what, kind::need_more);
  f.append({"\r", 1});
  EXPECT_EQ(f.next().what, kind::need_more);
  f.append({"\n", 1});
  EXPECT_EQ(f.next().what, kind::ping);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(StreamFramer, SkippedCrlfIsNotCountedAsBuffered) {
  stream_framer f;
  const std::string stream = "\r\n" + ack.substr(0, 10);
  f.append({stream.data(), stream.size()});
  EXPECT_EQ(f.next().what, kind::need_more);
  EXPECT_EQ(f.buffered(), 10u);
}

TEST(StreamFramer, CrlfInsideAMessageIsNotAPing) {
  // Once a message has begun, blank lines belong to it (here: the end of its headers).
  EXPECT_EQ(feed_all(ack, 64 * 1024, {ack.size() - 4, 4}), (std::vector<seen>{message(ack)}));
}

// --- Every split of the stream gives the same events ------------------------------------------

const std::string mixed_stream = "\r\n" + invite + "\r\n\r\n" + ack + "\r\n" + ok_200 + "\r\n\r\n\r\n\r\n" +
                                 with_body(invite_head, "a\r\n\r\n\r\n\r\nb") + "\r\n";

const std::vector<seen> mixed_expected{message(invite), ping(), message(ack), message(ok_200), ping(), ping(),
                                       message(with_body(invite_head, "a\r\n\r\n\r\n\r\nb"))};

TEST(StreamFramer, OneChunkGivesTheExpectedEvents) {
  EXPECT_EQ(feed_all(mixed_stream), mixed_expected);
}

TEST(StreamFramer, SplitAtEveryBytePositionGivesTheSameEvents) {
  for (std::size_t k = 1; k < mixed_stream.size(); ++k)
    ASSERT_EQ(feed_all(mixed_stream, 64 * 1024, {k}), mixed_expected) << "split at " << k;
}

TEST(StreamFramer, ByteByByteGivesTheSameEvents) {
  EXPECT_EQ(feed_all(mixed_stream, 64 * 1024, std::vector<std::size_t>(mixed_stream.size(), 1)), mixed_expected);
}

TEST(StreamFramer, RandomChunksThroughATightBufferGiveTheSameEvents) {
  // A limit equal to the largest message forces the tail to be moved to the front often.
  std::size_t largest = 0;
  for (const seen& s : mixed_expected) largest = std::max(largest, s.message.size());
  std::mt19937 rng(20240601);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> chunks;
    for (std::size_t total = 0; total < mixed_stream.size();) {
      chunks.push_back(std::uniform_int_distribution<std::size_t>(1, 700)(rng));
      total += chunks.back();
    }
    ASSERT_EQ(feed_all(mixed_stream, static_cast<std::uint32_t>(largest), chunks), mixed_expected)
        << "round " << round;
  }
}

// --- Finding Content-Length -----------------------------------------------------------------

TEST(StreamFramer, ContentLengthSpellings) {
  for (const std::string header : {"Content-Length: 5\r\n", "content-length:5\r\n", "CONTENT-LENGTH: 5\r\n",
                                   "Content-Length : 5\r\n", "Content-Length\t \t:\t5 \r\n", "l: 5\r\n",
                                   "L:5\r\n", "l :5\r\n", "Content-Length:\r\n 5\r\n",
                                   "Content-Length: 005\r\n", "Content-Length: 5\r\nl: 5\r\n"}) {
    const std::string m = bye_with(header, "hello");
    EXPECT_EQ(feed_all(m + ack), (std::vector<seen>{message(m), message(ack)})) << header;
  }
}

TEST(StreamFramer, ContentLengthOnlyCountsAsAHeaderName) {
  // Lookalike names, a folded continuation line and another header's value do not count.
  for (const std::string header :
       {"X-Content-Length: 5\r\n", "Content-Lengths: 5\r\n", "lx: 5\r\n", "Content-Length-X: 5\r\n",
        "Subject: Content-Length: 5\r\n", "Subject: hi\r\n Content-Length: 5\r\n", "Subject: hi\r\n\tl: 5\r\n",
        "Content Length: 5\r\n", "Subject: a\nContent-Length: 5\r\n"}) {
    EXPECT_EQ(feed_all(bye_with(header, "hello")),
              (std::vector<seen>{failure(error_code::missing_content_length)}))
        << header;
  }
}

TEST(StreamFramer, ContentLengthInTheStartLineDoesNotCount) {
  const std::string m = "l: 5 sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\n\r\nhello";
  EXPECT_EQ(feed_all(m), (std::vector<seen>{failure(error_code::missing_content_length)}));
}

TEST(StreamFramer, MissingContentLength) {
  EXPECT_EQ(feed_all(bye_with("")), (std::vector<seen>{failure(error_code::missing_content_length)}));
}

TEST(StreamFramer, MissingContentLengthIsReportedAsSoonAsTheHeadersEnd) {
  // The body is not awaited: the error comes with the empty line.
  const std::string m = bye_with("Content-Type: text/plain\r\n");
  stream_framer f;
  f.append({m.data(), m.size() - 1});
  EXPECT_EQ(f.next().what, kind::need_more);
  f.append({m.data() + m.size() - 1, 1});
  EXPECT_EQ(f.next().error, error_code::missing_content_length);
}

TEST(StreamFramer, BadContentLength) {
  for (const std::string header : {"Content-Length: abc\r\n", "Content-Length:\r\n", "Content-Length: \r\n",
                                   "Content-Length: 12a\r\n", "Content-Length: -1\r\n", "Content-Length: +5\r\n",
                                   "Content-Length: 1 2\r\n", "Content-Length: 5, 5\r\n", "l: 0x10\r\n",
                                   "Content-Length: 5\r\nContent-Length: x\r\n"}) {
    EXPECT_EQ(feed_all(bye_with(header, "hello")), (std::vector<seen>{failure(error_code::bad_content_length)}))
        << header;
  }
}

TEST(StreamFramer, ConflictingContentLength) {
  for (const std::string header : {"Content-Length: 5\r\nContent-Length: 6\r\n", "Content-Length: 5\r\nl: 0\r\n",
                                   "l: 5\r\nSubject: x\r\ncontent-length : 4\r\n"}) {
    EXPECT_EQ(feed_all(bye_with(header, "hello")),
              (std::vector<seen>{failure(error_code::conflicting_content_length)}))
        << header;
  }
}

// --- Limits ---------------------------------------------------------------------------------

TEST(StreamFramer, MessageOfExactlyTheMaximumSizePasses) {
  const std::string m = with_body(invite_head, sdp);
  const auto max = static_cast<std::uint32_t>(m.size());
  EXPECT_EQ(feed_all(m, max), (std::vector<seen>{message(m)}));
  EXPECT_EQ(feed_all(m, max, std::vector<std::size_t>(m.size(), 1)), (std::vector<seen>{message(m)}));
  EXPECT_EQ(feed_all(m, max - 1), (std::vector<seen>{failure(error_code::message_too_large)}));
}

TEST(StreamFramer, MaximumSizeMessageFitsAfterAnEarlierOne) {
  // The big message arrives behind a small one: the buffer must be compacted to hold it.
  const std::string big = with_body(invite_head, std::string(3000, 'x'));
  const auto max = static_cast<std::uint32_t>(big.size());
  const std::string stream = "\r\n\r\n" + ack + big + ack + big;
  const std::vector<seen> expected{ping(), message(ack), message(big), message(ack), message(big)};
  for (const std::size_t first : {std::size_t{4}, ack.size(), ack.size() + 100, std::size_t{max}})
    EXPECT_EQ(feed_all(stream, max, {first, max, 1, 7, max}), expected) << "first chunk " << first;
}

TEST(StreamFramer, HeaderSectionTooLarge) {
  // 1024-byte limit: headers without their empty line fill it -> error, before any body.
  std::string head = bye_with("Content-Length: 0\r\n");
  head.resize(head.size() - 2);  // no empty line yet
  head += "X-Padding: " + std::string(2000, 'p');
  stream_framer f(1024);
  f.append({head.data(), 1023});
  EXPECT_EQ(f.next().what, kind::need_more);
  f.append({head.data() + 1023, 1});
  const framer_event ev = f.next();
  EXPECT_EQ(ev.what, kind::error);
  EXPECT_EQ(ev.error, error_code::message_too_large);
}

TEST(StreamFramer, HeaderSectionEndingPastTheLimitIsTooLarge) {
  // The empty line arrives, but it ends one byte past the limit.
  const std::string m = bye_with("Content-Length: 0\r\n");
  EXPECT_EQ(feed_all(m, static_cast<std::uint32_t>(m.size())), (std::vector<seen>{message(m)}));
  EXPECT_EQ(feed_all(m, static_cast<std::uint32_t>(m.size() - 1)),
            (std::vector<seen>{failure(error_code::message_too_large)}));
}

TEST(StreamFramer, BodyTooLargeIsReportedBeforeTheBodyArrives) {
  const std::string head = invite_head + "Content-Length: 5000\r\n\r\n";
  EXPECT_EQ(feed_all(head, 4096), (std::vector<seen>{failure(error_code::message_too_large)}));
  EXPECT_EQ(feed_all(invite_head + "Content-Length: 99999999999999999999999999\r\n\r\n"),
            (std::vector<seen>{failure(error_code::message_too_large)}));
}

TEST(StreamFramer, NothingIsRecoveredAfterAnError) {
  stream_framer f;
  const std::string bad = bye_with("Content-Length: nope\r\n");
  f.append({bad.data(), bad.size()});
  EXPECT_EQ(f.next().error, error_code::bad_content_length);
  EXPECT_EQ(f.error(), error_code::bad_content_length);
  // A valid message and a ping afterwards change nothing: the connection must be closed.
  EXPECT_TRUE(f.write_area().empty());
  EXPECT_EQ(f.append({ack.data(), ack.size()}), 0u);
  f.commit(10);
  for (int i = 0; i < 3; ++i) {
    const framer_event ev = f.next();
    EXPECT_EQ(ev.what, kind::error);
    EXPECT_EQ(ev.error, error_code::bad_content_length);
    EXPECT_TRUE(ev.message.empty());
  }
}

TEST(StreamFramer, MessagesBeforeAnErrorAreDelivered) {
  EXPECT_EQ(feed_all(invite + "\r\n\r\n" + bye_with("") + ack),
            (std::vector<seen>{message(invite), ping(), failure(error_code::missing_content_length)}));
}

TEST(StreamFramer, TinyLimitStillHandlesPings) {
  EXPECT_EQ(feed_all("\r\n\r\n\r\n\r\n", 1, {3, 3, 2}), (std::vector<seen>{ping(), ping()}));
}

// --- RFC 4475 torture messages on a stream -----------------------------------------------------

TEST(StreamFramer, TortureMessagesFramedWhole) {
  // Folded headers and "Content-Length   :" (wsinv), compact "l:" (longreq), a binary body
  // with NUL octets (mpart01): each file is exactly one message.
  for (const char* tag : {"wsinv", "longreq", "mpart01"}) {
    const std::string& m = torture_message("rfc4475", tag);
    ASSERT_FALSE(m.empty()) << tag;
    EXPECT_EQ(feed_all(m + m), (std::vector<seen>{message(m), message(m)})) << tag;
    EXPECT_EQ(feed_all(m, 64 * 1024, std::vector<std::size_t>(m.size(), 1)), (std::vector<seen>{message(m)})) << tag;
  }
}

TEST(StreamFramer, TortureTrailingOctetsAreTheNextMessageOnAStream) {
  // dblreq: on UDP the INVITE after the REGISTER is ignored; on a stream the lone CRLF between
  // them is skipped and the INVITE is the next message, cut after its 150 body octets; the 5
  // octets left over ("C\r\n\r\n") end a header section without Content-Length.
  const std::string& m = torture_message("rfc4475", "dblreq");
  const std::size_t invite_at = m.find("INVITE sip:");
  ASSERT_NE(invite_at, std::string::npos);
  ASSERT_EQ(m.substr(invite_at - 4, 4), "\r\n\r\n");
  const std::size_t invite_end = m.find("\r\n\r\n", invite_at) + 4 + 150;
  ASSERT_LT(invite_end, m.size());
  stream_framer f;
  f.append({m.data(), m.size()});
  std::vector<seen> got;
  drain(f, got);
  EXPECT_EQ(got, (std::vector<seen>{message(m.substr(0, invite_at - 2)),
                                    message(m.substr(invite_at, invite_end - invite_at)),
                                    failure(error_code::missing_content_length)}));
  EXPECT_EQ(m.substr(invite_end), "C\r\n\r\n");
}

TEST(StreamFramer, TortureFramingErrors) {
  EXPECT_EQ(feed_all(torture_message("rfc4475", "ncl")), (std::vector<seen>{failure(error_code::bad_content_length)}));
  EXPECT_EQ(feed_all(torture_message("rfc4475", "mcl01")), (std::vector<seen>{failure(error_code::conflicting_content_length)}));
  EXPECT_EQ(feed_all(torture_message("rfc4475", "inv2543")), (std::vector<seen>{failure(error_code::missing_content_length)}));
  // clerr: Content-Length 9999 runs past the bytes sent; a stream waits for them.
  stream_framer f;
  const std::string& m = torture_message("rfc4475", "clerr");
  ASSERT_EQ(f.append({m.data(), m.size()}), m.size());
  EXPECT_EQ(f.next().what, kind::need_more);
}

TEST(StreamFramer, BytesThatAreNotCrlfStartAMessage) {
  // Framing only: stray bytes before a start line become part of the message for parse() to
  // reject; "\r\n" followed by "\rX" skips the CRLF only.
  const std::string stray = "\n" + ack;
  EXPECT_EQ(feed_all(stray), (std::vector<seen>{message(stray)}));
  const std::string cr = "\rX" + ack;
  EXPECT_EQ(feed_all("\r\n" + cr), (std::vector<seen>{message(cr)}));
  EXPECT_EQ(feed_all("\r\n" + cr, 64 * 1024, {3, 1}), (std::vector<seen>{message(cr)}));
}

// --- Cost -----------------------------------------------------------------------------------

TEST(StreamFramer, ByteAtATimeHeaderSearchIsLinear) {
  // 1 MiB of header lines fed one byte at a time: rescanning from the start after every byte
  // would take minutes; resuming where the search stopped takes milliseconds.
  constexpr std::uint32_t max = 1 << 20;
  std::string head = "OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\n";
  while (head.size() < max - 128) head += "X-Filler: 0123456789abcdefghijklmnopqrstuvwxyz\r\n";
  head += "Content-Length: 0\r\n\r\n";
  stream_framer f(max);
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i + 1 < head.size(); ++i) {
    f.append({head.data() + i, 1});
    ASSERT_EQ(f.next().what, kind::need_more);
  }
  f.append({head.data() + head.size() - 1, 1});
  const framer_event ev = f.next();
  ASSERT_EQ(ev.what, kind::message);
  EXPECT_EQ(ev.message.size(), head.size());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace sipring::parser
