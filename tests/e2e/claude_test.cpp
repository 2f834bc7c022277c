// SPDX-License-Identifier: Apache-2.0
// The real Claude Code CLI (pinned in tests/claude) in emulator sandboxes, answering through the
// Messages API stand-in: only the model is a double. Prompts full of shell metacharacters arrive
// intact, the CLI's tool loop runs commands in the sandbox, stream-json events arrive in order,
// API errors are surfaced, conversations resume, and no secret reaches a trace or an error.
#include "test_support.hpp"

#include <messages_api.hpp>

#include <gtest/gtest.h>
#include <simdjson.h>
#include <asio/bind_cancellation_slot.hpp>
#include <asio/cancellation_signal.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace daytona_test;
namespace claude = dt::claude;

namespace {

/// Where tools/run.sh (npm ci in tests/claude) puts the pinned CLI.
const std::string cli_dir = std::string(DAYTONA_SOURCE_DIR) + "/tests/claude/node_modules/.bin";

/// The key the stand-in accepts and the tests send; it must never show up in a trace or error.
const std::string api_key = "sk-ant-test-secret-" + std::to_string(::getpid()) + "-d41d8cd98f00";

dt::emulator::messages_api& stand_in() {
    static std::unique_ptr<dt::emulator::messages_api> api = [] {
        auto a = std::make_unique<dt::emulator::messages_api>(
            dt::emulator::messages_api_options{.api_key = api_key});
        if (auto r = a->start(); !r) throw std::runtime_error(r.error().to_string());
        return a;
    }();
    return *api;
}

/// The text blocks of the user messages in a request body, without <system-reminder> ones.
std::vector<std::string> user_texts(const std::string& body) {
    std::vector<std::string> out;
    simdjson::dom::parser p;
    simdjson::dom::element doc;
    if (p.parse(body).get(doc)) return out;
    simdjson::dom::array messages;
    if (doc["messages"].get_array().get(messages)) return out;
    for (auto m : messages) {
        std::string_view role;
        if (m["role"].get_string().get(role) || role != "user") continue;
        simdjson::dom::array blocks;
        std::string_view s;
        if (!m["content"].get_string().get(s)) {
            out.emplace_back(s);
            continue;
        }
        if (m["content"].get_array().get(blocks)) continue;
        for (auto b : blocks) {
            std::string_view type, text;
            if (b["type"].get_string().get(type) || type != "text") continue;
            if (b["text"].get_string().get(text) || text.starts_with("<system-reminder>")) continue;
            out.emplace_back(text);
        }
    }
    return out;
}

std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

class Claude : public emulator_test {
protected:
    void SetUp() override {
        ASSERT_TRUE(std::filesystem::exists(cli_dir + "/claude"))
            << "the Claude Code CLI is not installed at " << cli_dir
            << ": run `npm ci` in tests/claude (tools/run.sh test does)";
        stand_in();
    }

