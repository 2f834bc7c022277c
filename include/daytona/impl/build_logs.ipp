// SPDX-License-Identifier: Apache-2.0
// Out-of-line bodies of build_logs.hpp: included by it in the header-only build, compiled once by
// <daytona/src.hpp> under DAYTONA_SEPARATE_COMPILATION.
#ifndef DAYTONA_IMPL_BUILD_LOGS_IPP
#define DAYTONA_IMPL_BUILD_LOGS_IPP

#include "daytona/build_logs.hpp"

DAYTONA_BEGIN_NAMESPACE
namespace detail {

result<void> line_sink::write(std::string_view data) {
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

void line_sink::emit() {
    std::string_view line = pending_;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
    deliver(line);
    pending_.clear();
}

log_callback log_tail::tee(std::shared_ptr<log_tail> self, log_callback next) {
    return [self = std::move(self), next = std::move(next)](std::string_view line) {
        if (self->lines_.size() == kept) self->lines_.erase(self->lines_.begin());
        self->lines_.emplace_back(line);
        if (next) next(line);
    };
}

error log_tail::failure(const std::string& what, const std::string& reason,
                        std::string_view operation) const {
    std::string message = what + " failed to build" + (reason.empty() ? "" : ": " + reason);
    if (!lines_.empty()) message += " (last log line: " + lines_.back() + ")";
    return error(make_error_code(errc::build_failed),
                 error_info{.message = std::move(message),
                            .operation = std::string(operation),
                            .reason = reason,
                            .log_tail = lines_});
}

asio::awaitable<result<void>> stream_build_log(std::shared_ptr<http::transport> t, std::string url,
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

#endif  // DAYTONA_IMPL_BUILD_LOGS_IPP
