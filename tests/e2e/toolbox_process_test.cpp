// SPDX-License-Identifier: Apache-2.0
// The toolbox's process side against the emulator: sessions (exec, async commands followed live
// over the WebSocket with stdout and stderr apart, input, logs), exec with the streams apart,
// code runs, and the sandbox's directories and ports.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <asio/bind_cancellation_slot.hpp>

#include <fstream>
#include <thread>

using namespace daytona_test;
using namespace std::chrono_literals;

namespace {
class ToolboxProcess : public emulator_test {};
}  // namespace

TEST_F(ToolboxProcess, ExecSplitKeepsTheStreamsApartAndSurvivesExit) {
    auto sb = make();
    auto r = await(sb.process().exec_split("echo to-out; echo to-err >&2; exit 3"));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->exit_code, 3);
    EXPECT_EQ(r->stdout_text, "to-out\n");
    EXPECT_EQ(r->stderr_text, "to-err\n");
    // `set -e` and a failing command end only the command; stdin is at end of file.
    auto e = await(sb.process().exec_split("set -e; false; echo never"));
    ASSERT_TRUE(e) << e.error();
    EXPECT_EQ(e->exit_code, 1);
    EXPECT_EQ(e->stdout_text, "");
    auto in = await(sb.process().exec_split("cat; echo done"));  // would hang on an open stdin
    ASSERT_TRUE(in) << in.error();
    EXPECT_EQ(in->stdout_text, "done\n");
    dt::exec_options where{.cwd = "/tmp"};
    auto cwd = await(sb.process().exec_split("pwd", std::move(where)));
    ASSERT_TRUE(cwd) << cwd.error();
    EXPECT_EQ(cwd->stdout_text, "/tmp\n");
    // A quote in the directory stays one argument.
    ASSERT_TRUE(await(sb.process().exec("mkdir -p \"it's here\"")));
    dt::exec_options odd{.cwd = "it's here"};
    auto q = await(sb.process().exec_split("basename \"$PWD\"", std::move(odd)));
    ASSERT_TRUE(q) << q.error();
    EXPECT_EQ(q->stdout_text, "it's here\n");
    dt::exec_options slow{.timeout = 1s};
    auto t = await(sb.process().exec_split("sleep 30", std::move(slow)));
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error(), dt::condition::timeout);
    // The environment reaches the command (quotes, spaces, newlines kept) through a file that
    // is gone once the command starts.
    dt::exec_options secret{.env = {{"TOKEN", "it's a\nsecret\n\n"}, {"OTHER", "2"}}};
    auto with_env =
        await(sb.process().exec_split("printf '[%s]' \"$TOKEN\" \"$OTHER\"; echo; ls -a /tmp | "
                                      "grep -c 'daytona-cpp-exec.*env' >&2",
                                      std::move(secret)));
    ASSERT_TRUE(with_env) << with_env.error();
    EXPECT_EQ(with_env->stdout_text, "[it's a\nsecret\n\n][2]\n");
    EXPECT_EQ(with_env->stderr_text, "0\n");
    dt::exec_options bad_name{.env = {{"NOT-A-NAME", "x"}}};
    EXPECT_EQ(await(sb.process().exec_split("env", std::move(bad_name))).error(),
              dt::errc::invalid_argument);
    // Every temporary session is gone again.
    auto sessions = await(sb.process().list_sessions());
    ASSERT_TRUE(sessions) << sessions.error();
    EXPECT_TRUE(sessions->empty());
    ASSERT_TRUE(await(sb.destroy()));
}

