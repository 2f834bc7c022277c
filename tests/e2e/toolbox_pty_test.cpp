// SPDX-License-Identifier: Apache-2.0
// Pseudo-terminals against the emulator: a real login shell on a real terminal, reached over the
// WebSocket (create-connect with env, cwd and size; input, output, resize, exit codes, kill, a
// second client attached to the same terminal).
#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace daytona_test;

namespace {

class Pty : public emulator_test {
protected:
    /// Reads until the output so far contains `needle`; the output read, or an error text.
    std::string read_until(const dt::pty_handle& t, std::string_view needle) {
        std::string seen;
        while (seen.find(needle) == std::string::npos) {
            auto r = await(t.read());
            if (!r) return seen + "\n[read failed: " + r.error().to_string() + "]";
            if (r->empty()) return seen + "\n[the terminal ended]";
            seen += *r;
        }
        return seen;
    }
    static bool contains(const std::string& s, std::string_view what) {
        return s.find(what) != std::string::npos;
    }
};

}  // namespace

TEST_F(Pty, RunsACommandAndReadsItsOutput) {
    auto sb = make();
    ASSERT_TRUE(await(sb.process().exec("mkdir -p /tmp/ptydir")));
    dt::pty_options o{.id = "term-1",
                      .cwd = "/tmp/ptydir",
                      .env = {{"GREETING", "hi"}, {"TERM", "xterm"}},
                      .cols = 100,
                      .rows = 30};
    auto t = await(sb.pty().create(std::move(o)));
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->id(), "term-1");
    // The typed line is echoed as typed; only the shell's expansion shows the variable's value.
    ASSERT_TRUE(await(t->write("echo $GREETING-there term=$TERM; pwd; stty size\n")));
    auto out = read_until(*t, "30 100");
    EXPECT_TRUE(contains(out, "term=xterm\r\n")) << out;
    EXPECT_TRUE(contains(out, "hi-there")) << out;
    EXPECT_TRUE(contains(out, "/tmp/ptydir")) << out;

    auto listed = await(sb.pty().list());
    ASSERT_TRUE(listed) << listed.error();
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().id, "term-1");
    EXPECT_EQ(listed->front().cols, 100);
    EXPECT_EQ(listed->front().rows, 30);
    EXPECT_TRUE(listed->front().active);
    EXPECT_EQ(listed->front().envs.at("GREETING"), "hi");
    auto info = await(sb.pty().get("term-1"));
    ASSERT_TRUE(info) << info.error();
    EXPECT_EQ(info->cwd, "/tmp/ptydir");

    ASSERT_TRUE(await(t->write("exit\n")));
    auto end = await(t->wait());
    ASSERT_TRUE(end) << end.error();
    EXPECT_EQ(end->exit_code, 0);
    EXPECT_EQ(end->reason, "");
    ASSERT_TRUE(t->exit_status());
    EXPECT_EQ(t->exit_status()->exit_code, 0);
    // After the end: read() keeps answering the end, write() fails.
    auto again = await(t->read());
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->empty());
    EXPECT_EQ(await(t->write("x")).error(), dt::errc::connection_closed);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Pty, ResizeChangesWhatSttySees) {
    auto sb = make();
    auto t = await(sb.pty().create());
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->id().rfind("pty-", 0), 0u) << t->id();
    ASSERT_TRUE(await(t->write("stty size\n")));
    auto before = read_until(*t, "24 80");
    EXPECT_TRUE(contains(before, "24 80")) << before;
    auto resized = await(t->resize(120, 40));
    ASSERT_TRUE(resized) << resized.error();
    EXPECT_EQ(resized->cols, 120);
    EXPECT_EQ(resized->rows, 40);
    ASSERT_TRUE(await(t->write("stty size\n")));
    auto after = read_until(*t, "40 120");
    EXPECT_TRUE(contains(after, "40 120")) << after;
    EXPECT_EQ(await(t->resize(0, 40)).error(), dt::errc::invalid_argument);
    ASSERT_TRUE(await(t->write("exit\n")));
    ASSERT_TRUE(await(t->wait()));
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Pty, ReportsTheExitCodeAndReason) {
    auto sb = make();
    dt::pty_options o{.id = "exits"};
    auto t = await(sb.pty().create(std::move(o)));
    ASSERT_TRUE(t) << t.error();
    ASSERT_TRUE(await(t->write("exit 3\n")));
    std::string out;
    auto end = await(t->wait([&](std::string_view b) { out.append(b); }));
    ASSERT_TRUE(end) << end.error();
    EXPECT_EQ(end->exit_code, 3);
    EXPECT_EQ(end->reason, "non-zero exit");
    EXPECT_TRUE(contains(out, "exit 3")) << out;  // the echo of what was typed
    // The shell has ended: the terminal cannot be resized any more.
    EXPECT_EQ(await(t->resize(90, 20)).error(), dt::condition::gone);
    // Attaching to an ended terminal answers its end at once.
    auto late = await(sb.pty().connect("exits"));
    ASSERT_TRUE(late) << late.error();
    auto late_end = await(late->wait());
    ASSERT_TRUE(late_end) << late_end.error();
    EXPECT_EQ(late_end->exit_code, 3);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Pty, KillEndsTheShell) {
    auto sb = make();
    dt::pty_options o{.id = "doomed"};
    auto t = await(sb.pty().create(std::move(o)));
    ASSERT_TRUE(t) << t.error();
    ASSERT_TRUE(await(t->write("sleep 600\n")));
    read_until(*t, "sleep 600");
    ASSERT_TRUE(await(t->kill()));
    auto end = await(t->wait());
    ASSERT_TRUE(end) << end.error();
    EXPECT_EQ(end->exit_code, 137);
    EXPECT_EQ(end->reason, "SIGKILL");
    EXPECT_EQ(await(sb.pty().get("doomed")).error(), dt::condition::not_found);
    EXPECT_EQ(await(sb.pty().kill("doomed")).error(), dt::condition::not_found);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Pty, ASecondClientSharesTheTerminal) {
    auto sb = make();
    dt::pty_options o{.id = "shared"};
    auto first = await(sb.pty().create(std::move(o)));
    ASSERT_TRUE(first) << first.error();
    auto second = await(sb.pty().connect("shared"));
    ASSERT_TRUE(second) << second.error();
    // Typed by the second client, seen by both ($((…)) so the echo of the line cannot match).
    ASSERT_TRUE(await(second->write("echo from-$((40+2))\n")));
    auto a = read_until(*first, "from-42");
    EXPECT_TRUE(contains(a, "from-42")) << a;
    auto b = read_until(*second, "from-42");
    EXPECT_TRUE(contains(b, "from-42")) << b;
    // The second one leaves; the terminal stays for the first.
    ASSERT_TRUE(await(second->disconnect()));
    ASSERT_TRUE(await(first->write("exit 5\n")));
    auto end = await(first->wait());
    ASSERT_TRUE(end) << end.error();
    EXPECT_EQ(end->exit_code, 5);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Pty, ErrorsAreTyped) {
    auto sb = make();
    dt::pty_options o{.id = "taken"};
    auto t = await(sb.pty().create(std::move(o)));
    ASSERT_TRUE(t) << t.error();
    dt::pty_options dup{.id = "taken"};
    auto conflict = await(sb.pty().create(std::move(dup)));
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error(), dt::condition::conflict);
    EXPECT_EQ(conflict.error().info().operation, "create_connect_pty");
    auto unknown = await(sb.pty().connect("nope"));
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error(), dt::condition::not_found);
    dt::pty_options big{.cols = 1001};
    EXPECT_EQ(await(sb.pty().create(std::move(big))).error(), dt::errc::invalid_argument);
    dt::pty_options bad_dir{.cwd = "/no/such/dir"};
    EXPECT_EQ(await(sb.pty().create(std::move(bad_dir))).error(), dt::condition::bad_request);
    ASSERT_TRUE(await(t->kill()));
    ASSERT_TRUE(await(t->wait()));
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Pty, ASlowReaderIsDroppedNotBuffered) {
    auto sb = make();
    dt::pty_options o{.id = "flood"};
    auto t = await(sb.pty().create(std::move(o)));
    ASSERT_TRUE(t) << t.error();
    // 30 MB of output while this client reads nothing: the client holds no queue of its own
    // (reads are pulled), so the backlog builds up on the daemon's side, which drops the
    // client after 256 messages rather than buffering without bound.
    ASSERT_TRUE(
        await(t->write("head -c 30000000 /dev/zero | tr '\\0' x; echo; touch /tmp/flood-done\n")));
    // Wait for the command to finish, without reading the terminal.
    auto done = await(sb.process().exec(
        "for i in $(seq 600); do test -f /tmp/flood-done && exit 0; sleep 0.1; done; exit 1"));
    ASSERT_TRUE(done) << done.error();
    ASSERT_EQ(done->exit_code, 0) << "the flood did not finish";
    std::size_t received = 0;
    dt::result<std::string> r = std::string();
    for (;;) {
        r = await(t->read());
        if (!r || r->empty()) break;
        received += r->size();
    }
    ASSERT_FALSE(r) << "read all " << received << " bytes";
    EXPECT_EQ(r.error(), dt::errc::connection_closed);
    EXPECT_NE(r.error().message().find("slow consumer"), std::string::npos) << r.error();
    EXPECT_LT(received, 30000000u);
    // The terminal lives on: attach again and use it.
    auto again = await(sb.pty().connect("flood"));
    ASSERT_TRUE(again) << again.error();
    ASSERT_TRUE(await(again->write("exit 7\n")));
    auto end = await(again->wait());
    ASSERT_TRUE(end) << end.error();
    EXPECT_EQ(end->exit_code, 7);
    ASSERT_TRUE(await(sb.destroy()));
}
