// SPDX-License-Identifier: Apache-2.0
// Splitting a session command's log into stdout and stderr. The daemon writes every stdout line
// behind the bytes 01 01 01 and every stderr line behind 02 02 02 into one log; this turns such
// a byte stream, fed in pieces of any size, back into the two streams. Sans-io.
#ifndef DAYTONA_DETAIL_LOG_DEMUX_HPP
#define DAYTONA_DETAIL_LOG_DEMUX_HPP

#include "daytona/config.hpp"

#include <string>
#include <string_view>

DAYTONA_BEGIN_NAMESPACE
namespace detail {

/// Which stream a piece of a log belongs to.
enum class log_stream { out, err };

/**
 * \brief Incremental demultiplexer of marked logs.
 * \details Bytes after a marker belong to that marker's stream until the next marker; bytes
 * before the first marker belong to no stream and are dropped, as the official SDKs do. A
 * marker split across pieces is recognised: up to two trailing bytes that could start one are
 * held back until the next piece (or finish()). The sink is called with (stream, bytes) for
 * every run of bytes, in order; it must not throw.
 */
class log_demux {
public:
    static constexpr std::string_view stdout_marker{"\x01\x01\x01", 3};
    static constexpr std::string_view stderr_marker{"\x02\x02\x02", 3};

    template <class Sink>
    void feed(std::string_view data, Sink&& sink) {
        if (!held_.empty()) {
            held_.append(data);
            std::string joined = std::move(held_);
            held_.clear();
            scan(joined, sink, false);
            return;
        }
        scan(data, sink, false);
    }

    /// Delivers what was held back: the stream ended.
    template <class Sink>
    void finish(Sink&& sink) {
        std::string rest = std::move(held_);
        held_.clear();
        scan(rest, sink, true);
    }

    /// Where the bytes go now (nothing before the first marker).
    bool started() const noexcept { return started_; }

private:
    static bool marker_byte(char c) noexcept { return c == '\x01' || c == '\x02'; }

    template <class Sink>
    void scan(std::string_view data, Sink& sink, bool final) {
        std::size_t run = 0;
        std::size_t i = 0;
        while (i < data.size()) {
            if (!marker_byte(data[i])) {
                ++i;
                continue;
            }
            const char c = data[i];
            // A possible marker at the end: hold it until more bytes show what it is.
            if (!final && data.size() - i < 3) {
                bool prefix = true;
                for (std::size_t k = i; k < data.size(); ++k)
                    prefix = prefix && data[k] == c;
                if (prefix) {
                    emit(sink, data.substr(run, i - run));
                    held_.assign(data.substr(i));
                    return;
                }
            }
            if (i + 3 <= data.size() && data[i + 1] == c && data[i + 2] == c) {
                emit(sink, data.substr(run, i - run));
                current_ = c == '\x01' ? log_stream::out : log_stream::err;
                started_ = true;
                i += 3;
                run = i;
                continue;
            }
            ++i;
        }
        emit(sink, data.substr(run));
    }

    template <class Sink>
    void emit(Sink& sink, std::string_view bytes) {
        if (bytes.empty() || !started_) return;
        sink(current_, bytes);
    }

    std::string held_;
    log_stream current_ = log_stream::out;
    bool started_ = false;
};

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_DETAIL_LOG_DEMUX_HPP
