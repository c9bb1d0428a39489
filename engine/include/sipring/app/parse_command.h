#pragma once
// `sipring parse [--stream] [FILE|-]`: one SIP message in, its JSON description out (exit 0),
// or the parse error's code, offset and reason on the error stream (exit 1).

#include <iosfwd>
#include <string>

namespace sipring::app {

struct parse_command_options {
  std::string path;     ///< "" or "-": standard input
  bool stream = false;  ///< parse as a stream (Content-Length mandatory) instead of a datagram
};

/// Runs the command; returns the process exit status (0 parsed, 1 malformed, 2 unreadable).
int run_parse_command(const parse_command_options& options, std::istream& in, std::ostream& out,
                      std::ostream& err);

}  // namespace sipring::app
