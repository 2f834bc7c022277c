// SPDX-License-Identifier: Apache-2.0
// The stateful code interpreter against the emulator (a real python3 per context): state kept
// across runs, output streamed in order to callbacks, exceptions as values, timeouts that keep
// the context, contexts created, listed and deleted.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>

using namespace daytona_test;
using namespace std::chrono_literals;

namespace {
class Interpreter : public emulator_test {};
}  // namespace

TEST_F(Interpreter, KeepsStateAcrossRunsInOneContext) {
    auto sb = make();
    auto ci = sb.code_interpreter();
    auto ctx = await(ci.create_context("/tmp", "python"));
    ASSERT_TRUE(ctx) << ctx.error();
    EXPECT_FALSE(ctx->id.empty());
    EXPECT_EQ(ctx->cwd, "/tmp");
    EXPECT_EQ(ctx->language, "python");
    EXPECT_TRUE(ctx->active);
    dt::run_code_options in_ctx{.context_id = ctx->id};
    auto set = await(ci.run_code("import os\ncounter = 41", std::move(in_ctx)));
    ASSERT_TRUE(set) << set.error();
    EXPECT_FALSE(set->error);
    dt::run_code_options again{.context_id = ctx->id};
    auto get = await(ci.run_code("counter += 1\nprint(counter, os.getcwd())", std::move(again)));
    ASSERT_TRUE(get) << get.error();
    EXPECT_EQ(get->stdout_text, "42 /tmp\n");
    EXPECT_EQ(get->stderr_text, "");
    // Another context does not see it; the default context is separate too.
    auto other = await(ci.run_code("print('counter' in globals())"));
    ASSERT_TRUE(other) << other.error();
    EXPECT_EQ(other->stdout_text, "False\n");
    // Environment variables for one execution only.
    dt::run_code_options env{.context_id = ctx->id, .env = {{"ANSWER", "yes"}}};
    auto with_env = await(ci.run_code("print(os.environ.get('ANSWER'))", std::move(env)));
    ASSERT_TRUE(with_env) << with_env.error();
    EXPECT_EQ(with_env->stdout_text, "yes\n");

    auto listed = await(ci.list_contexts());
    ASSERT_TRUE(listed) << listed.error();
    ASSERT_EQ(listed->size(), 1u);  // the default context is not listed
    EXPECT_EQ(listed->front().id, ctx->id);
    ASSERT_TRUE(await(ci.delete_context(ctx->id)));
    EXPECT_EQ(await(ci.delete_context(ctx->id)).error(), dt::condition::not_found);
    dt::run_code_options gone{.context_id = ctx->id};
    auto after = await(ci.run_code("print(1)", std::move(gone)));
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error(), dt::condition::not_found);
    EXPECT_EQ(after.error().info().operation, "run_code");
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Interpreter, StreamsStdoutAndStderrInOrder) {
    auto sb = make();
    // Each piece of output waits for the callback of the one before, through a file the
    // callback writes (/var/tmp is shared with the emulator's sandboxes): the order seen is the
    // order of delivery as the code runs, whatever the load of the machine.
    char dir_template[] = "/var/tmp/daytona-interp-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    const std::string dir = dir_template;
    std::vector<std::string> events;
    auto ack = [&](std::string what) {
        events.push_back(what);
        std::ofstream(dir + "/ack-" + std::to_string(events.size()));
    };
    dt::run_code_options o;
    o.on_stdout = [&](std::string_view t) {
        ack("out:" + std::string(t));
    };
    o.on_stderr = [&](std::string_view t) {
        ack("err:" + std::string(t));
    };
    o.on_error = [&](const dt::execution_error& e) {
        ack("error:" + e.name);
    };
    auto r =
        await(sb.code_interpreter().run_code("import os, sys, time\n"
                                             "n = 0\n"
                                             "def delivered():\n"
                                             "    global n\n"
                                             "    n += 1\n"
                                             "    while not os.path.exists('" +
                                                 dir +
                                                 "/ack-%d' % n):\n"
                                                 "        time.sleep(0.01)\n"
                                                 "for i in range(3):\n"
                                                 "    print('out', i)\n"
                                                 "    delivered()\n"
                                                 "    print('err', i, file=sys.stderr)\n"
                                                 "    delivered()\n"
                                                 "raise KeyError('k')\n",
                                             std::move(o)));
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->stdout_text, "out 0\nout 1\nout 2\n");
    EXPECT_EQ(r->stderr_text, "err 0\nerr 1\nerr 2\n");
    const std::vector<std::string> want{"out:out 0\n",   "err:err 0\n", "out:out 1\n",
                                        "err:err 1\n",   "out:out 2\n", "err:err 2\n",
                                        "error:KeyError"};
    EXPECT_EQ(events, want);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Interpreter, AnExceptionIsAValue) {
    auto sb = make();
    std::string seen;
    dt::run_code_options o;
    o.on_error = [&](const dt::execution_error& e) {
        seen = e.name + ": " + e.value;
    };
    auto r =
        await(sb.code_interpreter().run_code("print('before')\nraise ValueError('bad input')", o));
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->stdout_text, "before\n");
    ASSERT_TRUE(r->error);
    EXPECT_EQ(r->error->name, "ValueError");
    EXPECT_EQ(r->error->value, "bad input");
    EXPECT_NE(r->error->traceback.find("ValueError: bad input"), std::string::npos)
        << r->error->traceback;
    EXPECT_EQ(seen, "ValueError: bad input");
    // The context survives the exception.
    auto next = await(sb.code_interpreter().run_code("print('after')"));
    ASSERT_TRUE(next) << next.error();
    EXPECT_EQ(next->stdout_text, "after\n");
    EXPECT_FALSE(next->error);
    ASSERT_TRUE(await(sb.destroy()));
}

TEST_F(Interpreter, ATimeoutKeepsTheContext) {
    auto sb = make();
    auto ci = sb.code_interpreter();
    auto ctx = await(ci.create_context());
    ASSERT_TRUE(ctx) << ctx.error();
    dt::run_code_options set{.context_id = ctx->id};
    ASSERT_TRUE(await(ci.run_code("kept = 'still here'", std::move(set))));
    std::string out;
    dt::run_code_options slow{.context_id = ctx->id, .timeout = 1s};
    slow.on_stdout = [&](std::string_view t) {
        out.append(t);
    };
    auto r = await(ci.run_code("print('started')\nimport time\ntime.sleep(60)", std::move(slow)));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), dt::condition::timeout);
    EXPECT_EQ(out, "started\n");
    dt::run_code_options after{.context_id = ctx->id};
    auto kept = await(ci.run_code("print(kept)", std::move(after)));
    ASSERT_TRUE(kept) << kept.error();
    EXPECT_EQ(kept->stdout_text, "still here\n");
    dt::run_code_options negative{.timeout = -1s};
    EXPECT_EQ(await(ci.run_code("1", std::move(negative))).error(), dt::errc::invalid_argument);
    auto bad = await(ci.create_context("/tmp", "cobol"));
    EXPECT_EQ(bad.error(), dt::condition::bad_request);
    ASSERT_TRUE(await(sb.destroy()));
}
