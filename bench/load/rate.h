#pragma once
// Rate control: how many transactions an open-loop shard should have started by a given time of
// its plan (the integral of the offered rate), and which step that time is in.

#include <cstdint>

#include "options.h"

namespace sipring::load {

class rate_control {
 public:
  /// `share`: this shard's part of the rate (1 / shards).
  rate_control(const rate_plan& plan, double share) noexcept : _plan(&plan), _share(share) {}

  /// Transactions due by `t` seconds into the plan (fractional).
  double due_by(double t) const noexcept;
  /// The step `t` falls in (the last one past the end).
  unsigned step_at(double t) const noexcept;
  /// The plan's length in seconds.
  double length() const noexcept;

 private:
  const rate_plan* _plan;
  double _share;
};

}  // namespace sipring::load
