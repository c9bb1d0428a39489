#include "histogram.h"

#include <algorithm>
#include <cmath>

namespace sipring::load {

std::uint64_t histogram::quantile(double q) const noexcept {
  if (_total == 0) return 0;
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(_total))));
  std::uint64_t seen = 0;
  for (unsigned i = 0; i < buckets; ++i) {
    seen += _counts[i];
    if (seen >= rank) return std::min(upper_of(i), _max);
  }
  return _max;
}

}  // namespace sipring::load
