// SPDX-License-Identifier: Apache-2.0
// An addt-style task runner: one prompt, Claude Code in a fresh sandbox, the answer and the
// changes it made.
//
//   08_claude_task_runner "Add a NOTES.md file"      print mode: the answer, then the changes
//   08_claude_task_runner -i ["Add a NOTES.md file"]  interactive: Claude Code's own terminal UI
//
// Interactive mode attaches this terminal to `claude` running on a pseudo-terminal in the
// sandbox (raw keys in, screen out, window resizes forwarded); the prompt, when given, is its
// first message. Without a terminal (CI, a pipe) nobody can type, so it starts the CLI the same
// way with --version instead and shows what the terminal showed.
//
// The sandbox is `addt-YYYYMMDD-HHMMSS-PID`, ephemeral and removed on exit; with
// ADDT_PERSISTENT=true it is `addt-workspace`, reused (and started when stopped) across runs.
// The variables named in ADDT_ENV_VARS (default ANTHROPIC_API_KEY,GH_TOKEN) are passed to
// Claude through the exec request's env, never through a command line. Daytona is used when
// DAYTONA_API_KEY is set and Anthropic when ANTHROPIC_API_KEY is; otherwise the embedded
// emulator and a scripted Messages API stand-in, and the program checks its own results: the
// changes Claude made, a bad key reported clearly, each variable of ADDT_ENV_VARS seen by the
// CLI, and with ADDT_PERSISTENT=true a second run that starts the stopped workspace and reuses
// it. It exits non-zero when one is wrong.
#include <daytona.hpp>

#include "example_support.hpp"
#include "terminal_bridge.hpp"

#include <unistd.h>

#include <ctime>
#include <iostream>
#include <sstream>
#include <string_view>

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
                std::cout << "starting addt-workspace (" << found->info().state_name << ")\n";
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

/// Claude Code's terminal UI on a pseudo-terminal in the sandbox, attached to this terminal. The
/// API key and the other variables travel in the terminal's environment and the prompt in
/// ADDT_PROMPT: the line typed into the shell is fixed text that carries no data.
asio::awaitable<int> interactive(dt::sandbox& sb, const dt::claude::options& o,
                                 std::string prompt) {
    const bool person = example::interactive_terminal();
    const auto [cols, rows] = example::window_size();
    dt::pty_options opts{.env = o.env, .cols = cols, .rows = rows};
    opts.env["TERM"] = "xterm-256color";
    if (!prompt.empty()) opts.env["ADDT_PROMPT"] = std::move(prompt);
    auto terminal = co_await sb.pty().create(std::move(opts));
    if (!terminal) {
        std::cerr << "cannot open a terminal: " << terminal.error() << '\n';
        co_return 1;
    }
    // The login shell's profile resets PATH; ADDT_PATH (set when the CLI is not installed in the
    // image) puts the sandbox's own back. `exec`: the terminal ends when Claude does, with its
    // exit status; `exit 127` when it cannot start.
    const std::string_view launch =
        person ? "PATH=${ADDT_PATH:-$PATH}; cd workspace && exec claude "
                 "--dangerously-skip-permissions ${ADDT_PROMPT:+\"$ADDT_PROMPT\"}; exit 127\n"
               : "PATH=${ADDT_PATH:-$PATH}; cd workspace && exec claude --version; exit 127\n";
    auto typed = co_await terminal->write(std::string(launch));
    if (!typed) {
        std::cerr << "cannot start claude: " << typed.error() << '\n';
        co_return 1;
    }
    std::string seen;
    if (person)
        co_await example::bridge(*terminal);
    else
        co_await example::show_output(*terminal, &seen);
    const auto& end = terminal->exit_status();
    if (!end) {
        (void)co_await terminal->kill();  // the connection broke: end Claude too
        co_return 1;
    }
    std::cout << "\r\n[claude exited with " << end->exit_code << "]\n";
    if (!person && seen.find("Claude Code") == std::string::npos) {
        std::cerr << "the terminal did not show Claude Code's version\n";
        co_return 1;
    }
    co_return end->exit_code == 0 ? 0 : 1;
}

/// The names in ADDT_ENV_VARS (default ANTHROPIC_API_KEY,GH_TOKEN).
std::vector<std::string> passed_names() {
    std::vector<std::string> out;
    std::stringstream names(env_or("ADDT_ENV_VARS", "ANTHROPIC_API_KEY,GH_TOKEN"));
    for (std::string name; std::getline(names, name, ',');)
        if (!name.empty()) out.push_back(name);
    return out;
}

