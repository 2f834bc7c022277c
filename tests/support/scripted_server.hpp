// SPDX-License-Identifier: Apache-2.0
// A blocking TCP server for transport tests: each accepted connection runs a scripted function
// on its own thread (read a request, write bytes, stall, close or reset). Written on plain
// POSIX sockets so it shares no code with the client under test.
#ifndef DAYTONA_TESTS_SCRIPTED_SERVER_HPP
#define DAYTONA_TESTS_SCRIPTED_SERVER_HPP

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace daytona_test {

class connection {
public:
    explicit connection(int fd) : fd_(fd) {}
    ~connection() { close(); }

    /// Reads one request (head + Content-Length or chunked body). nullopt on EOF/timeout.
    std::optional<std::string> read_request(
        std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
        std::size_t head_end;
        while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos)
            if (!fill(timeout)) return std::nullopt;
        std::string head = buf_.substr(0, head_end + 4);
        std::string lower = head;
        for (auto& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::size_t total = head.size();
        if (auto p = lower.find("content-length:"); p != std::string::npos) {
            total += std::stoul(lower.substr(p + 15));
            while (buf_.size() < total)
                if (!fill(timeout)) return std::nullopt;
        } else if (lower.find("transfer-encoding: chunked") != std::string::npos) {
            std::size_t end;
            while ((end = buf_.find("0\r\n\r\n", head.size())) == std::string::npos)
                if (!fill(timeout)) return std::nullopt;
            total = end + 5;
        }
        std::string req = buf_.substr(0, total);
        buf_.erase(0, total);
        return req;
    }

    bool write(std::string_view data) {
        while (!data.empty()) {
            ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
            if (n <= 0) return false;
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return true;
    }

    /// Writes one byte at a time, pausing between bytes (llhttp's incremental path).
    bool dribble(std::string_view data,
                 std::chrono::microseconds pause = std::chrono::microseconds(200)) {
        for (char c : data) {
            if (!write(std::string_view(&c, 1))) return false;
            std::this_thread::sleep_for(pause);
        }
        return true;
    }

    /// Waits until the peer closes (or the timeout passes); true if it closed.
    bool wait_for_close(std::chrono::milliseconds timeout) { return !fill(timeout); }

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    /// Closes with RST instead of FIN.
    void reset() {
        if (fd_ < 0) return;
        linger l{1, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
        close();
    }

    /// Bytes received and not consumed yet (for scripts that parse frames themselves).
    const std::string& buffered() const noexcept { return buf_; }
    void consume(std::size_t n) { buf_.erase(0, n); }
    /// Receives more bytes into buffered(); false on EOF or timeout.
    bool fill_once(std::chrono::milliseconds timeout) { return fill(timeout); }

private:
    bool fill(std::chrono::milliseconds timeout) {
        if (fd_ < 0) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
        char tmp[16384];
        ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
        if (n <= 0) return false;
        buf_.append(tmp, static_cast<std::size_t>(n));
        return true;
    }

    int fd_;
    std::string buf_;
};

/// Accepts on 127.0.0.1:<ephemeral>; calls `script(conn, index)` per connection (index from 0).
class scripted_server {
public:
    using script = std::function<void(connection&, int)>;

    explicit scripted_server(script s) : script_(std::move(s)) {
        listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(listen_fd_, 128) != 0)
            throw std::runtime_error("scripted_server: cannot listen");
        socklen_t len = sizeof addr;
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }

    ~scripted_server() { stop(); }

    /// Stops accepting and waits for every script to return (so what they recorded can be
    /// checked). Idempotent.
    void stop() {
        if (stopping_.exchange(true)) return;
        ::shutdown(listen_fd_, SHUT_RDWR);
        ::close(listen_fd_);
        acceptor_.join();
        std::lock_guard lock(mu_);
        for (auto& t : workers_)
            t.join();
    }

    std::uint16_t port() const { return port_; }
    std::string url(const std::string& path = "") const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    int accepted() const { return accepted_.load(); }
    int active() const { return active_.load(); }
    int max_active() const { return max_active_.load(); }

private:
    void accept_loop() {
        for (;;) {
            int fd = ::accept(listen_fd_, nullptr, nullptr);
            if (fd < 0) {
                if (stopping_) return;
                continue;
            }
            int index = accepted_++;
            int now = ++active_;
            int prev = max_active_.load();
            while (now > prev && !max_active_.compare_exchange_weak(prev, now)) {
            }
            std::lock_guard lock(mu_);
            workers_.emplace_back([this, fd, index] {
                connection c(fd);
                try {
                    script_(c, index);
                } catch (...) {
                }
                c.close();
                --active_;
            });
        }
    }

    script script_;
    int listen_fd_ = -1;
    std::uint16_t port_ = 0;
    std::thread acceptor_;
    std::mutex mu_;
    std::vector<std::thread> workers_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> accepted_{0}, active_{0}, max_active_{0};
};

/// A canned HTTP/1.1 response with a body and Content-Length.
inline std::string http_response(int status, std::string_view body,
                                 std::string_view extra_headers = "",
                                 std::string_view content_type = "application/json") {
    std::string r = "HTTP/1.1 " + std::to_string(status) +
                    " X\r\nContent-Type: " + std::string(content_type) +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
                    std::string(extra_headers) + "\r\n";
    r += body;
    return r;
}

}  // namespace daytona_test

#endif  // DAYTONA_TESTS_SCRIPTED_SERVER_HPP
