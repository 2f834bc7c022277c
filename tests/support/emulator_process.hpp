// SPDX-License-Identifier: Apache-2.0
// Starts the daytona-emulator binary as a child process and reads its URL from the first line
// it prints. Standard library and POSIX only, so the single-include smoke test can use it.
#ifndef DAYTONA_TESTS_EMULATOR_PROCESS_HPP
#define DAYTONA_TESTS_EMULATOR_PROCESS_HPP

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace daytona_test {

class emulator_process {
public:
    /// Runs `binary` with `args` plus "--port 0", and waits for its "listening on" line. With
    /// `stderr_file`, what it logs goes there (for counting requests with --verbose).
    explicit emulator_process(const std::string& binary, std::vector<std::string> args = {},
                              const std::string& stderr_file = {}) {
        int fds[2];
        if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
        posix_spawn_file_actions_addclose(&fa, fds[0]);
        if (!stderr_file.empty())
            posix_spawn_file_actions_addopen(&fa, 2, stderr_file.c_str(),
                                             O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
        std::vector<std::string> all{binary, "--port", "0"};
        all.insert(all.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& a : all)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        int rc = ::posix_spawn(&pid_, binary.c_str(), &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        ::close(fds[1]);
        if (rc != 0) {
            ::close(fds[0]);
            throw std::runtime_error("cannot start " + binary);
        }
        out_ = ::fdopen(fds[0], "r");
        char line[1024];
        if (std::fgets(line, sizeof line, out_) == nullptr)
            throw std::runtime_error("emulator printed nothing");
        std::string l(line);
        auto at = l.find("listening on ");
        if (at == std::string::npos) throw std::runtime_error("unexpected first line: " + l);
        auto start = at + 13;
        base_url_ = l.substr(start, l.find(' ', start) - start);
    }
    ~emulator_process() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            int status;
            ::waitpid(pid_, &status, 0);
        }
        if (out_) std::fclose(out_);
    }
    emulator_process(const emulator_process&) = delete;
    emulator_process& operator=(const emulator_process&) = delete;

    /// Kills the emulator with SIGKILL (no chance to flush or clean up) and reaps it.
    void kill_now() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

    /// "http://127.0.0.1:PORT".
    const std::string& base_url() const { return base_url_; }
    std::string api_url() const { return base_url_ + "/api"; }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    std::FILE* out_ = nullptr;
    std::string base_url_;
};

}  // namespace daytona_test

#endif  // DAYTONA_TESTS_EMULATOR_PROCESS_HPP
