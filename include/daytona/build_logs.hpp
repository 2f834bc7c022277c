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

/// The last lines of a build log, kept while it streams to the user's callback, for the error
/// of a failed build.
class log_tail {
public:
    static constexpr std::size_t kept = 20;

    /// A callback that keeps each line in `self` and hands it on to `next` (if any).
    static log_callback tee(std::shared_ptr<log_tail> self, log_callback next) {
        return [self = std::move(self), next = std::move(next)](std::string_view line) {
            if (self->lines_.size() == kept) self->lines_.erase(self->lines_.begin());
            self->lines_.emplace_back(line);
            if (next) next(line);
        };
    }
    const std::vector<std::string>& lines() const noexcept { return lines_; }

    /// errc::build_failed for `what` ("sandbox <id>", "snapshot <name>") with Daytona's reason
    /// and these lines.
    error failure(const std::string& what, const std::string& reason,
                  std::string_view operation) const {
        std::string message = what + " failed to build" + (reason.empty() ? "" : ": " + reason);
        if (!lines_.empty()) message += " (last log line: " + lines_.back() + ")";
        return error(make_error_code(errc::build_failed),
                     error_info{.message = std::move(message),
                                .operation = std::string(operation),
                                .reason = reason,
                                .log_tail = lines_});
    }

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
