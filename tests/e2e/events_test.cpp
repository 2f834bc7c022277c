// SPDX-License-Identifier: Apache-2.0
// The event channel end to end: waits that resume on Daytona's Socket.IO events instead of
// polling, the fallback to polling where the channel is refused, and the channel's auth.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace daytona_test;
using namespace std::chrono_literals;
namespace sio = dt::api::socket_io;

namespace {

/// How many requests of operation `op` a trace file holds.
std::size_t count_ops(const std::filesystem::path& trace, std::string_view op) {
    std::ifstream in(trace);
    std::size_t n = 0;
    const std::string needle = "\"operation\":\"" + std::string(op) + "\"";
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) ++n;
    return n;
}

class Events : public ::testing::Test {
protected:
    asio::io_context io;
    temp_dir dir;

    template <class T>
    T await(asio::awaitable<T> op) {
        return dt::run_sync(io, std::move(op));
    }
    /// Options whose polling alone would make every wait take 10 s: only events can end a
    /// wait sooner, so a wait that finishes within its 8 s limit proves they woke it.
    dt::client_options slow_polling(const own_emulator& e) {
        dt::client_options o;
        o.api_url = e.emu.api_url();
        o.api_key = emulator_key;
        o.polling.initial_interval = o.polling.max_interval = 10s;
        o.trace_file = (dir.path / "trace.jsonl").string();
        return o;
    }
};

}  // namespace

TEST_F(Events, WaitsResumeOnStateEventsWithoutPolling) {
    own_emulator e({.threads = 2, .state_delay = 150ms});
    auto o = slow_polling(e);
    dt::client c{io.get_executor(), o};
    dt::create_params p;
    p.wait_timeout = 8s;
    auto sb = await(c.create(std::move(p)));  // creating -> starting -> started
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(sb->state(), dt::sandbox_state::started);
    ASSERT_TRUE(await(sb->stop(dt::stop_options{.timeout = 8s})));
    EXPECT_EQ(sb->state(), dt::sandbox_state::stopped);
    ASSERT_TRUE(await(sb->start(8s)));
    EXPECT_EQ(sb->state(), dt::sandbox_state::started);
    ASSERT_TRUE(await(sb->destroy_and_wait(8s)));
    EXPECT_EQ(sb->state(), dt::sandbox_state::destroyed);
    // Four waits over seven state changes: at most a refresh each when the channel opened.
    const auto gets = count_ops(o.trace_file, "get_sandbox");
    EXPECT_LE(gets, 6u) << "waits polled instead of listening";
    EXPECT_GE(count_ops(o.trace_file, "socket_io"), 1u);
}

TEST_F(Events, SnapshotWaitsResumeOnEvents) {
    own_emulator e({.threads = 2, .state_delay = 150ms});
    auto o = slow_polling(e);
    dt::client c{io.get_executor(), o};
    dt::snapshot_params p;
    p.name = "events-snap";
    p.dockerfile = "FROM alpine\nRUN true\n";
    p.wait_timeout = 8s;
    auto snap = await(c.snapshots().create(std::move(p)));
    ASSERT_TRUE(snap) << snap.error();
    EXPECT_EQ(snap->state, dt::snapshot_state::active);
}

TEST_F(Events, VolumeWaitsResumeOnEvents) {
    own_emulator e({.threads = 2, .state_delay = 300ms});
    auto o = slow_polling(e);
    dt::client c{io.get_executor(), o};
    auto vol = await(c.volumes().create("events-vol", 8s));  // pending_create -> ready
    ASSERT_TRUE(vol) << vol.error();
    EXPECT_EQ(vol->state, dt::volume_state::ready);
    // One refresh when the channel opened (pending_create still); then volume.state.updated
    // brought the ready volume 300 ms in. Without the event, the 1 s safety poll would have
    // needed a second GET.
    EXPECT_LE(count_ops(o.trace_file, "get_volume"), 1u) << "the wait polled instead of listening";
    EXPECT_GE(count_ops(o.trace_file, "socket_io"), 1u);
}

TEST_F(Events, RefusedChannelFallsBackToPolling) {
    own_emulator e({.threads = 2, .state_delay = 100ms, .socket_io = false});
    dt::client_options o;
    o.api_url = e.emu.api_url();
    o.api_key = emulator_key;
    o.polling.initial_interval = 20ms;
    dt::client c{io.get_executor(), o};
    auto sb = await(c.create());
    ASSERT_TRUE(sb) << sb.error();
    EXPECT_EQ(sb->state(), dt::sandbox_state::started);
    ASSERT_TRUE(await(sb->destroy_and_wait()));
}

TEST_F(Events, TheChannelWantsTheApiKeyAndSpeaksEngineIo) {
    own_emulator e({.threads = 1});
    auto pool =
        std::make_shared<dt::http::pooled_transport>(io.get_executor(), dt::http::pool_options{});
    auto url = dt::http::url::parse(e.emu.api_url() + "/socket.io/");
    ASSERT_TRUE(url);
    url->query = sio::query("sdk-cpp", "0.218.0");
    auto talk = [&](std::string token) -> asio::awaitable<std::vector<sio::packet>> {
        std::vector<sio::packet> seen;
        dt::http::websocket::connect_options options;
        auto ws = co_await dt::http::websocket::connection::connect(pool, *url, std::move(options),
                                                                    "socket_io");
        if (!ws) co_return seen;
        auto open = co_await ws->read();
        if (!open) co_return seen;
        seen.push_back(*sio::parse(open->payload));
        const std::string hello = sio::connect_text(token);
        (void)co_await ws->write_text(hello);
        auto answer = co_await ws->read();
        if (!answer) co_return seen;
        seen.push_back(*sio::parse(answer->payload));
        co_return seen;
    };
    auto refused = await(talk("wrong-key"));
    ASSERT_EQ(refused.size(), 2u);
    EXPECT_EQ(refused[0].kind, sio::packet_kind::open);
    EXPECT_EQ(refused[1].kind, sio::packet_kind::connect_error);
    auto accepted = await(talk(emulator_key));
    ASSERT_EQ(accepted.size(), 2u);
    EXPECT_EQ(accepted[1].kind, sio::packet_kind::connect);

    // The polling transport is not served.
    auto polling = dt::http::url::parse(e.emu.api_url() + "/socket.io/?EIO=4&transport=polling");
    dt::http::request req;
    req.method = dt::http::verb::get;
    req.origin = polling->origin;
    req.target = polling->target();
    const dt::http::send_options so;
    auto r = await(pool->send(req, so));
    ASSERT_TRUE(r) << r.error();
    EXPECT_NE(r->status, 200);
}