/// Offline checks of a print-mode run: the scripted model's Bash commands ran for real, a bad
/// key is a clear message, and each variable of ADDT_ENV_VARS reached Claude's environment.
asio::awaitable<bool> check_offline(dt::sandbox& sb, const dt::claude::options& o,
                                    const dt::claude::run_result& r, const std::string& changes) {
    bool ok = true;
    if (changes.find("NOTES.md") == std::string::npos || r.num_turns != 2) {
        std::cerr << "expected NOTES.md from a two-turn run\n";
        ok = false;
    }
    dt::claude::options bad = o;
    bad.env["ANTHROPIC_API_KEY"] = "sk-ant-invalid";
    auto denied = co_await dt::claude::run(sb, "hello", std::move(bad));
    if (!denied || !denied->is_api_error()) {
        std::cerr << "a bad key should be reported as an API error\n";
        ok = false;
    } else {
        std::cout << "with a bad key: " << denied->result << '\n';
    }
    // The CLI's Bash tool prints the variable: what Claude's own process was given.
    for (const auto& name : passed_names()) {
        const auto sent = o.env.find(name);
        if (name == "ANTHROPIC_API_KEY" || sent == o.env.end()) continue;
        const std::string ask = "[[bash: printenv " + name + "]]";
        auto seen = co_await dt::claude::run(sb, ask, o);
        if (!seen || seen->result != "Tool result: " + sent->second) {
            std::cerr << name << " did not reach Claude's environment: "
                      << (seen ? seen->result : seen.error().to_string()) << '\n';
            ok = false;
        } else {
            std::cout << name << " reached Claude's environment\n";
        }
    }
    co_return ok;
}

//[claude_task_runner
asio::awaitable<int> run_task(dt::client& client, example::claude_setup& claude, std::string prompt,
                              bool interactive_mode, std::string& sandbox_id) {
    const bool persistent = env_or("ADDT_PERSISTENT", "false") == "true";
    auto sb = co_await workspace(client, persistent, claude.sandbox_env);
    if (!sb) {
        std::cerr << "no sandbox: " << sb.error() << '\n';
        co_return 1;
    }
    sandbox_id = sb->id();
    std::cout << "sandbox " << sb->name() << " " << sb->id()
              << (persistent ? " (persistent)\n" : " (ephemeral)\n");

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
    for (const auto& name : passed_names())
        if (const char* v = std::getenv(name.c_str()); v && *v) o.env[name] = v;
    o.env["ANTHROPIC_API_KEY"] = claude.api_key;

    if (interactive_mode) {
        if (auto path = claude.sandbox_env.find("PATH"); path != claude.sandbox_env.end())
            o.env["ADDT_PATH"] = path->second;
        int status = co_await interactive(*sb, o, std::move(prompt));
        auto diff = co_await sb->process().exec("cd workspace && git status --short");
        if (diff && !diff->output.empty()) std::cout << "changes:\n" << diff->output;
        if (!persistent) (void)co_await sb->destroy();
        co_return status;
    }

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
        std::string changes;
        if (diff) changes = diff->output;
        const bool checked = co_await check_offline(*sb, o, *r, changes);
        if (!checked) status = 1;
    }
    if (!persistent) {
        if (auto gone = co_await sb->destroy(); !gone)
            std::cerr << "destroy failed: " << gone.error() << '\n';
    }
    co_return status;
}
//]

asio::awaitable<int> run(dt::client_options options, example::claude_setup& claude,
                         std::string prompt, bool interactive_mode) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    std::string first;
    const int status = co_await run_task(client, claude, prompt, interactive_mode, first);
    const bool persistent = env_or("ADDT_PERSISTENT", "false") == "true";
    if (status != 0 || !persistent || !claude.offline) co_return status;

    // Offline, persistent mode runs twice: the workspace is stopped in between, so the second
    // run has to find it, start it and work in the same sandbox.
    auto ws = co_await client.get(first);
    if (!ws) {
        std::cerr << "the workspace is gone: " << ws.error() << '\n';
        co_return 1;
    }
    auto stopped = co_await ws->stop();
    if (!stopped || ws->state() != dt::sandbox_state::stopped) {
        std::cerr << "cannot stop the workspace: "
                  << (stopped ? ws->info().state_name : stopped.error().to_string()) << '\n';
        co_return 1;
    }
    std::cout << "stopped " << ws->name() << "; running again\n";
    std::string second;
    const int again = co_await run_task(client, claude, std::move(prompt), false, second);
    auto after = co_await client.get(first);
    if (again != 0 || second != first || !after || after->state() != dt::sandbox_state::started) {
        std::cerr << "the second run did not reuse and start " << first << " (it used " << second
                  << ")\n";
        co_return 1;
    }
    std::cout << "the second run reused " << second << '\n';
    (void)co_await after->destroy();
    co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    example::claude_setup claude = example::claude();
    std::vector<std::string> args(argv + 1, argv + argc);
    const bool interactive_mode = !args.empty() && (args[0] == "-i" || args[0] == "--interactive");
    if (interactive_mode) args.erase(args.begin());
    std::string prompt = !args.empty()      ? args[0]
                         : interactive_mode ? std::string()
                                            : "Add a NOTES.md file to the repository.";
    // The stand-in's scripted model runs a command when the prompt asks it to.
    if (claude.offline && args.empty() && !interactive_mode)
        prompt += " [[bash: echo 'notes by claude' > NOTES.md]]";
    asio::io_context io;
    return dt::run_sync(io, run(std::move(options), claude, std::move(prompt), interactive_mode));
}
