#include "rate.h"

namespace sipring::load {

double rate_control::due_by(double t) const noexcept {
  double due = 0, start = 0;
  for (const auto& s : _plan->steps) {
    const double in = t - start;
    if (in <= 0) break;
    const double span = in < s.seconds ? in : s.seconds;
    // Linear rate inside the step: the area of a trapezoid.
    const double rate_at = s.rate + (s.rate_end - s.rate) * (span / s.seconds);
    due += (s.rate + rate_at) * 0.5 * span;
    start += s.seconds;
  }
  return due * _share;
}

unsigned rate_control::step_at(double t) const noexcept {
  double start = 0;
  for (unsigned i = 0; i < _plan->steps.size(); ++i) {
    start += _plan->steps[i].seconds;
    if (t < start) return i;
  }
  return _plan->steps.empty() ? 0 : static_cast<unsigned>(_plan->steps.size() - 1);
}

double rate_control::length() const noexcept {
  double l = 0;
  for (const auto& s : _plan->steps) l += s.seconds;
  return l;
}

}  // namespace sipring::load
