#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace sipring::testing {

namespace {
using clock = std::chrono::steady_clock;

int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}
}  // namespace

child_process::child_process(std::vector<std::string> argv) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  const int rc = posix_spawnp(&_pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  _out_fd = out_pipe[0];
  _err_fd = err_pipe[0];
  fcntl(_out_fd, F_SETFL, O_NONBLOCK);
  fcntl(_err_fd, F_SETFL, O_NONBLOCK);
}

child_process::~child_process() {
  if (!_exit_code && _pid > 0) {
    kill(_pid, SIGKILL);
    int status = 0;
    waitpid(_pid, &status, 0);
  }
  if (_out_fd >= 0) close(_out_fd);
  if (_err_fd >= 0) close(_err_fd);
}

bool child_process::signal(int sig) const { return !_exit_code && kill(_pid, sig) == 0; }

void child_process::reap_if_exited() {
  if (_exit_code) return;
  int status = 0;
  if (waitpid(_pid, &status, WNOHANG) == _pid) _exit_code = decode_status(status);
}

bool child_process::pump(std::chrono::milliseconds wait) {
  pollfd fds[2];
  nfds_t n = 0;
  if (_out_fd >= 0) fds[n++] = {_out_fd, POLLIN, 0};
  if (_err_fd >= 0) fds[n++] = {_err_fd, POLLIN, 0};
  if (n == 0) return false;
  if (poll(fds, n, static_cast<int>(wait.count())) <= 0) return true;
  char buf[4096];
  for (nfds_t i = 0; i < n; ++i) {
    if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    int& fd = fds[i].fd == _out_fd ? _out_fd : _err_fd;
    std::string& sink = fds[i].fd == _out_fd ? _out : _err;
    for (;;) {
      const ssize_t got = read(fd, buf, sizeof buf);
      if (got > 0) {
        sink.append(buf, static_cast<std::size_t>(got));
        continue;
      }
      if (got == 0) {  // writer closed
        close(fd);
        fd = -1;
      }
      break;
    }
  }
  return _out_fd >= 0 || _err_fd >= 0;
}

bool child_process::wait_for_output(std::string_view needle, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    if (_out.find(needle) != std::string::npos || _err.find(needle) != std::string::npos)
      return true;
    const auto now = clock::now();
    if (now >= deadline) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    if (!pump(std::min(left, std::chrono::milliseconds(50)))) {
      reap_if_exited();
      if (_exit_code) return _out.find(needle) != std::string::npos ||
                             _err.find(needle) != std::string::npos;
    }
  }
}

std::optional<int> child_process::wait_exit(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  for (;;) {
    const bool open = pump(std::chrono::milliseconds(20));
    reap_if_exited();
    if (_exit_code && !open) return _exit_code;
    if (_exit_code) {  // exited; drain what is left in the pipes without waiting long
      while (pump(std::chrono::milliseconds(5))) {
        if (clock::now() >= deadline) break;
      }
      return _exit_code;
    }
    if (clock::now() >= deadline) return std::nullopt;
  }
}

command_result run_command(std::vector<std::string> argv, std::chrono::milliseconds timeout) {
  child_process child(std::move(argv));
  const auto code = child.wait_exit(timeout);
  return {code.value_or(-1), child.out(), child.err()};
}

}  // namespace sipring::testing
