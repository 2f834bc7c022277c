// SPDX-License-Identifier: Apache-2.0
// A transport for tests: records every request and answers from a script, with no network.
// Put it under a client (client's transport-injecting constructor) to test code that uses the
// library, or under an api::channel to check the requests of single operations.
#ifndef DAYTONA_TESTING_RECORDING_TRANSPORT_HPP
#define DAYTONA_TESTING_RECORDING_TRANSPORT_HPP

#include "daytona/config.hpp"
#include "daytona/http/transport.hpp"

#include <deque>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

DAYTONA_BEGIN_NAMESPACE
namespace testing {

/// One request as the transport saw it.
struct recorded_request {
    /// The request method.
    http::verb method = http::verb::get;
    /// "scheme://host[:port]", the origin the request was for.
    std::string origin{};
    /// Path and query, as sent.
    std::string target{};
    /// Header fields as sent, with those the transports above added (`Authorization`).
    http::fields headers{};
    /// The in-memory body, or what a streamed body produced.
    std::string body{};
    /// The library operation, e.g. "start_sandbox".
    std::string operation{};

    /// The path part of the target (percent-encoded, as sent).
    std::string_view path() const { return std::string_view(target).substr(0, target.find('?')); }
    /// The query part of the target ("" when none).
    std::string_view query() const {
        const auto q = target.find('?');
        return q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
    }
};

/**
 * \brief Records requests and replies with scripted responses, in order; when the script is
 * empty, with the default response (200 and `{}` unless changed).
 * \par Thread safety
 * As the client it serves: one thread or strand.
 */
class recording_transport final : public http::transport {
public:
    /// Queues a response for the next unanswered request.
    void push_response(http::response r) { script_.push_back(std::move(r)); }
    /// Queues a JSON response.
    DAYTONA_DECL void push_response(int status, std::string body);
    /// Queues a transport failure (connection refused, reset, timeout...) for the next request.
    void push_failure(daytona::error e) { script_.push_back(std::move(e)); }
    /// The response used when the script is empty.
    void set_default_response(int status, std::string body) {
        default_.status = status;
        default_.body = std::move(body);
    }

    /// Every request sent so far, oldest first.
    const std::vector<recorded_request>& requests() const noexcept { return requests_; }
    /// The last request; precondition: one was sent.
    const recorded_request& last() const { return requests_.back(); }
    /// Forgets the recorded requests and the queued responses and failures.
    void clear() {
        requests_.clear();
        script_.clear();
    }

    DAYTONA_DECL asio::awaitable<result<http::response>> send(
        http::request& req, const http::send_options& opts) override;

    /**
     * \brief Records an upgrade request (WebSocket) like any other, and answers with the next
     * scripted response as the server's refusal: no connection is ever handed over, so tests
     * see the upgrade request and the error a refused upgrade gives.
     */
    DAYTONA_DECL asio::awaitable<result<http::upgraded>> upgrade(
        http::request& req, const http::send_options& opts) override;

private:
    static DAYTONA_DECL http::response ok_empty_object();

    std::vector<recorded_request> requests_;
    std::deque<std::variant<http::response, daytona::error>> script_;
    http::response default_ = ok_empty_object();
};

}  // namespace testing
DAYTONA_END_NAMESPACE

#if DAYTONA_HEADER_ONLY
#include "daytona/testing/impl/recording_transport.ipp"
#endif

#endif  // DAYTONA_TESTING_RECORDING_TRANSPORT_HPP
