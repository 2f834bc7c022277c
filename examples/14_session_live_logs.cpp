// SPDX-License-Identifier: Apache-2.0
// A session with live logs: a long command started in a session (exec_async), its output
// followed as it is written, stdout and stderr apart, then its exit code and its stored logs.
// It checks each result and exits non-zero when one is wrong.
//
// Daytona is used when DAYTONA_API_KEY is set; otherwise an embedded emulator.
#include <daytona.hpp>

#include "example_support.hpp"

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace dt = daytona;

namespace {

/// Prints whole lines of one stream as they arrive, each with `prefix`, and keeps everything.
struct line_printer {
    std::string_view prefix;
    std::string seen{};
    std::string partial{};

    void operator()(std::string_view chunk) {
        seen += chunk;
        partial += chunk;
        for (auto nl = partial.find('\n'); nl != std::string::npos; nl = partial.find('\n')) {
            std::cout << prefix << std::string_view(partial).substr(0, nl + 1) << std::flush;
            partial.erase(0, nl + 1);
        }
    }
};

//[session_live_logs
asio::awaitable<int> live_logs(dt::client_options options) {
    using clock = std::chrono::steady_clock;
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    auto sb = co_await client.create();
    if (!sb) {
        std::cerr << "create failed: " << sb.error() << '\n';
        co_return 1;
    }
    auto session = co_await sb->process().create_session("build");
    if (!session) {
        std::cerr << "create_session failed: " << session.error() << '\n';
        (void)co_await sb->destroy();
        co_return 1;
    }

    // A command that takes a while and writes to both streams. The subshell keeps its `exit`
    // from ending the session's shell.
    auto id = co_await session->exec_async(
        "(for i in 1 2 3; do echo \"step $i\"; echo \"warning $i\" >&2; sleep 0.5; done; "
        "exit 3)");
    if (!id) {
        std::cerr << "exec_async failed: " << id.error() << '\n';
        (void)co_await sb->destroy();
        co_return 1;
    }

    // Follow it live: each stream's lines are printed as they arrive.
    line_printer out{"out | "}, err{"err | "};
    std::optional<clock::time_point> first_output;
    dt::output_callback on_stdout = [&](std::string_view chunk) {
        if (!first_output) first_output = clock::now();
        out(chunk);
    };
    dt::output_callback on_stderr = [&](std::string_view chunk) {
        err(chunk);
    };
    auto code = co_await session->follow(*id, on_stdout, on_stderr);
    const auto finished = clock::now();
    if (!code) {
        std::cerr << "follow failed: " << code.error() << '\n';
        (void)co_await sb->destroy();
        co_return 1;
    }
    std::cout << "exit code " << *code << '\n';

    // What the session kept: the command's exit code and its logs, stdout and stderr apart.
    auto command = co_await session->command(*id);
    auto logs = co_await session->logs(*id);

    bool ok = true;
    auto expect = [&ok](std::string_view what, bool holds) {
        if (!holds) std::cerr << "FAILED: " << what << '\n';
        ok = ok && holds;
    };
    expect("the exit code is 3", *code == 3);
    expect("stdout arrived whole", out.seen == "step 1\nstep 2\nstep 3\n");
    expect("stderr arrived whole, apart", err.seen == "warning 1\nwarning 2\nwarning 3\n");
    // The command sleeps 1.5 s in all: its first line arrives well before it ends.
    expect("the output arrived while the command ran",
           first_output && finished - *first_output > std::chrono::milliseconds(500));
    expect("the session recorded exit code 3", command && command->exit_code == 3);
    expect("the stored logs match",
           logs && logs->stdout_text == out.seen && logs->stderr_text == err.seen);

    (void)co_await session->destroy();
    auto gone = co_await sb->destroy();
    if (!gone) std::cerr << "destroy failed: " << gone.error() << '\n';
    co_return (ok && gone) ? 0 : 1;
}
//]

}  // namespace

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    asio::io_context io;
    return dt::run_sync(io, live_logs(std::move(options)));
}