// A cancelled exec_split does not leave its command running: its session is deleted, which
// ends the command, and the environment file is gone.
TEST_F(ToolboxProcess, ACancelledExecSplitStopsItsCommand) {
    auto sb = make();
    asio::cancellation_signal cancel;
    bool completed = false;
    dt::exec_options opts{.env = {{"TOKEN", "secret"}}};
    asio::co_spawn(
        io, sb.process().exec_split("touch started; sleep 2; touch finished", std::move(opts)),
        asio::bind_cancellation_slot(cancel.slot(),
                                     [&](std::exception_ptr thrown, dt::result<dt::exec_output> r) {
                                         // Cancelled: operation_aborted thrown, or an error.
                                         completed = true;
                                         if (!thrown) {
                                             EXPECT_FALSE(r) << r->stdout_text;
                                         }
                                     }));
    asio::co_spawn(io, cancel_when(sb, "test -e started && echo yes", cancel, 100, 50ms),
                   asio::detached);
    io.restart();
    io.run();
    EXPECT_TRUE(completed);
    auto sessions = await(sb.process().list_sessions());
    ASSERT_TRUE(sessions) << sessions.error();
    EXPECT_TRUE(sessions->empty());
    std::this_thread::sleep_for(2500ms);
    auto left = await(sb.process().exec("ls started finished 2>&1; ls -a /tmp | grep -c env"));
    ASSERT_TRUE(left) << left.error();
    EXPECT_NE(left->output.find("started"), std::string::npos);
    EXPECT_NE(left->output.find("'finished': No such file"), std::string::npos) << left->output;
    EXPECT_NE(left->output.find("\n0\n"), std::string::npos) << left->output;
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(ToolboxProcess, SessionsKeepShellStateAndFollowCommandsLive) {
    auto sb = make();
    auto s = await(sb.process().create_session("work"));
    ASSERT_TRUE(s) << s.error();
    auto dup = await(sb.process().create_session("work"));
    EXPECT_EQ(dup.error(), dt::condition::conflict);
    ASSERT_TRUE(await(s->exec("cd /tmp && export GREETING=hello")));
    auto state = await(s->exec("pwd; echo $GREETING; echo oops >&2"));
    ASSERT_TRUE(state) << state.error();
    EXPECT_EQ(state->stdout_text, "/tmp\nhello\n");
    EXPECT_EQ(state->stderr_text, "oops\n");
    EXPECT_EQ(state->exit_code, 0);

    // A command that reads its stdin and writes both streams, followed as it runs.
    auto cmd = await(s->exec_async(
        "for i in 1 2 3; do echo out-$i; echo err-$i >&2; done; read line; echo got-$line; "
        "head -c 300000 /dev/zero | tr '\\0' x; echo; exit 4"));
    ASSERT_TRUE(cmd) << cmd.error();
    ASSERT_TRUE(await(s->send_input(*cmd, "typed\n")));
    std::string out, err;
    dt::output_callback on_out = [&](std::string_view b) {
        out.append(b);
    };
    dt::output_callback on_err = [&](std::string_view b) {
        err.append(b);
    };
    auto code = await(s->follow(*cmd, on_out, on_err));
    ASSERT_TRUE(code) << code.error();
    EXPECT_EQ(*code, 4);
    EXPECT_EQ(err, "err-1\nerr-2\nerr-3\n");
    ASSERT_GT(out.size(), 300000u);
    EXPECT_EQ(out.substr(0, 30), "out-1\nout-2\nout-3\ngot-typed\nxx");
    EXPECT_EQ(std::count(out.begin(), out.end(), 'x'), 300000);
    // The same, read whole afterwards.
    auto logs = await(s->logs(*cmd));
    ASSERT_TRUE(logs) << logs.error();
    EXPECT_EQ(logs->stdout_text, out);
    EXPECT_EQ(logs->stderr_text, err);
    auto info = await(s->command(*cmd));
    ASSERT_TRUE(info);
    EXPECT_EQ(info->exit_code, 4);
    auto late_input = await(s->send_input(*cmd, "too late\n"));
    EXPECT_EQ(late_input.error(), dt::condition::gone);

    auto listed = await(sb.process().list_sessions());
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().session_id, "work");
    EXPECT_EQ(listed->front().commands.size(), 3u);
    ASSERT_TRUE(await(s->destroy()));
    auto gone = await(s->exec("true"));
    EXPECT_EQ(gone.error(), dt::condition::not_found);
    auto unknown_cmd = await(sb.process().session("nope").follow("x", on_out, on_err));
    EXPECT_EQ(unknown_cmd.error(), dt::condition::not_found);
    auto entry = await(sb.process().session("entrypoint").exec("true"));
    EXPECT_EQ(entry.error(), dt::condition::bad_request);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(ToolboxProcess, FollowingIsTracedAsAWebSocket) {
    auto trace = temp_dir();
    auto opts = emulator_options();
    opts.trace_file = (trace.path / "t.jsonl").string();
    dt::client c{io.get_executor(), opts};
    auto sb = await(c.create());
    ASSERT_TRUE(sb) << sb.error();
    auto s = await(sb->process().create_session("s"));
    ASSERT_TRUE(s);
    auto cmd = await(s->exec_async("echo hi"));
    ASSERT_TRUE(cmd);
    auto code = await(s->follow(*cmd, {}, {}));
    ASSERT_TRUE(code) << code.error();
    std::ifstream in(opts.trace_file);
    std::string line, ws_line;
    while (std::getline(in, line))
        if (line.find(R"("websocket":true)") != std::string::npos) ws_line = line;
    EXPECT_NE(
        ws_line.find(R"("operation":"follow_session_command_logs","method":"GET","url":"ws://)"),
        std::string::npos)
        << ws_line;
    EXPECT_NE(ws_line.find(R"("status":101)"), std::string::npos) << ws_line;
    ASSERT_TRUE(await(sb->destroy()));
}

TEST_F(ToolboxProcess, CodeRunUsesTheSandboxLanguage) {
    auto sb = make();
    dt::code_run_options o{.argv = {"first"}, .env = {{"K", "v"}}};
    auto r = await(sb.process().code_run(
        "import sys, os\nprint(sys.argv[1], os.environ['K'])\nsys.exit(2)", std::move(o)));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->exit_code, 2);
    EXPECT_EQ(r->output, "first v\n");
    dt::code_run_options slow{.timeout = 1s};
    auto t = await(sb.process().code_run("import time\ntime.sleep(30)", std::move(slow)));
    EXPECT_EQ(t.error(), dt::condition::timeout);
    auto js = make({.language = "javascript"});
    auto j = await(js.process().code_run("console.log(6 * 7)"));
    ASSERT_TRUE(j) << j.error();
    EXPECT_EQ(j->output, "42\n");
    ASSERT_TRUE(await(sb.destroy()));
    ASSERT_TRUE(await(js.destroy()));
}

TEST_F(ToolboxProcess, DirectoriesVersionAndPorts) {
    auto sb = make();
    auto home = await(sb.process().user_home_dir());
    ASSERT_TRUE(home) << home.error();
    EXPECT_EQ(home->dir, "/home/daytona");
    auto wd = await(sb.process().work_dir());
    ASSERT_TRUE(wd) << wd.error();
    EXPECT_FALSE(wd->dir.empty());
    auto v = await(sb.process().daemon_version());
    ASSERT_TRUE(v) << v.error();
    EXPECT_FALSE(v->version.empty());
    auto none = await(sb.process().listening_ports());
    ASSERT_TRUE(none) << none.error();
    EXPECT_TRUE(none->ports.empty());
    // A server of the sandbox: its port shows up.
    auto server = await(sb.process().exec(
        "nohup python3 -c 'import socket,time; s=socket.socket(); s.bind((\"127.0.0.1\",0)); "
        "s.listen(); open(\"port\",\"w\").write(str(s.getsockname()[1])); time.sleep(60)' "
        ">/dev/null 2>&1 & for i in $(seq 100); do [ -s port ] && break; sleep 0.05; done; "
        "cat port"));
    ASSERT_TRUE(server) << server.error();
    const int port = std::stoi(server->output);
    auto ports = await(sb.process().listening_ports());
    ASSERT_TRUE(ports) << ports.error();
    EXPECT_NE(std::find(ports->ports.begin(), ports->ports.end(), port), ports->ports.end());
    auto used = await(sb.process().is_port_in_use(port));
    ASSERT_TRUE(used) << used.error();
    EXPECT_TRUE(*used);
    auto free_port = await(sb.process().is_port_in_use(1));
    ASSERT_TRUE(free_port);
    EXPECT_FALSE(*free_port);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(ToolboxProcess, ExecSplitEnvironmentNeverEntersCommandTextOrTraces) {
    auto trace = temp_dir();
    auto opts = emulator_options();
    opts.trace_file = (trace.path / "t.jsonl").string();
    dt::client c{io.get_executor(), opts};
    auto sb = await(c.create());
    ASSERT_TRUE(sb) << sb.error();
    const std::string secret = "tok-5e3r37-value";
    dt::exec_options with{.env = {{"TOKEN", secret}}};
    auto r = await(sb->process().exec_split("echo \"$TOKEN\"", std::move(with)));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->stdout_text, secret + "\n");
    std::ifstream in(opts.trace_file);
    const std::string text(std::istreambuf_iterator<char>(in), {});
    EXPECT_NE(text.find(R"("operation":"execute_session_command")"), std::string::npos);
    EXPECT_NE(text.find(R"("envs":{"TOKEN":"[REDACTED]"})"), std::string::npos) << text;
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
    ASSERT_TRUE(await(sb->destroy()));
}

TEST_F(ToolboxProcess, APerCallTimeoutFiresAndNamesTheOperation) {
    // The toolbox stalls the first session lookup and the first work-dir request for 3 s; a
    // call that allows 300 ms fails with a timeout naming its operation, and the next call,
    // with the client's own timeout, is unaffected.
    own_emulator e(
        {.threads = 2,
         .faults = {"stall:3000;op=get_session;times=1", "stall:3000;op=get_work_dir;times=1"}});
    dt::client c{io.get_executor(), e.options()};
    auto sb = await(c.create());
    ASSERT_TRUE(sb) << sb.error();
    auto s = await(sb->process().create_session("slow"));
    ASSERT_TRUE(s) << s.error();
    const dt::request_options quick{.timeout = 300ms, .retry = dt::retry_options::none()};
    const auto started = std::chrono::steady_clock::now();
    auto info = await(s->info(quick));
    ASSERT_FALSE(info);
    EXPECT_EQ(info.error(), dt::condition::timeout) << info.error();
    EXPECT_EQ(info.error().operation(), "get_session");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    auto dir = await(sb->process().work_dir(quick));
    ASSERT_FALSE(dir);
    EXPECT_EQ(dir.error(), dt::condition::timeout) << dir.error();
    EXPECT_EQ(dir.error().operation(), "get_work_dir");
    auto again = await(s->info());
    ASSERT_TRUE(again) << again.error();
    EXPECT_EQ(again->session_id, "slow");
    ASSERT_TRUE(await(sb->destroy()));
}
