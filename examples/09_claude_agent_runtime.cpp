// SPDX-License-Identifier: Apache-2.0
// A fabric-style agent runtime: a factory with a default language makes sandboxes (language,
// env vars, network allow list); the runtime runs commands with stdout, stderr and the exit code
// apart, runs code in Python and TypeScript, writes, reads and lists files, captures its files
// as JSON and restores them into a new sandbox, and installs and runs Claude Code.
//
// Daytona is used when DAYTONA_API_KEY is set and Anthropic when ANTHROPIC_API_KEY is;
// otherwise the embedded emulator and a scripted Messages API stand-in.
#include <daytona.hpp>

#include "example_support.hpp"

#include <iostream>
#include <string>
#include <utility>
#include <vector>

namespace dt = daytona;

namespace {

/// The runtime handed to an agent: one sandbox and the operations the agent uses.
struct runtime {
    dt::sandbox sb;

    asio::awaitable<dt::result<dt::exec_output>> exec(std::string command) const {
        co_return co_await sb.process().exec_split(std::move(command));
    }
    asio::awaitable<bool> write_file(std::string path, std::string content) const {
        // The content travels in the request's env, so no quoting of it is needed.
        dt::exec_options o;
        o.env = {{"CONTENT", std::move(content)}};
        auto r = co_await sb.process().exec(
            "mkdir -p \"$(dirname " + dt::detail::shell_quote(path) +
                ")\" && printf '%s' \"$CONTENT\" > " + dt::detail::shell_quote(path),
            std::move(o));
        co_return r && r->exit_code == 0;
    }
    asio::awaitable<dt::result<dt::exec_output>> read_file(std::string path) const {
        co_return co_await sb.process().exec_split("cat " + dt::detail::shell_quote(path));
    }
    asio::awaitable<std::vector<std::string>> list_files(std::string dir) const {
        std::vector<std::string> out;
        auto r = co_await sb.process().exec_split("cd " + dt::detail::shell_quote(dir) +
                                                  " && find . -type f | sort");
        if (!r) co_return out;
        std::string_view rest = r->stdout_text;
        while (!rest.empty()) {
            auto nl = rest.find('\n');
            auto line = rest.substr(0, nl);
            if (line.starts_with("./")) out.emplace_back(line.substr(2));
            rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        }
        co_return out;
    }
    /// The files under `dir` and their contents, as the JSON object a runtime stores
    /// ({"path": "content", ...}, paths relative to `dir`).
    asio::awaitable<dt::result<std::string>> snapshot(std::string dir) const {
        std::string json;
        dt::json::writer w(json);
        w.begin_object();
        const auto names = co_await list_files(dir);
        for (const auto& f : names) {
            auto content = co_await read_file(dir + "/" + f);
            if (!content) co_return std::move(content).error();
            if (content->exit_code != 0)
                co_return dt::error(make_error_code(dt::errc::io_error),
                                    "cannot read " + f + ": " + content->stderr_text);
            w.member(f, content->stdout_text);
        }
        w.end_object();
        co_return json;
    }
    /// Writes the files of a snapshot() back under `dir`; false when the JSON is not a
    /// snapshot or a file cannot be written.
    asio::awaitable<bool> restore(std::string dir, std::string json) const {
        simdjson::dom::parser parser;
        simdjson::dom::object files;
        if (parser.parse(json).get(files)) co_return false;
        std::vector<std::pair<std::string, std::string>> todo;
        for (auto [name, value] : files) {
            std::string_view content;
            if (value.get(content)) co_return false;
            todo.emplace_back(std::string(name), std::string(content));
        }
        for (auto& [name, content] : todo) {
            const bool written = co_await write_file(dir + "/" + name, std::move(content));
            if (!written) co_return false;
        }
        co_return true;
    }
};

struct runtime_factory {
    dt::client& client;
    std::string default_language = "python";
    std::map<std::string, std::string> base_env;