    /// The sandbox env: the stand-in as the API, the pinned CLI on PATH, no telemetry.
    static std::map<std::string, std::string> sandbox_env(bool with_cli = true) {
        const char* path = std::getenv("PATH");
        std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin";
        return {{"ANTHROPIC_BASE_URL", stand_in().base_url()},
                {"DISABLE_TELEMETRY", "1"},
                {"DISABLE_AUTOUPDATER", "1"},
                {"DISABLE_ERROR_REPORTING", "1"},
                {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"},
                {"PATH", with_cli ? cli_dir + ":" + p : p}};
    }

    dt::sandbox make_claude_sandbox(bool with_cli = true) {
        dt::create_params p;
        p.env = sandbox_env(with_cli);
        return make(std::move(p));
    }

    /// Options carrying the key the way run() must send it: in the request's env field.
    static claude::options keyed() {
        claude::options o;
        o.env = {{"ANTHROPIC_API_KEY", api_key}};
        return o;
    }

    /// Every prompt text the stand-in received since `from` requests.
    static std::vector<std::string> prompts_since(std::size_t from) {
        std::vector<std::string> out;
        auto bodies = stand_in().message_bodies();
        for (std::size_t i = from; i < bodies.size(); ++i)
            for (auto& t : user_texts(bodies[i]))
                out.push_back(std::move(t));
        return out;
    }
};

TEST_F(Claude, RunDeliversAPromptFullOfShellMetacharactersIntact) {
    auto sb = make_claude_sandbox();
    const std::string prompt =
        "it's $HOME and `id` and $(whoami) ${PATH} \"double\" 'single' \\n \\\\ -n -e ; | & > < "
        "* ? ~ # !x %s %d\ttab\nsecond line ünïcödé 😀 end";
    const auto before = stand_in().message_bodies().size();
    auto o = keyed();
    o.model = "sonnet";
    o.append_system_prompt = "Be terse; it's \"fine\" $HOME.";
    auto r = await(claude::run(sb, prompt, o));
    ASSERT_TRUE(r) << r.error();
    EXPECT_FALSE(r->failed()) << r->failure_message();
    EXPECT_EQ(r->subtype, "success");
    EXPECT_EQ(r->result, "[turn 1] " + prompt);
    EXPECT_EQ(r->num_turns, 1);
    EXPECT_FALSE(r->session_id.empty());
    // The body the stand-in received holds the prompt byte for byte, as one text block.
    auto prompts = prompts_since(before);
    EXPECT_NE(std::find(prompts.begin(), prompts.end(), prompt), prompts.end())
        << "the stand-in did not receive the prompt intact";
    // And the appended system prompt as one intact argument.
    bool system_seen = false;
    auto bodies = stand_in().message_bodies();
    for (std::size_t i = before; i < bodies.size(); ++i)
        if (bodies[i].find(R"(Be terse; it's \"fine\" $HOME.)") != std::string::npos)
            system_seen = true;
    EXPECT_TRUE(system_seen);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Claude, RunRawKeepsTheCliOutput) {
    auto sb = make_claude_sandbox();
    auto o = keyed();
    o.output_format = claude::output_format::text;
    auto raw = await(claude::run_raw(sb, "plain text please", o));
    ASSERT_TRUE(raw) << raw.error();
    EXPECT_EQ(raw->exit_code, 0);
    EXPECT_EQ(raw->output, "[turn 1] plain text please\n");
    // Text output is no result event: run() says so, with the output's start in the excerpt.
    auto parsed = await(claude::run(sb, "plain text please", o));
    ASSERT_FALSE(parsed);
    EXPECT_NE(parsed.error().body_excerpt().find("[turn 1] plain text please"), std::string::npos);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Claude, ToolUseLoopRunsTheCommandInTheSandbox) {
    auto sb = make_claude_sandbox();
    ASSERT_TRUE(await(sb.process().exec("mkdir -p work && touch work/marker-7f3a work/other.txt")));
    auto o = keyed();
    o.cwd = "work";
    o.allowed_tools = {"Bash(ls:*)"};
    auto r = await(claude::run(sb, "What is here? [[bash: ls]]", o));
    ASSERT_TRUE(r) << r.error();
    EXPECT_FALSE(r->failed()) << r->failure_message();
    EXPECT_EQ(r->num_turns, 2);
    EXPECT_EQ(r->result, "Tool result: marker-7f3a\nother.txt");
    EXPECT_TRUE(r->permission_denials.empty());

    // Without the permission, the CLI refuses the tool and says so in permission_denials.
    auto denied_opts = keyed();
    denied_opts.cwd = "work";
    auto denied = await(claude::run(sb, "Remove it [[bash: rm work/marker-7f3a]]", denied_opts));
    ASSERT_TRUE(denied) << denied.error();
    ASSERT_EQ(denied->permission_denials.size(), 1u);
    EXPECT_EQ(denied->permission_denials[0].tool_name, "Bash");
    auto still = await(sb.process().exec("ls work"));
    ASSERT_TRUE(still);
    EXPECT_EQ(still->output, "marker-7f3a\nother.txt\n");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Claude, StreamDeliversTypedEventsInOrder) {
    auto sb = make_claude_sandbox();
    ASSERT_TRUE(await(sb.process().exec("mkdir -p proj && touch proj/stream-marker")));
    auto o = keyed();
    o.cwd = "proj";
    o.allowed_tools = {"Bash(ls:*)"};
    std::vector<std::string> kinds;
    std::vector<claude::event> events;
    claude::event_callback on_event = [&](const claude::event& e) {
        std::string k(claude::event_type(e));
        if (auto* s = std::get_if<claude::system_event>(&e)) k += ":" + s->subtype;
        if (auto* a = std::get_if<claude::assistant_event>(&e))
            for (const auto& b : a->content)
                k += std::holds_alternative<claude::tool_use_block>(b) ? ":tool_use" : ":text";
        if (auto* u = std::get_if<claude::user_event>(&e))
            if (!u->tool_results().empty()) k += ":tool_result";
        kinds.push_back(k);
        events.push_back(e);
    };
    auto raw = std::make_shared<claude::run_output>();
    auto r = await(claude::stream(sb, "List the project [[bash: ls]]", o, on_event, raw));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->result, "Tool result: stream-marker");
    EXPECT_EQ(raw->exit_code, 0);
    // init, the tool call, its result, the answer, the result; nothing else in between.
    std::vector<std::string> want{"system:init", "assistant:tool_use", "user:tool_result",
                                  "assistant:text", "result"};
    std::vector<std::string> got;
    for (const auto& k : kinds)
        if (k != "system:hook_started" && k != "system:hook_response") got.push_back(k);
    EXPECT_EQ(got, want);
    const auto& init = std::get<claude::system_event>(events.front());
    EXPECT_EQ(init.api_key_source, "ANTHROPIC_API_KEY");
    EXPECT_EQ(init.session_id, r->session_id);
    const auto& tool = std::get<claude::assistant_event>(events[1]);
    const auto& use = std::get<claude::tool_use_block>(tool.content.at(0));
    EXPECT_EQ(use.name, "Bash");
    EXPECT_NE(use.input.find("\"command\":\"ls\""), std::string::npos);
    // Every event was also printed as a line of stdout.
    EXPECT_NE(raw->output.find("\"type\":\"result\""), std::string::npos);
    // The env file was removed, and the session is gone.
    auto left = await(sb.process().exec("ls \"${TMPDIR:-/tmp}\" | grep -c daytona-claude-env"));
    ASSERT_TRUE(left);
    EXPECT_EQ(left->output, "0\n");
    auto sessions = await(sb.process().list_sessions());
    ASSERT_TRUE(sessions);
    EXPECT_TRUE(sessions->empty());
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Claude, ATimeLimitOrACancellationStopsTheCliAndItsTools) {
    auto sb = make_claude_sandbox();
    // The tool records its shell's pid and sleeps far past the limit.
    ASSERT_TRUE(
        await(sb.process().exec("printf 'echo $$ > tool.pid; exec sleep 300\\n' > wait.sh")));
    auto o = keyed();
    o.allowed_tools = {"Bash(sh:*)"};
    // Long enough for the CLI to start and call the tool on a loaded machine (with 10 s the
    // test failed once in the ASan suite at -j2).
    o.timeout = std::chrono::seconds(15);
    const std::string prompt = "Wait [[bash: sh wait.sh]]";
    // The CLI runs its tools in process groups of their own: the tool's pid must name no live
    // process within 5 s of the call's end (a zombie waiting for its reaper counts as gone).
    const auto tool_stopped = [&] {
        const std::string check =
            "test -s tool.pid || { echo 'the tool never ran'; exit 0; }; "
            "p=$(cat tool.pid); rm -f tool.pid; for i in $(seq 50); do "
            "grep -qs '^State:[[:space:]]*[^Z]' /proc/$p/status || { echo gone; exit 0; }; "
            "sleep 0.1; done; echo alive";
        auto alive = await(sb.process().exec(check));
        return alive ? alive->output : alive.error().to_string();
    };
    const auto no_sessions = [&] {
        auto sessions = await(sb.process().list_sessions());
        return sessions && sessions->empty();
    };

    std::vector<std::string> kinds;
    claude::event_callback on_event = [&](const claude::event& e) {
        kinds.emplace_back(claude::event_type(e));
    };
    auto streamed = await(claude::stream(sb, prompt, o, on_event));
    ASSERT_FALSE(streamed) << "finished: " << streamed->result;
    EXPECT_EQ(streamed.error(), dt::condition::timeout) << streamed.error();
    EXPECT_EQ(streamed.error().operation(), "claude::stream");
    // What the CLI printed before the limit was delivered: init and the tool call at least.
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "assistant"), kinds.end());
    EXPECT_TRUE(no_sessions());
    EXPECT_EQ(tool_stopped(), "gone\n");

    // run() stops at the limit too.
    auto ran = await(claude::run(sb, prompt, o));
    ASSERT_FALSE(ran) << "finished: " << ran->result;
    EXPECT_EQ(ran.error(), dt::condition::timeout) << ran.error();
    EXPECT_EQ(tool_stopped(), "gone\n");

    // Cancelled by the caller once the tool runs, without a limit: the same clean-up.
    o.timeout = {};
    asio::cancellation_signal cancel;
    bool completed = false;
    asio::co_spawn(
        io, claude::stream(sb, prompt, o, {}),
        asio::bind_cancellation_slot(
            cancel.slot(), [&](std::exception_ptr thrown, dt::result<claude::run_result> r) {
                // Cancelled: operation_aborted thrown, or an error result.
                completed = true;
                if (!thrown) {
                    EXPECT_FALSE(r) << "finished: " << r->result;
                }
            }));
    asio::co_spawn(io,
                   cancel_when(sb, "test -s tool.pid && echo yes", cancel, 150,
                               std::chrono::milliseconds(200)),
                   asio::detached);
    io.restart();
    io.run();
    EXPECT_TRUE(completed);
    EXPECT_TRUE(no_sessions());
    EXPECT_EQ(tool_stopped(), "gone\n");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Claude, ApiErrorsAreSurfacedAsIsError) {
    auto sb = make_claude_sandbox();
    for (std::string which : {"overloaded", "500"}) {
        auto o = keyed();
        auto r = await(claude::run(sb, "Fail please [[error: " + which + "]]", o));
        ASSERT_TRUE(r) << r.error();
        EXPECT_TRUE(r->is_error) << which;
        EXPECT_TRUE(r->is_api_error()) << which;
        EXPECT_TRUE(r->failed()) << which;
        EXPECT_NE(r->result.find("API Error"), std::string::npos) << r->result;
        EXPECT_NE(r->failure_message().find("API failure"), std::string::npos);
    }
    // A wrong key: the stand-in answers 401 and the CLI reports it.
    claude::options bad;
    bad.env = {{"ANTHROPIC_API_KEY", "sk-ant-wrong"}};
    auto r = await(claude::run(sb, "hello", bad));
    ASSERT_TRUE(r) << r.error();
    EXPECT_TRUE(r->is_error);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Claude, ResumeAndContinueCarryTheConversation) {
    auto sb = make_claude_sandbox();
    ASSERT_TRUE(await(sb.process().exec("mkdir -p chat")));
    auto o = keyed();
    o.cwd = "chat";
    auto first = await(claude::run(sb, "Remember the word kiwi.", o));
    ASSERT_TRUE(first) << first.error();
    EXPECT_EQ(first->result, "[turn 1] Remember the word kiwi.");

    const auto before = stand_in().message_bodies().size();
    auto again = keyed();
    again.cwd = "chat";
    again.resume = first->session_id;
    auto second = await(claude::run(sb, "Which word?", again));
    ASSERT_TRUE(second) << second.error();
    EXPECT_EQ(second->result, "[turn 2] Which word?");
    EXPECT_EQ(second->session_id, first->session_id);
    // The stand-in saw the whole conversation: the first prompt came back with the second.
    auto prompts = prompts_since(before);
    EXPECT_NE(std::find(prompts.begin(), prompts.end(), "Remember the word kiwi."), prompts.end());

    auto cont = keyed();
    cont.cwd = "chat";
    cont.continue_session = true;
    auto third = await(claude::run(sb, "And now?", cont));
    ASSERT_TRUE(third) << third.error();
    EXPECT_EQ(third->result, "[turn 3] And now?");

    // Streaming continues the conversation too.
    auto streamed = keyed();
    streamed.cwd = "chat";
    streamed.resume = first->session_id;
    int n = 0;
    claude::event_callback count = [&](const claude::event&) {
        ++n;
    };
    auto fourth = await(claude::stream(sb, "Last one.", streamed, count));
    ASSERT_TRUE(fourth) << fourth.error();
    EXPECT_EQ(fourth->result, "[turn 4] Last one.");
    EXPECT_GE(n, 3);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Claude, NoSecretInTracesOrErrors) {
    temp_dir dir;
    const auto trace = dir.path / "trace.jsonl";
    auto co = emulator_options();
    co.trace_file = trace.string();
    dt::client traced{io.get_executor(), co};
    dt::create_params p;
    p.env = sandbox_env();
    auto sb = await(traced.create(std::move(p)));
    ASSERT_TRUE(sb) << sb.error();
    auto o = keyed();
    o.env["OTHER_SECRET"] = "hunter2-other-secret";
    auto r = await(claude::run(*sb, "traced run", o));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->result, "[turn 1] traced run");
    claude::event_callback none = [](const claude::event&) {
    };
    auto s = await(claude::stream(*sb, "traced stream", o, none));
    ASSERT_TRUE(s) << s.error();
    EXPECT_EQ(s->result, "[turn 1] traced stream");
    // Errors: a bad value, a bad name, and a failing toolbox call all leave the values out.
    auto nul = o;
    nul.env["BROKEN"] = std::string("abc\0def", 7);
    auto e1 = await(claude::run(*sb, "x", nul));
    ASSERT_FALSE(e1);
    auto bad_name = o;
    bad_name.env["not a name"] = "v";
    auto e2 = await(claude::stream(*sb, "x", bad_name, none));
    ASSERT_FALSE(e2);
    ASSERT_TRUE(await(sb->destroy()));
    auto gone = await(claude::run(*sb, "x", o));
    ASSERT_FALSE(gone);
    for (const auto& e : {e1.error(), e2.error(), gone.error()}) {
        EXPECT_EQ(e.to_string().find(api_key), std::string::npos) << e;
        EXPECT_EQ(e.to_string().find("hunter2"), std::string::npos) << e;
        EXPECT_EQ(e.body_excerpt().find(api_key), std::string::npos);
    }
    const std::string text = slurp(trace);
    EXPECT_NE(text.find("process/execute"), std::string::npos) << "the trace recorded nothing";
    EXPECT_EQ(text.find(api_key), std::string::npos) << "the API key leaked into the trace";
    EXPECT_EQ(text.find("hunter2"), std::string::npos) << "a secret leaked into the trace";
}

