// SPDX-License-Identifier: Apache-2.0
// An addt-style task runner: one prompt, Claude Code in a fresh sandbox, the answer and the
// changes it made.
//
//   08_claude_task_runner "Add a NOTES.md file"
//
// The sandbox is `addt-YYYYMMDD-HHMMSS-PID`, ephemeral and removed on exit; with
// ADDT_PERSISTENT=true it is `addt-workspace`, reused (and started when stopped) across runs.
// The variables named in ADDT_ENV_VARS (default ANTHROPIC_API_KEY,GH_TOKEN) are passed to
// Claude through the exec request's env, never through a command line. Daytona is used when
// DAYTONA_API_KEY is set and Anthropic when ANTHROPIC_API_KEY is; otherwise the embedded
// emulator and a scripted Messages API stand-in.
#include <daytona.hpp>

#include "example_support.hpp"

#include <unistd.h>

#include <ctime>
#include <iostream>
#include <sstream>

namespace dt = daytona;

namespace {

std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

std::string sandbox_name() {
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&now));
    return "addt-" + std::string(stamp) + "-" + std::to_string(::getpid());
}

/// ADDT_PERSISTENT=true: `addt-workspace`, started if stopped, created if missing.
asio::awaitable<dt::result<dt::sandbox>> workspace(dt::client& client, bool persistent,
                                                   std::map<std::string, std::string> env) {
    if (persistent) {
        auto found = co_await client.get("addt-workspace");
        if (found) {
            if (found->state() != dt::sandbox_state::started) {
                if (auto s = co_await found->start(); !s) co_return std::move(s).error();
            }
            co_return found;
        }
        if (found.error() != dt::condition::not_found) co_return std::move(found).error();
    }
    dt::create_params p;
    p.name = persistent ? "addt-workspace" : sandbox_name();
    p.env = std::move(env);
    p.ephemeral = !persistent;
    p.labels = {{"app", "addt"}};
    co_return co_await client.create(std::move(p));
}

//[claude_task_runner
asio::awaitable<int> run_task(dt::client_options options, example::claude_setup& claude,
                              std::string prompt) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    const bool persistent = env_or("ADDT_PERSISTENT", "false") == "true";
    auto sb = co_await workspace(client, persistent, claude.sandbox_env);
    if (!sb) {
        std::cerr << "no sandbox: " << sb.error() << '\n';
        co_return 1;
    }
    std::cout << "sandbox " << sb->name() << (persistent ? " (persistent)\n" : " (ephemeral)\n");

    // A git repository to work in, so the changes can be shown afterwards.
    auto init = co_await sb->process().exec(
        "mkdir -p workspace && cd workspace && git init -q 2>/dev/null; "
        "git config user.email addt@example.com; git config user.name addt; "
        "[ -f README.md ] || { echo '# task' > README.md; git add README.md; "
        "git commit -qm init; }");
    if (!init || init->exit_code != 0) {
        std::cerr << "cannot prepare the workspace\n";
        co_return 1;
    }

    dt::claude::options o;
    o.cwd = "workspace";
    o.skip_permissions = true;
    o.env["IS_SANDBOX"] = "1";  // the CLI accepts --dangerously-skip-permissions as root then
    std::stringstream names(env_or("ADDT_ENV_VARS", "ANTHROPIC_API_KEY,GH_TOKEN"));
    for (std::string name; std::getline(names, name, ',');)
        if (const char* v = std::getenv(name.c_str()); v && *v) o.env[name] = v;
    o.env["ANTHROPIC_API_KEY"] = claude.api_key;

    dt::result<dt::claude::run_result> r = co_await dt::claude::run(*sb, prompt, o);
    int status = 0;
    if (!r) {
        std::cerr << "claude failed: " << r.error() << '\n';
        status = 1;
    } else if (r->is_api_error()) {
        std::cerr << "Claude could not use the Anthropic API (is ANTHROPIC_API_KEY valid?): "
                  << r->result << '\n';
        status = 2;
    } else if (r->failed()) {
        std::cerr << r->failure_message() << '\n';
        status = 1;
    } else {
        std::cout << r->result << "\n(" << r->num_turns << " turns, $" << r->total_cost_usd
                  << ")\n";
    }
    auto diff = co_await sb->process().exec(
        "cd workspace && git status --short && git --no-pager diff --stat");
    if (diff) std::cout << "changes:\n" << diff->output;

    if (claude.offline && status == 0) {
        // The scripted model ran the command through the CLI's Bash tool, for real.
        const bool made = diff && diff->output.find("NOTES.md") != std::string::npos;
        if (!made || r->num_turns != 2) {
            std::cerr << "expected NOTES.md from a two-turn run\n";
            status = 1;
        }
        // A bad key is a clear message, not a crash.
        dt::claude::options bad = o;
        bad.env["ANTHROPIC_API_KEY"] = "sk-ant-invalid";
        auto denied = co_await dt::claude::run(*sb, "hello", std::move(bad));
        if (!denied || !denied->is_api_error()) {
            std::cerr << "a bad key should be reported as an API error\n";
            status = 1;
        } else {
            std::cout << "with a bad key: " << denied->result << '\n';
        }
    }
    if (!persistent) {
        if (auto gone = co_await sb->destroy(); !gone)
            std::cerr << "destroy failed: " << gone.error() << '\n';
    }
    co_return status;
}
//]

}  // namespace

int main(int argc, char** argv) {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    example::claude_setup claude = example::claude();
    std::string prompt = argc > 1 ? argv[1] : "Add a NOTES.md file to the repository.";
    // The stand-in's scripted model runs a command when the prompt asks it to.
    if (claude.offline && argc <= 1) prompt += " [[bash: echo 'notes by claude' > NOTES.md]]";
    asio::io_context io;
    return dt::run_sync(io, run_task(std::move(options), claude, std::move(prompt)));
}