    asio::awaitable<dt::result<runtime>> create(std::string language,
                                                std::map<std::string, std::string> env) const {
        dt::create_params p;
        p.language = language.empty() ? default_language : language;
        p.env = base_env;
        for (auto& [k, v] : env)
            p.env[k] = v;
        p.network_allow_list = "10.0.0.0/8,192.168.0.0/16";
        p.labels = {{"app", "agent-runtime"}};
        auto sb = co_await client.create(std::move(p));
        if (!sb) co_return std::move(sb).error();
        co_return runtime{*sb};
    }
};

//[claude_agent_runtime
asio::awaitable<int> agent(dt::client_options options, example::claude_setup& claude,
                           bool embedded) {
    auto ex = co_await asio::this_coro::executor;
    dt::client client{ex, std::move(options)};
    runtime_factory factory{client, "python", claude.sandbox_env};
    std::map<std::string, std::string> agent_env{{"AGENT", "fabric"}}, no_env;
    auto py = co_await factory.create("", agent_env);
    auto ts = co_await factory.create("typescript", no_env);
    if (!py || !ts) {
        std::cerr << "create: " << (py ? ts.error() : py.error()) << '\n';
        co_return 1;
    }
    bool ok = true;
    auto split = co_await py->exec("echo out $AGENT; echo err >&2; exit 3");
    ok = ok && split && split->stdout_text == "out fabric\n" && split->stderr_text == "err\n" &&
         split->exit_code == 3;
    auto code = co_await py->sb.process().code_run("print(sum(range(10)))");
    auto tsc = co_await ts->sb.process().code_run("console.log([6, 7].reduce((a, b) => a * b))");
    std::cout << "python: " << (code ? code->output : code.error().to_string() + "\n")
              << "typescript: " << (tsc ? tsc->output : tsc.error().to_string() + "\n");
    ok = ok && code && code->output == "45\n" && tsc && tsc->output == "42\n";

    const bool wrote_notes = co_await py->write_file("work/notes.md", "# notes\nit's $HOME\n");
    const bool wrote_app = co_await py->write_file("work/src/app.py", "print('app')\n");
    ok = ok && wrote_notes && wrote_app;
    auto captured = co_await py->snapshot("work");
    if (captured) std::cout << "snapshot: " << *captured << '\n';
    bool round_trip =
        captured &&
        *captured == R"({"notes.md":"# notes\nit's $HOME\n","src/app.py":"print('app')\n"})";

    // restore(): the captured files in a new sandbox, captured again there.
    auto restored = co_await factory.create("", no_env);
    if (restored && captured) {
        const bool back = co_await restored->restore("work", *captured);
        auto again = co_await restored->snapshot("work");
        round_trip = round_trip && back && again && *again == *captured;
    }
    if (!restored || !round_trip) std::cerr << "the snapshot did not survive the round trip\n";
    ok = ok && restored && round_trip;

    // Claude Code at runtime: installed when missing, then asked about the files. The embedded
    // emulator's sandboxes share this machine's /usr: there, a missing CLI is an error rather
    // than a global npm install on this machine.
    dt::claude::install_options install;
    if (embedded)
        install.install_command =
            "echo 'the pinned Claude Code CLI is missing: run npm ci in tests/claude' >&2; exit 1";
    auto installed = co_await dt::claude::ensure_installed(py->sb, install);
    if (!installed) {
        std::cerr << "claude: " << installed.error() << '\n';
        co_return 1;
    }
    dt::claude::options o;
    o.cwd = "work";
    o.env = {{"ANTHROPIC_API_KEY", claude.api_key}};
    o.allowed_tools = {"Bash(ls:*)"};
    std::string prompt = "Which files are in this project?";
    if (claude.offline) prompt += " [[bash: ls]]";
    auto answer = co_await dt::claude::run(py->sb, prompt, o);
    if (answer) std::cout << "claude " << installed->version << ": " << answer->result << '\n';
    ok = ok && answer && !answer->failed();
    if (claude.offline) ok = ok && answer && answer->result == "Tool result: notes.md\nsrc";

    for (auto* r : {&py, &ts, &restored})
        if (*r) {
            (void)co_await (*r)->sb.stop();
            (void)co_await (*r)->sb.destroy();
        }
    co_return ok ? 0 : 1;
}
//]

}  // namespace

int main() {
    std::unique_ptr<dt::emulator::emulator> local;
    dt::client_options options = example::options(local);
    example::claude_setup claude = example::claude();
    asio::io_context io;
    return dt::run_sync(io, agent(std::move(options), claude, local != nullptr));
}