TEST_F(Claude, MissingCliIsAClearErrorAndEnsureInstalledInstallsIt) {
    // A directory on the sandbox's PATH, outside the sandbox's /home and /tmp (which mount
    // namespaces replace), empty at first.
    const auto bin = std::filesystem::path("/var/tmp") /
                     ("daytona-claude-install-" + std::to_string(::getpid()));
    std::filesystem::remove_all(bin);
    std::filesystem::create_directories(bin);
    dt::create_params p;
    p.env = sandbox_env(false);
    p.env["PATH"] = bin.string() + ":" + p.env["PATH"];
    auto sb = make(std::move(p));
    auto missing = await(claude::run(sb, "hello", keyed()));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error(), dt::errc::claude_cli_unavailable);
    EXPECT_NE(missing.error().message().find("not installed"), std::string::npos);

    claude::install_options off;
    off.install_command.clear();
    EXPECT_EQ(await(claude::ensure_installed(sb, off)).error(), dt::errc::claude_cli_unavailable);

    // An install command that fails is reported with its output.
    claude::install_options failing;
    failing.install_command = "echo 'npm ERR! offline'; exit 1";
    auto f = await(claude::ensure_installed(sb, failing));
    ASSERT_FALSE(f);
    EXPECT_NE(f.error().body_excerpt().find("npm ERR! offline"), std::string::npos);

    // An offline "install": link the pinned CLI into the PATH directory, with progress output.
    claude::install_options link;
    link.install_command = "echo linking; ln -s " + dt::detail::shell_quote(cli_dir + "/claude") +
                           " " + dt::detail::shell_quote((bin / "claude").string()) +
                           " && echo linked";
    std::string progress;
    link.on_progress = [&](std::string_view c) {
        progress.append(c);
    };
    auto installed = await(claude::ensure_installed(sb, link));
    ASSERT_TRUE(installed) << installed.error();
    EXPECT_TRUE(installed->installed_now);
    EXPECT_EQ(installed->version, "2.1.197");
    EXPECT_EQ(progress, "linking\nlinked\n");
    auto present = await(claude::ensure_installed(sb));
    ASSERT_TRUE(present) << present.error();
    EXPECT_FALSE(present->installed_now);
    auto works = await(claude::run(sb, "now it works", keyed()));
    ASSERT_TRUE(works) << works.error();
    EXPECT_EQ(works->result, "[turn 1] now it works");
    ASSERT_TRUE(await(sb.destroy()));
    std::filesystem::remove_all(bin);
}

}  // namespace
