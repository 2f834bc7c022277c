// SPDX-License-Identifier: Apache-2.0
// The event channel's packets, against the text the official TS SDK 0.218 and Daytona exchange
// (literal strings from a capture, not from this codec).
#include <daytona/api/socket_io.hpp>
#include <daytona/events.hpp>

#include <gtest/gtest.h>

namespace dt = daytona;
namespace sio = dt::api::socket_io;

TEST(SocketIo, ReadsTheServerPacketsOfACapture) {
    auto open = sio::parse(
        R"(0{"sid":"o3MS-LNGxSj-dw","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})");
    ASSERT_TRUE(open) << open.error();
    EXPECT_EQ(open->kind, sio::packet_kind::open);
    EXPECT_EQ(open->data.substr(0, 9), R"({"sid":"o)");

    auto connected = sio::parse(R"(40{"sid":"9dqRGvbVEZeFKw"})");
    ASSERT_TRUE(connected);
    EXPECT_EQ(connected->kind, sio::packet_kind::connect);

    auto event = sio::parse(
        R"(42["sandbox.state.updated",{"sandbox":{"id":"s1","name":"n, ]1","state":"started"},"oldState":"starting","newState":"started"}])");
    ASSERT_TRUE(event) << event.error();
    EXPECT_EQ(event->kind, sio::packet_kind::event);
    EXPECT_EQ(event->name, "sandbox.state.updated");
    EXPECT_EQ(
        event->data,
        R"({"sandbox":{"id":"s1","name":"n, ]1","state":"started"},"oldState":"starting","newState":"started"})");

    EXPECT_EQ(sio::parse("2")->kind, sio::packet_kind::ping);
    EXPECT_EQ(sio::parse("3")->kind, sio::packet_kind::pong);
    EXPECT_EQ(sio::parse("41")->kind, sio::packet_kind::disconnect);
    auto refused = sio::parse(R"(44{"message":"Unauthorized"})");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->kind, sio::packet_kind::connect_error);
}

TEST(SocketIo, WritesTheClientPacketsOfACapture) {
    EXPECT_EQ(sio::connect_text("dtn_test_key_123"), R"(40{"token":"dtn_test_key_123"})");
    EXPECT_EQ(sio::pong_text, "3");
    EXPECT_EQ(sio::query("sdk-typescript-legacy", "0.218.0"),
              "source=sdk-typescript-legacy&sdkVersion=0.218.0&EIO=4&transport=websocket");
    EXPECT_EQ(sio::query("sdk-cpp", "0.218.0", "org 1"),
              "organizationId=org%201&source=sdk-cpp&sdkVersion=0.218.0&EIO=4&transport=websocket");
}

TEST(SocketIo, ServerPacketsReadBack) {
    auto open = sio::parse(sio::open_text({.sid = "abc"}));
    ASSERT_TRUE(open);
    EXPECT_EQ(open->kind, sio::packet_kind::open);
    EXPECT_EQ(sio::event_text("volume.created", R"({"id":"v"})"),
              R"(42["volume.created",{"id":"v"}])");
    auto connect = sio::parse(R"(40{"token":"k"})");
    ASSERT_TRUE(connect);
    EXPECT_EQ(connect->kind, sio::packet_kind::connect);
    EXPECT_EQ(connect->data, R"({"token":"k"})");
}

TEST(SocketIo, MalformedPacketsAreTypedErrors) {
    for (std::string_view bad : {"", "9", "4", "49", R"(42["unterminated)", "42[]", "42[1,{}]",
                                 R"(42{"a":1})", "42[\"x\",{]"}) {
        auto p = sio::parse(bad);
        ASSERT_FALSE(p) << "accepted: " << bad;
        EXPECT_EQ(p.error(), dt::errc::protocol_error) << bad;
        EXPECT_EQ(p.error().operation(), "socket_io");
    }
    // Another namespace's packets are not ours: ignored, not errors.
    auto other = sio::parse(R"(42/admin,["x",{}])");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->kind, sio::packet_kind::other);
}

TEST(SocketIo, EventPayloadsNameTheirEntity) {
    auto wrapped = dt::detail::entity_of_event(
        R"({"oldState":"a","sandbox": {"id":"s1","name":"w\"e}b","labels":{"k":"{"}},"newState":"b"})");
    ASSERT_TRUE(wrapped);
    EXPECT_EQ(wrapped->id, "s1");
    EXPECT_EQ(wrapped->name, "w\"e}b");
    EXPECT_EQ(wrapped->dto, R"({"id":"s1","name":"w\"e}b","labels":{"k":"{"}})");
    auto bare = dt::detail::entity_of_event(R"({"id":"v1","name":"vol"})");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->id, "v1");
    EXPECT_EQ(bare->dto, R"({"id":"v1","name":"vol"})");
    EXPECT_FALSE(dt::detail::entity_of_event("[1]"));
    EXPECT_FALSE(dt::detail::entity_of_event(R"({"sandbox":)"));
}
