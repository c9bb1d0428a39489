#include "sipp_runner.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sipring::testing {

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path unique_path(std::string_view stem, std::string_view suffix) {
  static std::atomic<unsigned> counter{0};
  return fs::temp_directory_path() /
         (std::string(stem) + "-" + std::to_string(getpid()) + "-" +
          std::to_string(counter.fetch_add(1)) + std::string(suffix));
}

std::optional<unsigned> to_unsigned(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const auto at = text.find(sep);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

}  // namespace

struct sipp_background::files {
  fs::path output = unique_path("sipp-out", ".log");
  fs::path stat = unique_path("sipp-stat", ".csv");
  fs::path errors = unique_path("sipp-err", ".log");
  ~files() {
    std::error_code ec;
    fs::remove(output, ec);
    fs::remove(stat, ec);
    fs::remove(errors, ec);
  }
};

std::string sipp_scenario_path(std::string_view name) {
  if (name.find('/') != std::string_view::npos) return std::string(name);
  return std::string(SIPRING_SIPP_DIR) + "/" + std::string(name);
}

std::optional<std::pair<unsigned, unsigned>> parse_sipp_stat_file(std::string_view text) {
  std::vector<std::string_view> lines;
  for (auto line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.size() < 2) return std::nullopt;
  const auto head = split(lines.front(), ';');
  const auto last = split(lines.back(), ';');
  std::optional<unsigned> ok, failed;
  for (std::size_t i = 0; i < head.size() && i < last.size(); ++i) {
    if (head[i] == "SuccessfulCall(C)") ok = to_unsigned(last[i]);
    if (head[i] == "FailedCall(C)") failed = to_unsigned(last[i]);
  }
  if (!ok || !failed) return std::nullopt;
  return std::pair{*ok, *failed};
}

std::optional<std::pair<unsigned, unsigned>> parse_sipp_summary(std::string_view text) {
  // "  Successful call        |        0                  |        1                 "
  auto cumulative = [&](std::string_view label) -> std::optional<unsigned> {
    const auto at = text.rfind(label);
    if (at == std::string_view::npos) return std::nullopt;
    auto line = text.substr(at);
    line = line.substr(0, line.find('\n'));
    const auto fields = split(line, '|');
    if (fields.size() < 3) return std::nullopt;
    return to_unsigned(fields.back());
  };
  const auto ok = cumulative("Successful call");
  const auto failed = cumulative("Failed call");
  if (!ok || !failed) return std::nullopt;
  return std::pair{*ok, *failed};
}

sipp_background::sipp_background(const sipp_options& o) : _files(std::make_unique<files>()) {
  // sh runs sipp with its screens sent to a file, then execs it: sipp keeps the pid.
  std::vector<std::string> argv = {"sh", "-c", "out=$1; shift; exec \"$@\" >\"$out\" 2>&1",
                                   "sh", _files->output.string(), "sipp",
                                   "-sf", sipp_scenario_path(o.scenario),
                                   "-t", o.transport,
                                   "-i", o.local_ip,
                                   "-nostdin",
                                   "-trace_stat", "-stf", _files->stat.string(), "-fd", "1",
                                   "-trace_err", "-error_file", _files->errors.string()};
  if (o.local_port != 0) argv.insert(argv.end(), {"-p", std::to_string(o.local_port)});
  if (!o.service.empty()) argv.insert(argv.end(), {"-s", o.service});
  if (!o.injection_file.empty()) argv.insert(argv.end(), {"-inf", o.injection_file});
  if (o.calls != 0) argv.insert(argv.end(), {"-m", std::to_string(o.calls)});
  if (o.rate != 0) argv.insert(argv.end(), {"-r", std::to_string(o.rate)});
  if (o.recv_timeout.count() > 0)
    argv.insert(argv.end(), {"-recv_timeout", std::to_string(o.recv_timeout.count())});
  argv.insert(argv.end(), o.extra.begin(), o.extra.end());
  if (!o.remote.empty()) argv.push_back(o.remote);
  _child = std::make_unique<child_process>(std::move(argv));
}

sipp_background::~sipp_background() = default;  // child_process kills and reaps

bool sipp_background::running() {
  if (_result) return false;
  return !_child->wait_exit(std::chrono::milliseconds(0)).has_value();
}

sipp_result sipp_background::stop(std::chrono::milliseconds timeout,
                                  std::chrono::milliseconds grace) {
  if (_result) return *_result;
  sipp_result r;
  auto code = _child->wait_exit(timeout);
  if (!code) {
    r.stopped = true;
    _child->signal(SIGTERM);
    code = _child->wait_exit(grace);
  }
  if (!code) {
    _child->signal(SIGKILL);
    _child->wait_exit(grace);
  }
  r.exit_code = code.value_or(-1);
  r.output = read_file(_files->output);
  r.errors = read_file(_files->errors);
  auto counts = parse_sipp_stat_file(read_file(_files->stat));
  if (!counts) counts = parse_sipp_summary(r.output);
  if (counts) {
    r.counts_known = true;
    r.successful = counts->first;
    r.failed = counts->second;
  }
  _result = r;
  return r;
}

sipp_result run_sipp(const sipp_options& options) {
  sipp_background sipp(options);
  auto r = sipp.stop(options.timeout, std::chrono::milliseconds(1000));
  if (r.stopped) r.exit_code = -1;
  return r;
}

std::string write_sipp_users(const std::vector<std::string>& users,
                             const std::vector<std::string>& passwords) {
  if (!passwords.empty() && passwords.size() != users.size())
    throw std::invalid_argument("write_sipp_users: one password per user");
  const auto path = unique_path("sipp-users", ".csv");
  std::ofstream out(path);
  out << "SEQUENTIAL\n";
  for (std::size_t i = 0; i < users.size(); ++i) {
    out << users[i] << ';';
    if (!passwords.empty())
      out << "[authentication username=" << users[i] << " password=" << passwords[i] << ']';
    out << '\n';
  }
  if (!out) throw std::runtime_error("cannot write " + path.string());
  return path.string();
}

}  // namespace sipring::testing
