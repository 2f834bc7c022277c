// SPDX-License-Identifier: Apache-2.0
#include "runtime.hpp"
#include "util.hpp"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace daytona::emulator {

void sandbox_runtime::started(pid_t pgid) {
    std::lock_guard lock(mu);
    std::erase_if(groups, [](pid_t g) { return ::kill(-g, 0) != 0 && errno == ESRCH; });
    groups.insert(pgid);
}

void sandbox_runtime::ended(pid_t pgid) {
    std::lock_guard lock(mu);
    if (::kill(-pgid, 0) != 0 && errno == ESRCH) groups.erase(pgid);
}

void sandbox_runtime::kill_all() {
    std::set<pid_t> victims;
    std::map<std::string, std::shared_ptr<session>> s;
    std::map<std::string, std::shared_ptr<pty_session>> p;
    std::map<std::string, std::shared_ptr<interpreter_context>> c;
    std::map<std::string, std::shared_ptr<lsp_server>> l;
    {
        std::lock_guard lock(mu);
        victims = groups;
        s.swap(sessions);
        p.swap(ptys);
        c.swap(contexts);
        l.swap(lsp_servers);
    }
    for (auto& [id, sess] : s) {
        std::lock_guard lock(sess->mu);
        if (sess->pid > 0) victims.insert(sess->pid);
        sess->ended = true;
    }
    for (auto& [id, pty] : p) {
        std::lock_guard lock(pty->mu);
        if (pty->pid > 0 && pty->active) signal_terminal_session(pty->pid, SIGKILL);
    }
    for (auto& [id, ctx] : c)
        if (ctx->pid > 0) victims.insert(ctx->pid);
    for (auto& [key, server] : l)
        if (server->pid > 0) victims.insert(server->pid);
    for (pid_t g : victims)
        ::kill(-g, SIGKILL);
}

void interpreter_context::stop() {
    end_process_group(pid);
    for (auto* fd : {&requests, &control, &out, &err})
        fd->reset();
    control_tail.clear();
}

void lsp_server::stop() {
    end_process_group(pid);
    to_server.reset();
    from_server.reset();
    inbox.clear();
}

asio::awaitable<void> take_turn(std::mutex& mu, bool& busy) {
    asio::steady_timer wait(co_await asio::this_coro::executor);
    for (;;) {
        {
            std::lock_guard lock(mu);
            if (!busy) {
                busy = true;
                co_return;
            }
        }
        wait.expires_after(std::chrono::milliseconds(20));
        std::error_code ec;
        co_await wait.async_wait(net::redirect(ec));
    }
}

int signal_terminal_session(pid_t sid, int sig) {
    int count = 0;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
        auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream fields(stat.substr(close + 1));
        std::string state;
        long ppid = 0, pgrp = 0, session = 0;
        if (!(fields >> state >> ppid >> pgrp >> session) || session != sid) continue;
        if (::kill(static_cast<pid_t>(std::stol(name)), sig) == 0) ++count;
    }
    return count;
}

namespace runtime_impl {

/// Socket inode -> port of every listening TCP socket, asked of the kernel over
/// NETLINK_SOCK_DIAG with a state filter. False if the kernel does not answer (no sock_diag).
bool listening_sockets_diag(std::map<unsigned long, int>& out) {
    const unique_fd sock(::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (!sock) return false;
    const int fd = sock.get();
    for (const unsigned char family : {AF_INET, AF_INET6}) {
        struct {
            nlmsghdr header;
            inet_diag_req_v2 request;
        } query{};
        query.header.nlmsg_len = sizeof query;
        query.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
        query.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
        query.request.sdiag_family = family;
        query.request.sdiag_protocol = IPPROTO_TCP;
        query.request.idiag_states = 1u << TCP_LISTEN;
        sockaddr_nl kernel{};
        kernel.nl_family = AF_NETLINK;
        if (::sendto(fd, &query, sizeof query, 0, reinterpret_cast<sockaddr*>(&kernel),
                     sizeof kernel) < 0)
            return false;
        alignas(nlmsghdr) char buf[32768];
        for (bool done = false; !done;) {
            const auto n = ::recv(fd, buf, sizeof buf, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            int left = static_cast<int>(n);
            for (auto* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, left);
                 h = NLMSG_NEXT(h, left)) {
                if (h->nlmsg_type == NLMSG_DONE) {
                    done = true;
                    break;
                }
                if (h->nlmsg_type == NLMSG_ERROR) return false;
                const auto* diag = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
                out[diag->idiag_inode] = ntohs(diag->id.idiag_sport);
            }
        }
    }
    return true;
}

/// Socket inode -> port of every listening TCP socket. Reading /proc/net/tcp is the fallback:
/// the kernel lists every connection there, which took 8 ms on a host with 5,600 of them.
std::map<unsigned long, int> listening_sockets() {
    std::map<unsigned long, int> out;
    if (listening_sockets_diag(out)) return out;
    out.clear();
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line);  // the column titles
        while (std::getline(in, line)) {
            // "sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid
            // timeout inode ..."; an address is HEXADDR:HEXPORT; state 0A is LISTEN.
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout;
            unsigned long inode = 0;
            if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >>
                  uid >> timeout >> inode))
                continue;
            const auto colon = local.rfind(':');
            if (state != "0A" || colon == std::string::npos || inode == 0) continue;
            out[inode] = static_cast<int>(std::stoul(local.substr(colon + 1), nullptr, 16));
        }
    }
    return out;
}

