// SPDX-License-Identifier: Apache-2.0
// A cook-style backend: a sandbox set up from the image builder (the build log printed as
// `[BUILD] ...`), a branch cloned into /workspace, commands in the workdir with a timeout (a
// non-zero exit is an error carrying the output), files written, read and listed, a terminal
// attached to the workspace, a status mapping, reconnecting from a sandbox id, the preview link
// of port 7422, several Claude tasks at once, a snapshot and a sandbox made from it, and
// teardown. It checks each result and exits non-zero when one is wrong.
//
// Daytona is used when DAYTONA_API_KEY is set and Anthropic when ANTHROPIC_API_KEY is;
// otherwise the embedded emulator and a scripted Messages API stand-in.
#include <daytona.hpp>

#include "example_support.hpp"

#include <algorithm>
#include <ctime>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

namespace dt = daytona;
using namespace std::chrono_literals;

namespace {

/// The backend's view of a sandbox's state.
std::string status_of(dt::sandbox_state s) {
    switch (s) {
        case dt::sandbox_state::started:
            return "running";
        case dt::sandbox_state::stopped:
            return "stopped";
        case dt::sandbox_state::pending_build:
            return "starting";
        default:
            return "error";
    }
}

/// Prints a failed expectation; answers `holds`.
bool check(std::string_view what, bool holds) {
    if (!holds) std::cerr << "FAILED: " << what << '\n';
    return holds;
}

/// Runs `command` in the workspace; a non-zero exit is an error that carries the output.
asio::awaitable<dt::result<std::string>> run_in_workdir(dt::sandbox sb, std::string command,
                                                        std::chrono::seconds timeout) {
    dt::exec_options o;
    o.cwd = "/workspace";
    o.timeout = timeout;
    auto r = co_await sb.process().exec(std::move(command), std::move(o));
    if (!r) co_return std::move(r).error();
    if (r->exit_code != 0)
        co_return dt::error(make_error_code(dt::errc::invalid_argument),
                            "exit code " + std::to_string(r->exit_code) + ": " + r->output);
    co_return std::move(r->output);
}

using claude_result = dt::result<dt::claude::run_result>;

/// Runs every prompt at once (each in its own directory) and waits for all of them.
asio::awaitable<std::vector<claude_result>> run_tasks(dt::sandbox sb,
                                                      std::vector<std::string> prompts,
                                                      std::string api_key) {
    auto ex = co_await asio::this_coro::executor;
    auto results = std::make_shared<std::vector<std::optional<claude_result>>>(prompts.size());
    auto left = std::make_shared<std::size_t>(prompts.size());
    auto all_done = std::make_shared<asio::steady_timer>(ex, asio::steady_timer::time_point::max());
    for (std::size_t i = 0; i < prompts.size(); ++i) {
        dt::claude::options o;
        o.cwd = "/workspace";
        o.env = {{"ANTHROPIC_API_KEY", api_key}};
        auto done = [results, left, all_done, i](std::exception_ptr, claude_result r) {
            (*results)[i] = std::move(r);
            if (--*left == 0) all_done->cancel();
        };
        asio::co_spawn(ex, dt::claude::run(sb, prompts[i], std::move(o)), std::move(done));
    }
    std::error_code ec;
    if (!prompts.empty())
        co_await all_done->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    std::vector<claude_result> out;
    for (auto& r : *results)
        out.push_back(std::move(*r));
    co_return out;
}

//[claude_cook_backend
asio::awaitable<int> backend(dt::client_options options, example::claude_setup& claude) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};

    // Setup from the image builder, with the build log.
    dt::create_params p;
    p.build = dt::image::base("node:20-slim")
                  .apt_get({"git", "python3"})
                  .workdir("/workspace")
                  .env("TERM", "xterm-256color");
    p.env = claude.sandbox_env;
    p.labels = {{"app", "cook"}};
    dt::log_callback on_build_log = [](std::string_view line) {
        std::cout << "[BUILD] " << line << '\n';
    };
    auto sb = co_await client.create(std::move(p), on_build_log);
    if (!sb) {
        std::cerr << "create: " << sb.error() << '\n';
        co_return 1;
    }
    std::cout << "status: " << status_of(sb->state()) << '\n';
    bool ok = check("a started sandbox is running", status_of(sb->state()) == "running");

    // A branch cloned into /workspace, the image's workdir (here from a repository made in the
    // sandbox itself; a backend would clone from its git host with a token in the exec
    // request's env).
    auto repo = co_await sb->process().exec(
        "git init -q /tmp/origin && cd /tmp/origin && git config user.email cook@example.com && "
        "git config user.name cook && echo '# recipe' > README.md && git add . && "
        "git commit -qm init && git checkout -qb feature && echo 'step 1' > steps.txt && "
        "git add . && git commit -qm steps && "
        "git clone -q --branch feature /tmp/origin /workspace && echo cloned");
    if (!repo || repo->exit_code != 0) {
        std::cerr << "clone failed: " << (repo ? repo->output : repo.error().to_string()) << '\n';
        co_return 1;
    }
    auto branch = co_await run_in_workdir(*sb, "git rev-parse --abbrev-ref HEAD", 30s);
    auto failing = co_await run_in_workdir(*sb, "echo broken >&2; exit 2", 30s);
    std::cout << "branch: " << (branch ? *branch : branch.error().to_string())
              << "failing command: " << (failing ? "no error?" : failing.error().message()) << '\n';
    ok = check("the feature branch is checked out", branch && *branch == "feature\n") && ok;
    ok = check("a failing command is an error with its output",
               !failing && failing.error().message().find("broken") != std::string::npos) &&
         ok;

    // Files: write, read back, list.
    const std::string recipe = "# pancakes\n1. flour\n2. eggs\n";
    auto body = dt::upload_source::from_memory(recipe);
    auto written = co_await sb->fs().upload("/workspace/recipe.md", std::move(body));
    auto read = co_await sb->fs().download("/workspace/recipe.md");
    auto listing = co_await sb->fs().list("/workspace");
    std::vector<std::string> names;
    if (listing)
        for (const auto& f : *listing)
            if (!f.is_dir) names.push_back(f.name);
    std::sort(names.begin(), names.end());
    ok = check("a written file reads back", written && read && *read == recipe) && ok;
    ok = check("the workspace lists README.md, recipe.md and steps.txt",
               names == std::vector<std::string>{"README.md", "recipe.md", "steps.txt"}) &&
         ok;

    // A terminal attached to the workspace: a scripted command and what it printed.
    dt::pty_options term;
    term.cwd = "/workspace";
    auto pty = co_await sb->pty().create(std::move(term));
    std::string screen;
    std::optional<dt::pty_exit> ended;
    if (pty) {
        auto typed = co_await pty->write("printf 'pty:%s\\n' \"$(cat steps.txt)\"; exit\n");
        std::function<void(std::string_view)> show = [&](std::string_view out) {
            std::cout << out;
            screen += out;
        };
        auto end = co_await pty->wait(std::move(show));
        if (typed && end) ended = *end;
    }
    ok = check("the terminal ran the command and exited 0",
               ended && ended->exit_code == 0 && screen.find("pty:step 1") != std::string::npos) &&
         ok;

    // Reconnect from the id, as a backend does after a restart; the preview link of 7422.
    auto again = co_await client.get(sb->id());
    auto link = co_await sb->preview_link(7422);
    if (link) std::cout << "preview: " << link->url << '\n';
    ok = check("the sandbox is found again by its id, running",
               again && again->id() == sb->id() && status_of(again->state()) == "running") &&
         ok;
    ok = check("port 7422 has a preview link", link.has_value()) && ok;

    // Several Claude tasks at once.
    std::vector<std::string> prompts{"Plan the recipe.", "List the steps.", "Name the dish."};
    auto answers = co_await run_tasks(*sb, prompts, claude.api_key);
    for (std::size_t i = 0; i < answers.size(); ++i) {
        const auto& a = answers[i];
        std::cout << "task " << i << ": " << (a ? a->result : a.error().to_string()) << '\n';
        ok = ok && a && !a->failed();
        if (claude.offline) ok = ok && a && a->result == "[turn 1] " + prompts[i];
    }

    // A snapshot of the sandbox, a sandbox from it, and teardown.
    auto snap = co_await sb->create_snapshot("cook-" + std::to_string(std::time(nullptr)));
    if (snap) {
        dt::create_params from;
        from.snapshot = snap->name;
        auto copy = co_await client.create(std::move(from));
        if (copy) {
            auto steps = co_await run_in_workdir(*copy, "cat steps.txt", 30s);
            ok = check("the sandbox made from the snapshot has the workspace",
                       steps && *steps == "step 1\n") &&
                 ok;
            (void)co_await copy->destroy();
        }
        (void)co_await client.snapshots().destroy(snap->name);
    }
    ok = check("a snapshot was taken", snap.has_value()) && ok;
    auto stopped = co_await sb->stop();
    ok =
        check("a stopped sandbox is stopped", stopped && status_of(sb->state()) == "stopped") && ok;
    (void)co_await sb->destroy();
    co_return ok ? 0 : 1;
}
//]

}  // namespace

int main() {
    // The status mapping of the states a live sandbox rarely shows.
    const bool mapped =
        check("PENDING_BUILD maps to starting",
              status_of(dt::sandbox_state::pending_build) == "starting") &&
        check("ERROR maps to error", status_of(dt::sandbox_state::error) == "error") &&
        check("an unknown state maps to error", status_of(dt::sandbox_state::unknown) == "error");
    if (!mapped) return 1;
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    example::claude_setup claude = example::claude();
    asio::io_context io;
    return dt::run_sync(io, backend(std::move(options), claude));
}
