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

    result<void> write(std::string_view data) override {
        last_data_ = std::chrono::steady_clock::now();
        while (!data.empty()) {
            const auto nl = data.find('\n');
            const auto piece = data.substr(0, nl);
            pending_.append(piece);
            if (nl != std::string_view::npos) {
                emit();
                data.remove_prefix(nl + 1);
            } else {
                data = {};
                while (pending_.size() >= max_line_) {
                    deliver(std::string_view(pending_).substr(0, max_line_));
                    pending_.erase(0, max_line_);
                }
            }
        }
        return {};
    }
    result<void> finish() override {
        if (!pending_.empty()) emit();
        return {};
    }
    std::chrono::steady_clock::time_point last_data() const noexcept { return last_data_; }

private:
    void emit() {
        std::string_view line = pending_;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        deliver(line);
        pending_.clear();
    }
    void deliver(std::string_view line) {
        if (cb_) cb_(line);
    }

    log_callback cb_;
    std::size_t max_line_;
    std::string pending_;
    std::chrono::steady_clock::time_point last_data_ = std::chrono::steady_clock::now();
};

/// The streamed GET of a build log URL (`?follow=true`).
inline constexpr api::operation follow_build_logs_op{"follow_build_logs", http::verb::get, "",
                                                     api::surface::api, true};

/**
 * \brief Streams the log at `url` into `sink` until the server ends it.
 * \details No per-request deadline (a build may take long); cancel the awaiting coroutine, or
 * race it against a watchdog, to stop early.
 */
inline asio::awaitable<result<void>> stream_build_log(std::shared_ptr<http::transport> t,
                                                      std::string url,
                                                      std::shared_ptr<line_sink> sink) {
    auto base = http::url::parse(url);
    if (!base) co_return std::move(base).error().with_operation("follow_build_logs");
    std::string query = base->query.empty() ? "follow=true" : base->query + "&follow=true";
    const api::channel ch{std::move(t), std::move(*base)};
    api::request_parts parts{.query = std::move(query), .accept = "text/plain", .sink = sink};
    const request_options ro{.timeout = std::chrono::milliseconds(0)};
    // Built outside the co_await: GCC 12 cannot keep a braced list alive across a suspension.
    auto op = api::invoke<void>(ch, follow_build_logs_op, {}, std::move(parts), ro);
    co_return co_await std::move(op);
}

}  // namespace detail
DAYTONA_END_NAMESPACE

#endif  // DAYTONA_BUILD_LOGS_HPP
