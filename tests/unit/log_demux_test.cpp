// SPDX-License-Identifier: Apache-2.0
// Demultiplexing session logs: markers anywhere, split across pieces at every offset.
#include <daytona/detail/log_demux.hpp>

#include <gtest/gtest.h>

namespace dt = daytona;

namespace {
// Builds a byte string piece by piece (GCC 12 warns falsely about `std::string + "..."` chains).
std::string bytes(std::initializer_list<std::string_view> pieces) {
    std::string out;
    for (auto p : pieces)
        out.append(p);
    return out;
}

struct collected {
    std::string out, err, order;
};

collected run(const std::vector<std::string_view>& pieces) {
    collected c;
    dt::detail::log_demux d;
    auto sink = [&](dt::detail::log_stream s, std::string_view bytes) {
        (s == dt::detail::log_stream::out ? c.out : c.err).append(bytes);
        c.order += s == dt::detail::log_stream::out ? 'o' : 'e';
    };
    for (auto p : pieces)
        d.feed(p, sink);
    d.finish(sink);
    return c;
}
}  // namespace

TEST(LogDemux, TheCapturedFrame) {
    // The bytes the daemon sends for `echo out line; echo err line >&2`.
    const std::string frame = bytes({"\x01\x01\x01", "out line\n", "\x02\x02\x02", "err line\n"});
    auto c = run({frame});
    EXPECT_EQ(c.out, "out line\n");
    EXPECT_EQ(c.err, "err line\n");
}

TEST(LogDemux, EverySplitPointGivesTheSameStreams) {
    const std::string log = bytes({"junk before the first marker", "\x01\x01\x01", "a\n",
                                   "\x02\x02\x02", "b\x01 single \x02\x02 double\n", "\x01\x01\x01",
                                   "c", "\x02\x02\x02", "\x01\x01\x01", "d\n"});
    for (std::size_t i = 0; i <= log.size(); ++i)
        for (std::size_t j = i; j <= log.size(); j += 3) {
            auto c = run({std::string_view(log).substr(0, i),
                          std::string_view(log).substr(i, j - i), std::string_view(log).substr(j)});
            EXPECT_EQ(c.out, "a\ncd\n") << i << "," << j;
            EXPECT_EQ(c.err, "b\x01 single \x02\x02 double\n") << i << "," << j;
        }
    // One byte at a time.
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < log.size(); ++i)
        bytes.push_back(std::string_view(log).substr(i, 1));
    auto c = run(bytes);
    EXPECT_EQ(c.out, "a\ncd\n");
}

TEST(LogDemux, TrailingMarkerBytesAreDeliveredAtTheEnd) {
    const std::string first = bytes({"\x01\x01\x01", "x\x01"});
    auto c = run({first, "\x01"});
    EXPECT_EQ(c.out, "x\x01\x01");  // not a marker after all: delivered at finish()
    auto none = run({"no marker at all"});
    EXPECT_EQ(none.out, "");
    EXPECT_EQ(none.err, "");
}
