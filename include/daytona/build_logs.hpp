// SPDX-License-Identifier: Apache-2.0
// Following a build log: the server streams the log of an image build as chunked text from a URL
// it hands out (`build-logs-url`), open while the build runs. Lines go to a callback as they
// arrive, in constant memory.
#ifndef DAYTONA_BUILD_LOGS_HPP
#define DAYTONA_BUILD_LOGS_HPP

#include "daytona/api/operation.hpp"
#include "daytona/config.hpp"
#include "daytona/http/body.hpp"
#include "daytona/http/url.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

DAYTONA_BEGIN_NAMESPACE

/// Receives one line of a build log (without its line break). Called on the client's executor
/// while the log streams; it must not block.
using log_callback = std::function<void(std::string_view line)>;

namespace detail {

/// A body sink that cuts the stream into lines for a callback. Lines longer than `max_line` are
/// delivered in pieces, so memory stays bounded whatever the server sends.
class line_sink final : public http::body_sink {
public:
    explicit line_sink(log_callback cb, std::size_t max_line = 64 * 1024)
        : cb_(std::move(cb)), max_line_(max_line) {}

    DAYTONA_DECL result<void> write(std::string_view data) override;
    result<void> finish() override {
        if (!pending_.empty()) emit();
        return {};
    }
    std::chrono::steady_clock::time_point last_data() const noexcept { return last_data_; }

private:
    DAYTONA_DECL void emit();
    void deliver(std::string_view line) {
        if (cb_) cb_(line);
    }

    log_callback cb_;
    std::size_t max_line_;
    std::string pending_;
    std::chrono::steady_clock::time_point last_data_ = std::chrono::steady_clock::now();
};

/// The last lines of a build log, kept while it streams to the user's callback, for the error
/// of a failed build.
class log_tail {
public:
    static constexpr std::size_t kept = 20;

    /// A callback that keeps each line in `self` and hands it on to `next` (if any).
    static DAYTONA_DECL log_callback tee(std::shared_ptr<log_tail> self, log_callback next);
    const std::vector<std::string>& lines() const noexcept { return lines_; }

    /// errc::build_failed for `what` ("sandbox <id>", "snapshot <name>") with Daytona's reason
    /// and these lines.
    DAYTONA_DECL error failure(const std::string& what, const std::string& reason,
                               std::string_view operation) const;

private:
    std::vector<std::string> lines_;
};

/// The streamed GET of a build log URL (`?follow=true`).
inline constexpr api::operation follow_build_logs_op{"follow_build_logs", http::verb::get, "",
                                                     api::surface::api, true};

/**
 * \brief Streams the log at `url` into `sink` until the server ends it.
 * \details No per-request deadline (a build may take long); cancel the awaiting coroutine, or
 * race it against a watchdog, to stop early.
 */
DAYTONA_DECL asio::awaitable<result<void>> stream_build_log(std::shared_ptr<http::transport> t,
                                                            std::string url,
                                                            std::shared_ptr<line_sink> sink);

}  // namespace detail
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/impl/build_logs.ipp"
#endif

#endif  // DAYTONA_BUILD_LOGS_HPP