bool belongs_to(const std::filesystem::path& proc_dir, std::string_view marker) {
    auto environ = read_file(proc_dir / "environ");
    if (!environ) return false;
    std::string_view env(*environ);
    for (std::size_t at = 0; at < env.size();) {
        auto end = env.find('\0', at);
        if (end == std::string_view::npos) end = env.size();
        if (env.substr(at, end - at) == marker) return true;
        at = end + 1;
    }
    return false;
}

}  // namespace runtime_impl

std::vector<int> sandbox_listening_ports(std::string_view sandbox_id) {
    const auto sockets = runtime_impl::listening_sockets();
    std::set<int> ports;
    if (sockets.empty()) return {};
    const std::string marker = "DAYTONA_SANDBOX_ID=" + std::string(sandbox_id);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        const auto name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (!runtime_impl::belongs_to(entry.path(), marker)) continue;
        std::error_code fd_ec;
        for (const auto& fd : std::filesystem::directory_iterator(entry.path() / "fd", fd_ec)) {
            std::error_code link_ec;
            const auto target = std::filesystem::read_symlink(fd.path(), link_ec).string();
            // "socket:[12345]"
            if (link_ec || !target.starts_with("socket:[")) continue;
            auto it = sockets.find(std::strtoul(target.c_str() + 8, nullptr, 10));
            if (it != sockets.end()) ports.insert(it->second);
        }
    }
    return {ports.begin(), ports.end()};
}

void session::refresh() {
    for (auto& c : commands) {
        if (c->exit_code) continue;
        std::ifstream in(c->exit_file);
        int code;
        if (in >> code) {
            c->exit_code = code;
            c->stdin_fd.reset();
        } else if (ended) {
            // The shell itself went away (an `exit` in the command, or a kill).
            c->exit_code = shell_exit.value_or(-1);
        }
    }
}

std::shared_ptr<session_command> session::find(std::string_view id) {
    refresh();
    for (auto& c : commands)
        if (c->id == id) return c;
    return nullptr;
}

namespace runtime_impl {
/// Walks a labelled log: on(stream, bytes) for each run of bytes after a marker, with stream 1
/// (stdout), 2 (stderr) or 0 (before any marker).
template <class F>
void scan_log(std::string_view log, F&& on) {
    int stream = 0;
    std::size_t run = 0;
    for (std::size_t i = 0; i + 3 <= log.size(); ++i) {
        const char c = log[i];
        if ((c == '\x01' || c == '\x02') && log[i + 1] == c && log[i + 2] == c) {
            on(stream, log.substr(run, i - run));
            stream = c;
            run = i + 3;
            i += 2;
        }
    }
    on(stream, log.substr(run));
}
}  // namespace runtime_impl

void demux_log(std::string_view log, std::string& out, std::string& err) {
    runtime_impl::scan_log(log, [&](int stream, std::string_view bytes) {
        if (stream == 1)
            out.append(bytes);
        else if (stream == 2)
            err.append(bytes);
    });
}

std::string strip_markers(std::string_view log) {
    std::string merged;
    merged.reserve(log.size());
    runtime_impl::scan_log(log, [&](int, std::string_view bytes) { merged.append(bytes); });
    return merged;
}

}  // namespace daytona::emulator
