#pragma once
// A small streaming JSON writer for `sipring parse`: objects, arrays, strings (escaped; valid
// UTF-8 passes through, any other byte becomes \u00XX), integers, booleans and null. Commas
// are placed by the writer; the caller only nests correctly.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sipring::app {

class json_writer {
 public:
  explicit json_writer(std::string& out) : _out(out) {}

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  /// The next value's key (inside an object).
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(std::int64_t number);
  void value(bool flag);
  void null();

  template <class T>
  void field(std::string_view name, const T& v) {
    key(name);
    value(v);
  }
  /// A string field, left out when `text` is empty.
  void optional_field(std::string_view name, std::string_view text);

 private:
  void before_value();
  void write_string(std::string_view text);

  std::string& _out;
  std::vector<bool> _first;  ///< per open container: no element written yet
  bool _after_key = false;
};

}  // namespace sipring::app
